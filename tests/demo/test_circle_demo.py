"""The demo member's circle of supporters: believable, consistent, and never reaching anyone."""

from __future__ import annotations

import datetime as dt
import html

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from closeknit.accounts.models import User
from closeknit.circle import early_warning, grants, rules
from closeknit.circle import help as help_requests
from closeknit.circle.models import AccessEntry, Encouragement, HelpRequest, Link, RuleSetting
from closeknit.demo.circle import SUPPORTER_PREFIX
from closeknit.demo.generate import DEMO_DOMAIN, create_demo_member, prune_demo_members
from closeknit.notify.delivery import NEVER_RECEIVES, deliver_due
from closeknit.notify.models import Message
from closeknit.rhythms.models import Appreciation

NOW = dt.datetime(2026, 3, 18, 10, 30, tzinfo=dt.UTC)

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo() -> User:
    with time_machine.travel(NOW, tick=False):
        return create_demo_member("demo@example.org", seed=7)


@pytest.fixture
def demo_client(demo: User) -> Client:
    client = Client()
    client.force_login(demo)
    return client


def page(client: Client, name: str) -> str:
    response = client.get(reverse(name))
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_two_people_of_the_network_support_the_demo_member(demo):
    links = Link.objects.active().filter(owner=demo).select_related("person", "supporter")
    circle = {grants.supporter_name(link): link for link in links}
    assert set(circle) == {"Jamie Carter", "Priya Shah"}
    assert circle["Jamie Carter"].scopes == sorted(grants.SCOPES)
    assert sorted(circle["Priya Shah"].scopes) == [
        "checkin_nudges",
        "help_requests",
        "mood_trend",
    ]
    assert circle["Jamie Carter"].person.roles == ["partner"]
    for link in links:
        account = link.supporter
        assert account.is_demo and not account.has_usable_password()
        assert account.email.startswith(SUPPORTER_PREFIX)
        assert account.email.endswith(f"@{DEMO_DOMAIN}")


def test_the_supporters_accounts_are_new_for_each_demo(db):
    one, two = create_demo_member(), create_demo_member()
    supporters = [
        set(Link.objects.filter(owner=member).values_list("supporter__email", flat=True))
        for member in (one, two)
    ]
    assert len(supporters[0]) == len(supporters[1]) == 2
    assert not supporters[0] & supporters[1]


def test_two_rules_are_on_and_the_demos_good_days_dont_set_them_off(demo):
    on = RuleSetting.objects.owned_by(demo).filter(enabled=True)
    assert set(on.values_list("kind", flat=True)) == {"stress_high", "no_contact"}
    today = NOW.astimezone(demo.zone).date()
    for rule in early_warning.rules_of(demo):
        facts = early_warning.facts_of(demo, [rule.kind], today, NOW)
        assert not rules.evaluate(rule.settings, facts).fires, rule.kind
    assert not early_warning.firings_of(demo).exists()


def test_the_evening_priya_called_is_one_story(demo):
    (request,) = HelpRequest.objects.owned_by(demo)
    answers = {a.supporter_name: (a.answer, a.answered_at) for a in request.answers.all()}
    assert answers == {
        "Priya Shah": ("reaching_out", request.created_at + dt.timedelta(minutes=4)),
        "Jamie Carter": ("cant_now", request.created_at + dt.timedelta(minutes=31)),
    }
    thanks = Appreciation.objects.owned_by(demo).get(person__name="Priya Shah")
    assert request.created_at < thanks.written_at < request.created_at + dt.timedelta(hours=1)


def test_encouragement_comes_from_the_circle_one_kept(demo):
    notes = Encouragement.objects.owned_by(demo).order_by("sent_at")
    assert [n.author_name for n in notes] == ["Priya Shah", "Jamie Carter", "Jamie Carter"]
    assert [n.favourite for n in notes] == [True, False, False]
    assert all(n.sent_at <= NOW for n in notes)


def test_the_access_log_shows_joining_sharing_and_looking_in_order(demo):
    entries = list(AccessEntry.objects.owned_by(demo).order_by("at", "pk"))
    jamie = [e.action for e in entries if e.supporter_name == "Jamie Carter"]
    assert jamie == ["linked"] + ["granted"] * 5 + ["viewed"] * 3
    joined = {e.supporter_name: e.at for e in entries if e.action == "linked"}
    assert all(e.at >= joined[e.supporter_name] for e in entries)
    assert all(e.at <= NOW for e in entries)


def test_the_circle_pages_tell_the_story(demo, demo_client):
    with time_machine.travel(NOW, tick=False):
        circle = page(demo_client, "circle:supporters")
        assert "Jamie Carter" in circle and "Priya Shah" in circle
        home = page(demo_client, "network:home")
        assert "Words from your circle" in home and "Tea's on me" in home
        history = page(demo_client, "circle:help-requests")
        assert "really hard evening" in history
        log = page(demo_client, "circle:access-log")
        assert "Jamie Carter" in log
        assert "When my stress is 7 or more" in page(demo_client, "circle:rules")


def test_asking_for_support_in_a_demo_reaches_no_one(demo, smtp_inbox):
    links = Link.objects.active().filter(owner=demo)
    request, created = help_requests.ask(demo, "Could you call?", [link.pk for link in links])
    assert created and request.answers.count() == 2
    deliver_due()
    assert smtp_inbox.messages == []
    messages = Message.objects.filter(kind="help_request")
    assert messages.count() == 2
    for message in messages:
        assert (message.status, message.last_error) == ("failed", NEVER_RECEIVES)


def test_deleting_the_demo_takes_its_made_up_supporters_along(demo, demo_client, make_user):
    real = make_user("real@example.org")
    response = demo_client.post(reverse("accounts:delete"), {"confirm": "DELETE"})
    assert response.status_code == 302
    assert list(User.objects.all()) == [real]


def test_pruning_counts_the_member_and_takes_the_supporters_along(demo, make_user):
    real = make_user("real@example.org")
    assert prune_demo_members(dt.timedelta(hours=1), now=NOW + dt.timedelta(hours=2)) == 1
    assert list(User.objects.all()) == [real]
