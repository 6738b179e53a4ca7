"""Pages of the early-warning rules: the four rules, editing one, the firings, keeping one back."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from closeknit.accounts.models import User
from closeknit.circle import early_warning, rules
from closeknit.circle.models import Link, RuleFiring, RuleSetting
from closeknit.notify import delivery
from closeknit.notify.models import Message, Preferences
from tests.browser import assert_accessible
from tests.circle.rows import rule_rows
from tests.circle.test_early_warning import checkins, email_channel, turn_on
from tests.e2e.members import sign_in

RULES = "/circle/rules/"
FIRINGS = "/circle/rules/firings/"
# Tuesday 1 June 2027, 08:30 UTC: 09:30 in London (summer time).
NOW = dt.datetime(2027, 6, 1, 8, 30, tzinfo=dt.UTC)
TODAY = dt.date(2027, 6, 1)


@pytest.fixture
def frozen() -> Any:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def edit(kind: str) -> str:
    return f"{RULES}{kind}/"


def cancel(firing: RuleFiring) -> str:
    return f"{FIRINGS}{firing.pk}/cancel/"


def fire(owner: User, kind: str = rules.STRESS_HIGH, day: dt.date = TODAY, **extra: Any) -> Any:
    extra.setdefault("reason", "Your stress has been 7 or more on 3 of the last 5 days.")
    return RuleFiring.objects.create(owner=owner, kind=kind, day=day, **extra)


def text(response: Any) -> str:
    """The page's words, without tags and with spaces squeezed."""
    content = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(content))


@pytest.fixture
def waiting(frozen, member, make_user, make_link) -> RuleFiring:
    """Robin's stress rule fired at 09:30; Sam is due a check-in nudge an hour later."""
    sam = make_user("sam@example.org", display_name="Sam")
    make_link(member, sam, ["checkin_nudges"], name="Sam Rivera")
    email_channel(member, "robin@example.org")
    User.objects.filter(pk=member.pk).update(date_joined=NOW - dt.timedelta(days=100))
    turn_on(member, rules.STRESS_HIGH, days_needed=1, window_days=1, nudge_supporters=True)
    checkins(member, TODAY, stress=[9])
    early_warning.check(timezone.now())
    return RuleFiring.objects.get(owner=member)


# The rules page ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_rules_page_shows_the_four_rules_off_until_turned_on(member_client):
    response = member_client.get(RULES)
    assert response.status_code == 200
    page = text(response)
    for words in (
        "When my stress is 7 or more on 3 of the last 5 days",
        "When my mood is 3 or lower on 3 of the last 5 days",
        "When I haven't noted contact with anyone for 7 days",
        "When I miss two appointments in a row",
    ):
        assert words in page
    assert page.count("Off.") == 4 and "On." not in page
    assert "never a judgment" in page
    assert "No one in your circle gets check-in nudges at the moment." in page
    assert 'href="/circle/"' in response.content.decode()
    assert "No nudges yet." in page
    for kind in rules.KINDS:
        assert f'href="{edit(kind)}"' in response.content.decode()


@pytest.mark.django_db
def test_the_rules_page_shows_what_the_member_chose(member, member_client, make_user, make_link):
    turn_on(member, rules.NO_CONTACT, window_days=10, cooldown_days=1, nudge_supporters=True)
    make_link(member, make_user("sam@example.org"), ["checkin_nudges"])
    make_link(member, make_user("lee@example.org"), ["mood_trend"])
    page = text(member_client.get(RULES))
    assert "When I haven't noted contact with anyone for 10 days On." in page
    assert "Your supporters are nudged too, an hour after you." in page
    assert "At most one nudge a day." in page
    assert "One supporter gets check-in nudges at the moment." in page


