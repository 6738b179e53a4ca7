"""The early-warning rules at work: the worker's daily look, nudges, cooldowns, consent.

With the real database and a real SMTP server (`smtp_inbox`): what reaches people is
read back from the mail they got.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from closeknit.accounts.models import ApiToken, User
from closeknit.circle import early_warning, grants, rules
from closeknit.circle.models import Link, RuleFiring, RuleSetting
from closeknit.network.models import Interaction
from closeknit.notify import delivery
from closeknit.notify.models import Channel, Message, Preferences
from closeknit.notify.worker import Worker
from closeknit.recovery.models import Appointment
from closeknit.wellbeing.models import CheckIn

pytestmark = pytest.mark.django_db

UTC = dt.UTC
BASE = "https://closeknit.example.org"
# Tuesday 5 January 2027: London is on UTC; the member's reminder time is 09:00.
TODAY = dt.date(2027, 1, 5)
MORNING = dt.datetime(2027, 1, 5, 9, 30, tzinfo=UTC)
STRESS = rules.STRESS_HIGH
MOOD = rules.MOOD_LOW
NO_CONTACT = rules.NO_CONTACT
MISSED = rules.MISSED_APPOINTMENTS


@pytest.fixture(autouse=True)
def base_url(settings: Any) -> None:
    settings.BASE_URL = BASE
    settings.CIRCLE_NUDGE_DELAY_MINUTES = 60


@pytest.fixture
def frozen() -> Iterator[Any]:
    with time_machine.travel(MORNING, tick=False) as traveller:
        yield traveller


def email_channel(owner: User, address: str) -> Channel:
    return Channel.objects.create(
        owner=owner, kind="email", config={"address": address}, verified_at=timezone.now()
    )


def turn_on(owner: User, kind: str, **changes: Any) -> RuleSetting:
    """The rule on, with its defaults (stress 7+ on 3 of 5 days, a week's cooldown …)."""
    default = rules.DEFAULTS[kind]
    values = {
        "enabled": True,
        "threshold": default.threshold,
        "days_needed": default.days_needed,
        "window_days": default.window_days,
        "cooldown_days": default.cooldown_days,
        **changes,
    }
    return RuleSetting.objects.create(owner=owner, kind=kind, **values)


def checkins(owner: User, today: dt.date, **scores: list[int | None]) -> None:
    """Check-ins ending today: checkins(m, day, stress=[8, 7, 9]) is three days, today last."""
    rows = list(zip(*([(name, value) for value in values] for name, values in scores.items())))
    for back, pairs in enumerate(reversed(rows)):
        CheckIn.objects.create(owner=owner, day=today - dt.timedelta(days=back), **dict(pairs))


def firings(owner: User) -> list[tuple[str, dt.date]]:
    return [(f.kind, f.day) for f in RuleFiring.objects.filter(owner=owner).order_by("day", "id")]


def nudges(owner: User, kind: str = early_warning.SELF_NUDGE) -> list[Message]:
    return list(Message.objects.filter(owner=owner, kind=kind).order_by("pk"))


def text_of(mail: Any) -> str:
    return str(mail.get_body(preferencelist=("plain",)).get_content())


@pytest.fixture
def robin(member: User) -> User:
    """The member, a long-time user with a verified e-mail channel."""
    User.objects.filter(pk=member.pk).update(date_joined=MORNING - dt.timedelta(days=400))
    member.refresh_from_db()
    email_channel(member, "robin@example.org")
    return member


# The worker's daily look ---------------------------------------------------------------------


def test_stress_high_on_the_kth_day_nudges_the_member_exactly_once(frozen, robin, smtp_inbox):
    turn_on(robin, STRESS)  # 7 or more on 3 of the last 5 days
    checkins(robin, TODAY, stress=[8, 7, 9])  # today is the third day at 7 or more
    first = Worker().run_pass()
    again = Worker().run_pass()
    other_worker = early_warning.check(timezone.now())
    assert (first.planned, again.planned, other_worker) == (1, 0, 0)
    assert firings(robin) == [(STRESS, TODAY)]
    (mail,) = smtp_inbox.messages
    assert mail["Subject"] == "A gentle check-in from Closeknit"
    assert mail["To"] == "robin@example.org"
    text = text_of(mail)
    assert "Your stress has been 7 or more on 3 of the last 5 days." in text
    assert "coping strategies" in text and "“I need support”" in text
    assert f"{BASE}/circle/rules/stress_high/" in text
    assert f"{BASE}/circle/rules/firings/" in text
    assert RuleSetting.objects.get(owner=robin).checked_on == TODAY


def test_one_day_short_of_k_does_not_fire(frozen, robin, smtp_inbox):
    turn_on(robin, STRESS)
    checkins(robin, TODAY, stress=[6, 7, 9])  # 6 is below the threshold: two days, not three
    assert Worker().run_pass().planned == 0
    assert firings(robin) == [] and smtp_inbox.messages == []
    # It looked, though, and won't look again today.
    assert RuleSetting.objects.get(owner=robin).checked_on == TODAY


@pytest.mark.parametrize(
    ("moods", "fires"),
    [([3, 3, 3], True), ([3, 4, 3], False), ([0, None, 2, 1], True), ([None, None, 3], False)],
)
def test_low_mood_counts_days_at_or_below_the_threshold(frozen, robin, moods, fires):
    turn_on(robin, MOOD, threshold=3, days_needed=3, window_days=5)
    checkins(robin, TODAY, mood=moods)
    early_warning.check(timezone.now())
    assert firings(robin) == ([(MOOD, TODAY)] if fires else [])


@pytest.mark.parametrize(("days_since", "fires"), [(7, True), (6, False)])
def test_no_contact_fires_on_the_dth_day(frozen, robin, days_since, fires):
    turn_on(robin, NO_CONTACT, window_days=7)
    Interaction.objects.create(
        owner=robin, channel="call", occurred_at=MORNING - dt.timedelta(days=days_since)
    )
    # Contact noted for later today (a plan, not yet contact) doesn't count.
    Interaction.objects.create(owner=robin, occurred_at=MORNING + dt.timedelta(hours=5))
    early_warning.check(timezone.now())
    assert firings(robin) == ([(NO_CONTACT, TODAY)] if fires else [])


def test_a_new_member_is_counted_from_the_day_they_joined(frozen, robin):
    User.objects.filter(pk=robin.pk).update(date_joined=MORNING - dt.timedelta(days=3))
    turn_on(robin, NO_CONTACT, window_days=7)
    early_warning.check(timezone.now())
    assert firings(robin) == []
    reason = early_warning.rules.evaluate(
        early_warning.settings_of(RuleSetting.objects.get()),
        early_warning.facts_of(User.objects.get(pk=robin.pk), [NO_CONTACT], TODAY, timezone.now()),
    ).reason
    assert reason == "It's been 3 days since you joined, and no contact is noted since."


def appointment(owner: User, days_ago: int, status: str) -> Appointment:
    return Appointment.objects.create(
        owner=owner,
        kind="therapy",
        starts_at=MORNING - dt.timedelta(days=days_ago, hours=1),
        status=status,
    )


@pytest.mark.parametrize(
    ("history", "fires"),
    [
        ([(9, "attended"), (5, "missed"), (2, "missed")], True),
        ([(9, "missed"), (5, "attended"), (2, "missed")], False),
        # Cancelling in advance is looking after yourself: it is left out of the pair.
        ([(9, "missed"), (5, "cancelled"), (2, "missed")], True),
        ([(30, "missed"), (20, "missed")], False),  # an old pair is not news
        # A miss long ago still pairs with one yesterday when nothing came between.
        ([(200, "attended"), (90, "missed"), (1, "missed")], True),
        ([(90, "missed"), (40, "attended"), (1, "missed")], False),
        # Many attended long ago take no room from the latest two.
        ([(100 + n, "attended") for n in range(10)] + [(3, "missed"), (1, "missed")], True),
    ],
)
def test_two_missed_appointments_in_a_row(frozen, robin, history, fires):
    turn_on(robin, MISSED)
    for days_ago, status in history:
        appointment(robin, days_ago, status)
    early_warning.check(timezone.now())
    assert firings(robin) == ([(MISSED, TODAY)] if fires else [])


def test_disabled_rules_never_fire_nor_cost_more_than_one_query(frozen, robin):
    turn_on(robin, STRESS, enabled=False, days_needed=1, window_days=1)
    checkins(robin, TODAY, stress=[10])
    with CaptureQueriesContext(connection) as captured:
        assert early_warning.check(timezone.now()) == 0
    assert len(captured) == 1
    assert firings(robin) == []
    assert RuleSetting.objects.get().checked_on is None


def test_nothing_is_looked_at_before_the_members_reminder_time(robin):
    Preferences.objects.create(owner=robin, remind_at=dt.time(18, 0))
    turn_on(robin, STRESS, days_needed=1, window_days=1)
    checkins(robin, TODAY, stress=[9])
    assert early_warning.check(dt.datetime(2027, 1, 5, 17, 59, tzinfo=UTC)) == 0
    assert firings(robin) == []
    assert early_warning.check(dt.datetime(2027, 1, 5, 18, 0, tzinfo=UTC)) == 1
    assert firings(robin) == [(STRESS, TODAY)]


def test_a_rule_changed_by_hand_into_nonsense_is_skipped_and_logged_once_a_day(
    frozen, robin, make_user, caplog
):
    turn_on(robin, STRESS, days_needed=9, window_days=5)  # K larger than N: only by hand
    other = make_user("ada@example.org", display_name="Ada")
    turn_on(other, STRESS, days_needed=1, window_days=1)
    checkins(other, TODAY, stress=[9])
    caplog.set_level(logging.WARNING, logger="closeknit.circle")
    early_warning.check(timezone.now())
    early_warning.check(timezone.now())
    assert firings(robin) == [] and firings(other) == [(STRESS, TODAY)]
    assert len([r for r in caplog.records if "Early-warning rule" in r.getMessage()]) == 1


def test_one_members_trouble_does_not_keep_the_others_back(frozen, robin, make_user, monkeypatch):
    # Fault injection at one seam: reading this one member's facts breaks.
    ada = make_user("ada@example.org", display_name="Ada")
    for owner in (robin, ada):
        turn_on(owner, STRESS, days_needed=1, window_days=1)
        checkins(owner, TODAY, stress=[9])
    real = early_warning.facts_of

    def broken_for_robin(member: User, *args: Any) -> rules.Facts:
        if member.pk == robin.pk:
            raise RuntimeError("the database went away for a moment")
        return real(member, *args)

    monkeypatch.setattr(early_warning, "facts_of", broken_for_robin)
    early_warning.check(timezone.now())
    assert firings(ada) == [(STRESS, TODAY)] and firings(robin) == []
    monkeypatch.setattr(early_warning, "facts_of", real)
    early_warning.check(timezone.now())  # the next pass tries Robin again
    assert firings(robin) == [(STRESS, TODAY)]


def test_two_workers_that_both_saw_it_fire_record_it_once(frozen, robin):
    row = turn_on(robin, STRESS, days_needed=1, window_days=1)
    checkins(robin, TODAY, stress=[9])
    now = timezone.now()
    # Both gathered the facts and evaluated before either recorded anything.
    facts = early_warning.facts_of(robin, [STRESS], TODAY, now)
    verdict = rules.evaluate(early_warning.settings_of(row), facts)
    assert verdict.fires
    assert early_warning.record(robin, row, TODAY, verdict, now) == 1
    assert early_warning.record(robin, row, TODAY, verdict, now) == 0
    assert firings(robin) == [(STRESS, TODAY)]
    assert len(nudges(robin)) == 1


def test_a_rule_turned_off_meanwhile_does_not_fire(frozen, robin):
    row = turn_on(robin, STRESS, days_needed=1, window_days=1)
    checkins(robin, TODAY, stress=[9])
    now = timezone.now()
    verdict = rules.evaluate(
        early_warning.settings_of(row), early_warning.facts_of(robin, [STRESS], TODAY, now)
    )
    RuleSetting.objects.filter(pk=row.pk).update(enabled=False)
    assert early_warning.record(robin, row, TODAY, verdict, now) == 0
    assert firings(robin) == []


# Cooldowns -----------------------------------------------------------------------------------


def test_a_rule_fires_again_exactly_after_its_cooldown(robin):
    turn_on(robin, STRESS, days_needed=1, window_days=1, cooldown_days=7)
    checkins(robin, TODAY + dt.timedelta(days=10), stress=[9] * 11)  # high every day
    with time_machine.travel(MORNING, tick=False) as traveller:
        for _day in range(11):
            early_warning.check(timezone.now())
            traveller.shift(dt.timedelta(days=1))
    assert firings(robin) == [
        (STRESS, TODAY),
        (STRESS, TODAY + dt.timedelta(days=7)),
    ]


def test_the_cooldown_is_per_rule(frozen, robin):
    turn_on(robin, STRESS, days_needed=1, window_days=1, cooldown_days=3)
    turn_on(robin, MOOD, days_needed=1, window_days=1, cooldown_days=3)
    RuleFiring.objects.create(
        owner=robin, kind=STRESS, day=TODAY - dt.timedelta(days=2), reason="Earlier."
    )
    checkins(robin, TODAY, stress=[9], mood=[1])
    early_warning.check(timezone.now())
    assert firings(robin) == [(STRESS, TODAY - dt.timedelta(days=2)), (MOOD, TODAY)]


# Time zones ----------------------------------------------------------------------------------


@pytest.fixture
def auckland(make_user: Callable[..., User]) -> User:
    user = make_user("kiri@example.org", display_name="Kiri", time_zone="Pacific/Auckland")
    User.objects.filter(pk=user.pk).update(date_joined=MORNING - dt.timedelta(days=400))
    return User.objects.get(pk=user.pk)


@pytest.fixture
def los_angeles(make_user: Callable[..., User]) -> User:
    user = make_user("lee@example.org", display_name="Lee", time_zone="America/Los_Angeles")
    User.objects.filter(pk=user.pk).update(date_joined=MORNING - dt.timedelta(days=400))
    return User.objects.get(pk=user.pk)


def test_each_member_is_checked_at_their_own_reminder_time_on_their_own_day(auckland, los_angeles):
    # On 5 January 2027 UTC, Auckland (UTC+13) is already on the 6th; Los Angeles (UTC-8) not.
    jan5, jan6 = dt.date(2027, 1, 5), dt.date(2027, 1, 6)
    for owner in (auckland, los_angeles):
        turn_on(owner, STRESS, days_needed=1, window_days=1)
    CheckIn.objects.create(owner=auckland, day=jan6, stress=9)
    CheckIn.objects.create(owner=los_angeles, day=jan5, stress=9)

    def at(hour: int, minute: int = 0) -> dt.datetime:
        return dt.datetime(2027, 1, 5, hour, minute, tzinfo=UTC)

    early_warning.check(at(16, 59))  # 08:59 in Los Angeles, 05:59 on the 6th in Auckland
    assert firings(los_angeles) == [] and firings(auckland) == []
    early_warning.check(at(17, 0))  # 09:00 in Los Angeles
    assert firings(los_angeles) == [(STRESS, jan5)] and firings(auckland) == []
    early_warning.check(at(19, 59))
    assert firings(auckland) == []
    early_warning.check(at(20, 0))  # 09:00 on the 6th in Auckland
    assert firings(auckland) == [(STRESS, jan6)]
    assert firings(los_angeles) == [(STRESS, jan5)]


def test_a_checkin_counts_on_the_members_local_day(auckland):
    # The 5th is the UTC date at this moment, but Auckland's today is the 6th.
    turn_on(auckland, STRESS, days_needed=1, window_days=1)
    CheckIn.objects.create(owner=auckland, day=dt.date(2027, 1, 5), stress=9)
    CheckIn.objects.create(owner=auckland, day=dt.date(2027, 1, 6), stress=2)
    early_warning.check(dt.datetime(2027, 1, 5, 20, 0, tzinfo=UTC))
    assert firings(auckland) == []


def test_contact_counts_on_the_members_local_day(auckland):
    turn_on(auckland, NO_CONTACT, window_days=2)
    # 11:30 UTC on the 4th is 00:30 on the 5th in Auckland: one day before their 6th.
    Interaction.objects.create(
        owner=auckland, occurred_at=dt.datetime(2027, 1, 4, 11, 30, tzinfo=UTC)
    )
    early_warning.check(dt.datetime(2027, 1, 5, 20, 0, tzinfo=UTC))
    assert firings(auckland) == []
    early_warning.check(dt.datetime(2027, 1, 6, 20, 0, tzinfo=UTC))
    assert firings(auckland) == [(NO_CONTACT, dt.date(2027, 1, 7))]


@pytest.mark.parametrize(
    ("latest", "fires"),
    [
        # 23:00 on the 6th in Los Angeles: 14 days before their 20th, too long ago to be news
        # (on the UTC date, the 7th, it would have been 13).
        (dt.datetime(2027, 1, 7, 7, 0, tzinfo=UTC), False),
        (dt.datetime(2027, 1, 7, 8, 30, tzinfo=UTC), True),  # 00:30 on the 7th: 13 days
    ],
)
def test_appointments_count_on_the_members_local_day(los_angeles, latest, fires):
    turn_on(los_angeles, MISSED)
    for starts in (dt.datetime(2027, 1, 3, 18, 0, tzinfo=UTC), latest):
        Appointment.objects.create(
            owner=los_angeles, kind="therapy", starts_at=starts, status="missed"
        )
    early_warning.check(dt.datetime(2027, 1, 20, 17, 0, tzinfo=UTC))  # 09:00 on the 20th
    assert firings(los_angeles) == ([(MISSED, dt.date(2027, 1, 20))] if fires else [])


@pytest.mark.parametrize(
    ("remind_at", "before", "after"),
    [
        # 01:30 never happens on 28 March 2027 in London: the clock jumps from 01:00 to 02:00.
        (dt.time(1, 30), dt.datetime(2027, 3, 28, 0, 59), dt.datetime(2027, 3, 28, 1, 0)),
        # 09:00 British Summer Time is 08:00 UTC.
        (dt.time(9, 0), dt.datetime(2027, 3, 28, 7, 59), dt.datetime(2027, 3, 28, 8, 0)),
    ],
)
def test_the_spring_forward_day_in_london(robin, remind_at, before, after):
    Preferences.objects.create(owner=robin, remind_at=remind_at)
    spring = dt.date(2027, 3, 28)
    turn_on(robin, STRESS, days_needed=2, window_days=2)
    CheckIn.objects.create(owner=robin, day=spring - dt.timedelta(days=1), stress=8)
    CheckIn.objects.create(owner=robin, day=spring, stress=8)
    early_warning.check(before.replace(tzinfo=UTC))
    assert firings(robin) == []
    early_warning.check(after.replace(tzinfo=UTC))
    assert firings(robin) == [(STRESS, spring)]


# Supporters ----------------------------------------------------------------------------------


@pytest.fixture
def circle(robin: User, make_user: Callable[..., User], make_link: Callable[..., Link]) -> Any:
    """Sam (check-in nudges, an e-mail channel), Lee (check-in nudges, no channel), Ada (not)."""
    sam = make_user("sam@example.org", display_name="Sam")
    email_channel(sam, "sam.alerts@example.org")
    lee = make_user("lee@example.org", display_name="Lee")
    ada = make_user("ada@example.org", display_name="Ada")
    links = {
        "sam": make_link(robin, sam, ["checkin_nudges", "mood_trend"], name="Sam Rivera"),
        "lee": make_link(robin, lee, ["checkin_nudges"], name="Lee Chen"),
        "ada": make_link(robin, ada, ["help_requests", "mood_trend"], name="Ada Okafor"),
    }
    return {"sam": sam, "lee": lee, "ada": ada, "links": links}


@pytest.fixture
def fired(frozen, robin, circle) -> RuleFiring:
    """Robin's stress rule fired this morning, and Robin chose to nudge supporters too."""
    turn_on(robin, STRESS, nudge_supporters=True)
    checkins(robin, TODAY, stress=[8, 9, 10])
    assert early_warning.check(timezone.now()) == 3  # Robin's nudge, Sam's and Lee's
    return RuleFiring.objects.get(owner=robin)


DUE = MORNING + dt.timedelta(minutes=60)


def test_only_supporters_with_checkin_nudges_are_nudged_after_the_delay(
    fired, robin, circle, smtp_inbox
):
    assert fired.supporters_nudged == 2
    assert fired.supporters_due_at == DUE
    sam_links, lee_links = circle["links"]["sam"], circle["links"]["lee"]
    (to_sam,) = nudges(circle["sam"], early_warning.CHECKIN_NUDGE)
    (to_lee,) = nudges(circle["lee"], early_warning.CHECKIN_NUDGE)
    assert nudges(circle["ada"], early_warning.CHECKIN_NUDGE) == []
    assert to_sam.dedup_key.startswith(f"checkin-nudge:{fired.pk}:{sam_links.pk}:")
    assert to_lee.dedup_key == f"checkin-nudge:{fired.pk}:{lee_links.pk}:email"
    assert to_lee.to_address == "lee@example.org" and to_lee.channel_id is None
    assert to_sam.due_at == DUE and to_sam.url == f"/supporting/{sam_links.pk}/"

    delivery.deliver_due(now=MORNING)
    (own,) = smtp_inbox.messages
    assert own["To"] == "robin@example.org"
    text = text_of(own)
    assert "in an hour, Sam Rivera and Lee Chen will get a short note" in text
    delivery.deliver_due(now=DUE - dt.timedelta(seconds=1))
    assert len(smtp_inbox.messages) == 1  # not before the delay

    delivery.deliver_due(now=DUE)
    to_supporters = {mail["To"]: mail for mail in smtp_inbox.messages[1:]}
    assert set(to_supporters) == {"sam.alerts@example.org", "lee@example.org"}
    for mail in to_supporters.values():
        assert mail["Subject"] == "Robin might appreciate a check-in"
        assert "a short hello, a call or a walk together" in text_of(mail)


def test_supporters_hear_only_after_the_members_quiet_hours(robin, circle):
    # Robin is reminded at 23:00, inside the quiet hours of their only channel (22:00-08:00).
    Channel.objects.filter(owner=robin).update(quiet_from=dt.time(22, 0), quiet_until=dt.time(8, 0))
    Preferences.objects.create(owner=robin, remind_at=dt.time(23, 0))
    turn_on(robin, STRESS, days_needed=1, window_days=1, nudge_supporters=True)
    checkins(robin, TODAY, stress=[9])
    early_warning.check(dt.datetime(2027, 1, 5, 23, 0, tzinfo=UTC))
    firing = RuleFiring.objects.get()
    assert firing.supporters_due_at == dt.datetime(2027, 1, 6, 9, 0, tzinfo=UTC)
    assert {m.due_at for m in Message.objects.filter(kind=early_warning.CHECKIN_NUDGE)} == {
        dt.datetime(2027, 1, 6, 9, 0, tzinfo=UTC)
    }


def test_one_channel_outside_its_quiet_hours_is_enough(robin, circle):
    Channel.objects.filter(owner=robin).update(quiet_from=dt.time(22, 0), quiet_until=dt.time(8, 0))
    email_channel(robin, "robin.phone@example.org")  # no quiet hours
    Preferences.objects.create(owner=robin, remind_at=dt.time(23, 0))
    turn_on(robin, STRESS, days_needed=1, window_days=1, nudge_supporters=True)
    checkins(robin, TODAY, stress=[9])
    early_warning.check(dt.datetime(2027, 1, 5, 23, 0, tzinfo=UTC))
    assert RuleFiring.objects.get().supporters_due_at == dt.datetime(2027, 1, 6, 0, 0, tzinfo=UTC)


def test_a_supporters_nudge_says_nothing_of_the_reason(fired, robin, circle, smtp_inbox):
    delivery.deliver_due(now=DUE)
    supporters_mail = [m for m in smtp_inbox.messages if m["To"] != "robin@example.org"]
    assert len(supporters_mail) == 2
    for message in Message.objects.filter(kind=early_warning.CHECKIN_NUDGE):
        words = f"{message.title}\n{message.body}".lower()
        assert not re.search(r"\d", words)
        for secret in ("stress", "mood", "rule", "sign", "high", "low", "days"):
            assert secret not in words, secret
    for mail in supporters_mail:
        words = f"{mail['Subject']}\n{text_of(mail)}".lower()
        assert "stress" not in words and "mood" not in words
        assert fired.reason.lower() not in words


def test_cancelling_before_the_delay_sends_supporters_nothing(fired, circle, smtp_inbox):
    assert early_warning.cancel_supporter_nudges(fired, now=MORNING + dt.timedelta(minutes=5))
    assert Message.objects.filter(kind=early_warning.CHECKIN_NUDGE).count() == 0
    fired.refresh_from_db()
    assert fired.supporters_cancelled_at == MORNING + dt.timedelta(minutes=5)
    assert early_warning.supporters_of(fired, DUE).state == early_warning.KEPT
    delivery.deliver_due(now=DUE + dt.timedelta(minutes=1))
    assert [mail["To"] for mail in smtp_inbox.messages] == ["robin@example.org"]
    # Twice is the same as once.
    assert not early_warning.cancel_supporter_nudges(fired)


def test_nothing_is_left_to_cancel_once_the_nudges_went(fired, circle, smtp_inbox):
    delivery.deliver_due(now=DUE)
    assert not early_warning.cancel_supporter_nudges(fired, now=DUE + dt.timedelta(minutes=1))
    fired.refresh_from_db()
    assert fired.supporters_cancelled_at is None
    assert early_warning.supporters_of(fired, DUE).state == early_warning.NUDGED


@pytest.mark.parametrize(
    "take_back",
    [
        lambda link: grants.set_scopes(link, ["mood_trend"]),
        lambda link: grants.end(link, "member"),
        lambda link: grants.end(link, "supporter"),
    ],
    ids=["scope revoked", "member ended the link", "supporter left"],
)
def test_a_nudge_whose_consent_ended_before_delivery_does_not_go(
    fired, circle, smtp_inbox, take_back
):
    take_back(circle["links"]["sam"])
    delivery.deliver_due(now=DUE)
    assert "sam.alerts@example.org" not in [mail["To"] for mail in smtp_inbox.messages]
    assert "lee@example.org" in [mail["To"] for mail in smtp_inbox.messages]
    # Deleted unsent: nothing in Sam's outbox says there was one.
    assert nudges(circle["sam"], early_warning.CHECKIN_NUDGE) == []


def test_a_member_without_supporters_to_nudge_is_told_so(frozen, robin, smtp_inbox):
    turn_on(robin, STRESS, nudge_supporters=True)
    checkins(robin, TODAY, stress=[8, 9, 10])
    assert early_warning.check(timezone.now()) == 1
    firing = RuleFiring.objects.get()
    assert firing.supporters_due_at is None and firing.supporters_nudged == 0
    assert early_warning.NOBODY_TO_NUDGE in firing.reason
    delivery.deliver_due(now=MORNING)
    assert early_warning.NOBODY_TO_NUDGE in text_of(smtp_inbox.messages[0])


def test_supporters_are_not_nudged_unless_the_member_chose_so(frozen, robin, circle):
    turn_on(robin, STRESS)
    checkins(robin, TODAY, stress=[8, 9, 10])
    assert early_warning.check(timezone.now()) == 1
    assert Message.objects.filter(kind=early_warning.CHECKIN_NUDGE).count() == 0
    firing = RuleFiring.objects.get()
    assert firing.supporters_due_at is None and early_warning.NOBODY_TO_NUDGE not in firing.reason


def test_a_nudge_that_outlived_keeping_it_back_does_not_go(fired, circle, smtp_inbox):
    # Kept back while a worker held Sam's note, say: it stays in the outbox, and is refused.
    RuleFiring.objects.filter(pk=fired.pk).update(supporters_cancelled_at=MORNING)
    delivery.deliver_due(now=DUE)
    assert [mail["To"] for mail in smtp_inbox.messages] == ["robin@example.org"]
    assert not Message.objects.filter(kind=early_warning.CHECKIN_NUDGE).exists()


def test_a_supporter_sees_no_nudge_in_their_outbox_before_it_is_due(fired, circle, smtp_inbox):
    """Until it is due, Robin may keep it back: Sam mustn't learn that a rule fired."""
    sam = Client()
    sam.force_login(circle["sam"])
    bearer = {"Authorization": f"Bearer {ApiToken.issue(circle['sam'])[1]}"}
    title = early_warning.supporter_title(fired.owner)
    with time_machine.travel(DUE - dt.timedelta(minutes=1), tick=False):
        assert title not in html.unescape(sam.get(reverse("notify:outbox")).content.decode())
        assert sam.get("/api/v1/outbox", headers=bearer).json()["items"] == []
    delivery.deliver_due(now=DUE)
    with time_machine.travel(DUE + dt.timedelta(minutes=1), tick=False):
        assert title in html.unescape(sam.get(reverse("notify:outbox")).content.decode())
        (sent,) = sam.get("/api/v1/outbox", headers=bearer).json()["items"]
        assert sent["title"] == title


def test_a_member_without_any_channel_still_has_the_firing_on_record(frozen, member):
    Channel.objects.create(owner=member, kind="email", config={"address": "robin@example.org"})
    turn_on(member, STRESS, days_needed=1, window_days=1)
    checkins(member, TODAY, stress=[9])
    assert early_warning.check(timezone.now()) == 0
    (firing,) = early_warning.firings_of(member)
    assert firing.reason == "Your stress has been 7 or more today."
    assert Message.objects.count() == 0  # an unverified channel gets nothing
    assert firing.self_nudges == 0  # type: ignore[attr-defined]


def test_a_firing_counts_its_own_nudges_only(frozen, robin, make_user):
    email_channel(robin, "robin.second@example.org")
    turn_on(robin, STRESS, days_needed=1, window_days=1)
    turn_on(robin, MOOD, days_needed=1, window_days=1)
    checkins(robin, TODAY, stress=[9], mood=[1])
    early_warning.check(timezone.now())
    assert [f.self_nudges for f in early_warning.firings_of(robin)] == [2, 2]  # type: ignore[attr-defined]


# Cost ----------------------------------------------------------------------------------------


def lots_of_history(owner: User) -> None:
    for back in range(1, 40):
        CheckIn.objects.create(owner=owner, day=TODAY - dt.timedelta(days=back), stress=3, mood=6)
    for back in range(1, 60):
        Interaction.objects.create(owner=owner, occurred_at=MORNING - dt.timedelta(days=back))
    for back in range(2, 59, 3):
        appointment(owner, back, "attended")
    for back in (100, 200, 300):
        RuleFiring.objects.create(
            owner=owner, kind=STRESS, day=TODAY - dt.timedelta(days=back), reason="Earlier."
        )


def queries_to_check(owner: User, history: bool) -> int:
    for kind in rules.KINDS:
        turn_on(owner, kind, **({"days_needed": 1, "window_days": 1} if kind == STRESS else {}))
    CheckIn.objects.create(owner=owner, day=TODAY, stress=9)
    # The same outcome either way: only the stress rule fires.
    Interaction.objects.create(owner=owner, occurred_at=MORNING - dt.timedelta(hours=20))
    appointment(owner, 1, "attended")
    if history:
        lots_of_history(owner)
    with CaptureQueriesContext(connection) as captured:
        early_warning.check(timezone.now())
    assert firings(owner)[-1] == (STRESS, TODAY)
    return len(captured)


def test_the_cost_of_a_check_does_not_grow_with_the_members_history(frozen, make_user):
    def someone(email: str) -> User:
        user = make_user(email)
        User.objects.filter(pk=user.pk).update(date_joined=MORNING - dt.timedelta(days=400))
        user.refresh_from_db()
        email_channel(user, email)
        return user

    little = queries_to_check(someone("new@example.org"), history=False)
    much = queries_to_check(someone("old@example.org"), history=True)
    assert little == much
    assert little <= 20


def test_a_pass_with_everyone_checked_costs_two_queries(frozen, robin, make_user):
    for n in range(5):
        turn_on(make_user(f"m{n}@example.org"), STRESS)
    turn_on(robin, STRESS)
    early_warning.check(timezone.now())
    with CaptureQueriesContext(connection) as captured:
        assert early_warning.check(timezone.now()) == 0
    assert len(captured) == 2


def test_a_pass_before_anyones_reminder_time_costs_two_queries(robin, make_user):
    for n in range(5):
        turn_on(make_user(f"m{n}@example.org"), STRESS)
    turn_on(robin, STRESS)
    with CaptureQueriesContext(connection) as captured:
        assert early_warning.check(dt.datetime(2027, 1, 5, 8, 0, tzinfo=UTC)) == 0
    assert len(captured) == 2