@pytest.mark.django_db
def test_the_rules_page_lists_the_five_latest_nudges_and_links_to_all(
    frozen, member, member_client
):
    for back in range(7):
        fire(member, day=TODAY - dt.timedelta(days=back), fired_at=NOW - dt.timedelta(days=back))
    response = member_client.get(RULES)
    assert response.context["more"] is True
    assert [row["firing"].day for row in response.context["recent"]] == [
        TODAY - dt.timedelta(days=back) for back in range(5)
    ]
    assert f'href="{FIRINGS}"' in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 60])
def test_the_rules_page_costs_the_same_however_many_nudges(
    frozen, member, member_client, count, django_assert_max_num_queries
):
    for back in range(count):
        fire(member, day=TODAY - dt.timedelta(days=back))
    with django_assert_max_num_queries(8):
        assert member_client.get(RULES).status_code == 200


@pytest.mark.django_db
def test_a_visitor_is_asked_to_sign_in(client: Client):
    for url in (RULES, edit(rules.STRESS_HIGH), FIRINGS):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# Editing a rule ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_form_asks_for_a_channel_until_there_is_one(member_client, member):
    callout = "You haven't set up a way to hear from Closeknit yet"
    assert callout in html.unescape(member_client.get(edit(rules.STRESS_HIGH)).content.decode())
    email_channel(member, "robin@example.org")
    assert callout not in html.unescape(member_client.get(edit(rules.STRESS_HIGH)).content.decode())


@pytest.mark.django_db
def test_the_stress_form_offers_the_scale_in_words(member_client):
    response = member_client.get(edit(rules.STRESS_HIGH))
    form = response.context["form"]
    assert list(form.fields) == [
        "enabled",
        "threshold",
        "days_needed",
        "window_days",
        "cooldown_days",
        "nudge_supporters",
    ]
    page = response.content.decode()
    assert "0, none at all" in page and "10, overwhelming" in page
    assert form["threshold"].value() == 7 and form["days_needed"].value() == 3
    assert "an hour after your own nudge" in page


@pytest.mark.django_db
def test_the_mood_form_uses_the_mood_scale(member_client):
    page = member_client.get(edit(rules.MOOD_LOW)).content.decode()
    assert "0, very low" in page and "10, very good" in page
    assert "When my mood is at most" in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "fields"),
    [
        (rules.NO_CONTACT, ["enabled", "window_days", "cooldown_days", "nudge_supporters"]),
        (rules.MISSED_APPOINTMENTS, ["enabled", "cooldown_days", "nudge_supporters"]),
    ],
)
def test_a_form_has_only_the_fields_its_rule_uses(member_client, kind, fields):
    response = member_client.get(edit(kind))
    assert list(response.context["form"].fields) == fields


@pytest.mark.django_db
def test_saving_a_rule_turns_it_on(frozen, member, member_client):
    response = member_client.post(
        edit(rules.STRESS_HIGH),
        {
            "enabled": "on",
            "threshold": "8",
            "days_needed": "2",
            "window_days": "4",
            "cooldown_days": "5",
            "nudge_supporters": "on",
        },
        follow=True,
    )
    assert response.redirect_chain == [(RULES, 302)]
    assert (
        "Saved. When my stress is 8 or more on 2 of the last 4 days, you'll get a gentle nudge."
        in text(response)
    )
    row = RuleSetting.objects.get(owner=member)
    assert (row.kind, row.enabled, row.threshold, row.days_needed, row.window_days) == (
        rules.STRESS_HIGH,
        True,
        8,
        2,
        4,
    )
    assert (row.cooldown_days, row.nudge_supporters, row.updated_at) == (5, True, NOW)


@pytest.mark.django_db
def test_saving_again_changes_the_same_rule(member, member_client):
    turn_on(member, rules.NO_CONTACT)
    response = member_client.post(
        edit(rules.NO_CONTACT), {"window_days": "14", "cooldown_days": "7"}
    )
    assert response.status_code == 302
    row = RuleSetting.objects.get(owner=member)
    assert (row.enabled, row.window_days, row.nudge_supporters) == (False, 14, False)


GOOD = {
    "enabled": "on",
    "threshold": "7",
    "days_needed": "3",
    "window_days": "5",
    "cooldown_days": "7",
}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"days_needed": "6"}, "days_needed", "no larger than the 5 days it looks back over"),
        ({"threshold": "11"}, "threshold", "Please choose a score between 0 and 10."),
        ({"threshold": ""}, "threshold", "Please choose a score between 0 and 10."),
        ({"window_days": "31"}, "window_days", "between 1 and 30"),
        ({"days_needed": "0"}, "days_needed", "between 1 and 30"),
        ({"cooldown_days": "0"}, "cooldown_days", "between 1 and 90"),
        ({"cooldown_days": ""}, "cooldown_days", "between 1 and 90"),
        ({"cooldown_days": "a week"}, "cooldown_days", "Please enter a whole number of days."),
    ],
)
def test_bad_input_is_explained_and_changes_nothing(member, member_client, changes, field, message):
    turn_on(member, rules.STRESS_HIGH, enabled=False)
    before = rule_rows(member)
    response = member_client.post(edit(rules.STRESS_HIGH), {**GOOD, **changes})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert message in errors[field][0]
    assert "Something needs another look" in text(response)
    assert rule_rows(member) == before


@pytest.mark.django_db
def test_no_contact_days_are_checked_against_their_own_range(member, member_client):
    response = member_client.post(
        edit(rules.NO_CONTACT), {"window_days": "91", "cooldown_days": "7"}
    )
    assert "between 1 and 90" in response.context["form"].errors["window_days"][0]
    assert rule_rows(member) == []


@pytest.mark.django_db
def test_fields_a_rule_does_not_use_are_ignored_not_stored(member, member_client):
    member_client.post(
        edit(rules.MISSED_APPOINTMENTS),
        {"enabled": "on", "threshold": "3", "window_days": "4", "cooldown_days": "7"},
    )
    assert rule_rows(member) == [(rules.MISSED_APPOINTMENTS, True, None, None, None, 7, False)]


@pytest.mark.django_db
def test_an_unknown_rule_is_not_found(member_client):
    assert member_client.get(edit("sleep_short")).status_code == 404
    assert member_client.post(edit("sleep_short"), GOOD).status_code == 404


@pytest.mark.django_db
def test_each_member_edits_only_their_own_rules(member, stranger_client):
    turn_on(member, rules.STRESS_HIGH, threshold=9)
    response = stranger_client.get(edit(rules.STRESS_HIGH))
    assert response.context["form"]["threshold"].value() == 7  # the defaults, not Robin's
    stranger_client.post(edit(rules.STRESS_HIGH), GOOD)
    assert RuleSetting.objects.get(owner=member).threshold == 9


# Firings -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_firings_page_is_empty_at_first(member_client):
    page = text(member_client.get(FIRINGS))
    assert "No nudges yet." in page


@pytest.mark.django_db
def test_a_waiting_nudge_can_be_kept_to_oneself(waiting, member_client):
    response = member_client.get(FIRINGS)
    page = text(response)
    assert "Your stress has been 7 or more today." in page
    assert "You got a gentle nudge." in page
    # 10:30 in London: times are the member's own.
    assert (
        "One supporter will get a note that you might appreciate a check-in at 10:30, Tuesday 1 June"
        in page
    )
    assert "Tuesday 1 June 2027, 09:30" in page
    assert f'action="{cancel(waiting)}"' in response.content.decode()

    confirm = member_client.get(cancel(waiting))
    assert "Keep this one to yourself?" in text(confirm)
    assert Message.objects.filter(kind="checkin_nudge").count() == 1  # GET changes nothing

    response = member_client.post(cancel(waiting), follow=True)
    assert response.redirect_chain == [(FIRINGS, 302)]
    page = text(response)
    assert "Kept to yourself. Your supporters won't get this nudge." in page
    assert "You kept this one to yourself, so your supporters weren't nudged." in page
    assert f'action="{cancel(waiting)}"' not in response.content.decode()
    assert Message.objects.filter(kind="checkin_nudge").count() == 0


@pytest.mark.django_db
def test_after_the_delay_there_is_nothing_left_to_keep_back(waiting, member_client, frozen):
    frozen.shift(dt.timedelta(minutes=61))
    delivery.deliver_due()
    page = text(member_client.get(FIRINGS))
    assert "One supporter got a note that you might appreciate a check-in" in page
    assert "Keep this to myself" not in page
    response = member_client.post(cancel(waiting), follow=True)
    assert "These nudges had already gone out" in text(response)


@pytest.mark.django_db
def test_a_nudge_for_the_member_only_has_nothing_to_keep_back(frozen, member, member_client):
    firing = fire(member)
    page = text(member_client.get(FIRINGS))
    assert "No notification channel was set up, so this nudge is only here." in page
    assert "Keep this to myself" not in page
    assert "This nudge only ever went to you." in text(member_client.get(cancel(firing)))
    response = member_client.post(cancel(firing), follow=True)
    assert "This one only ever went to you." in text(response)


@pytest.mark.django_db
def test_a_stranger_cannot_reach_someone_elses_firing(waiting, stranger_client):
    assert stranger_client.get(cancel(waiting)).status_code == 404
    assert stranger_client.post(cancel(waiting)).status_code == 404
    assert Message.objects.filter(kind="checkin_nudge").count() == 1
    assert "Your stress" not in text(stranger_client.get(FIRINGS))
    assert "Your stress" not in text(stranger_client.get(RULES))


@pytest.mark.django_db
def test_firings_come_fifty_to_a_page_newest_first(
    frozen, member, member_client, django_assert_max_num_queries
):
    for back in range(55):
        fire(
            member,
            day=TODAY - dt.timedelta(days=back),
            fired_at=NOW - dt.timedelta(days=back),
            reason=f"Reason {back}.",
        )
    with django_assert_max_num_queries(8):
        first = member_client.get(FIRINGS)
    rows = first.context["rows"]
    assert len(rows) == 50 and rows[0]["firing"].reason == "Reason 0."
    assert "Page 1 of 2" in text(first)
    second = member_client.get(FIRINGS + "?page=2")
    assert [row["firing"].reason for row in second.context["rows"]] == [
        f"Reason {back}." for back in range(50, 55)
    ]


# In a browser --------------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_turning_a_rule_on_and_keeping_a_nudge_back_by_keyboard(
    page, live_server, member, make_user: Callable[..., User], make_link: Callable[..., Link]
):
    make_link(member, make_user("sam@example.org", display_name="Sam"), ["checkin_nudges"])
    sign_in(page, live_server, "member@example.org")

    page.goto(f"{live_server.url}{RULES}")
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Edit the sign “When my stress")).click()
    assert_accessible(page)
    page.get_by_label("Turn this rule on").check()
    page.get_by_label("When my stress is at least").select_option("8")
    page.get_by_label("On how many days").fill("9")  # more than the 5 days: a kind refusal
    page.get_by_label("On how many days").press("Enter")
    assert page.get_by_text("no larger than the 5 days it looks back over").is_visible()
    assert_accessible(page)
    page.get_by_label("On how many days").fill("1")
    page.get_by_label("Out of the last … days").fill("1")
    page.get_by_label(re.compile("Also nudge my supporters")).check()
    page.get_by_role("button", name="Save").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}{RULES}")
    assert page.get_by_text("When my stress is 8 or more today").first.is_visible()

    checkins(member, timezone.localdate(timezone.now(), member.zone), stress=[9])
    Preferences.objects.update_or_create(owner=member, defaults={"remind_at": dt.time(0, 0)})
    early_warning.check(timezone.now())
    page.goto(f"{live_server.url}{FIRINGS}")
    assert_accessible(page)
    keep = page.get_by_role("button", name=re.compile("Keep this to myself"))
    keep.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_text("Kept to yourself.").is_visible()
    assert Message.objects.filter(kind="checkin_nudge").count() == 0
