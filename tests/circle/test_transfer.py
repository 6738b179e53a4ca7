"""The circle of supporters in the JSON export, and what of it comes back into an account."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from closeknit.accounts.models import User
from closeknit.circle import early_warning, grants
from closeknit.circle.exporting import CIRCLE_KEYS, circle_document
from closeknit.circle.models import (
    AccessEntry,
    Encouragement,
    HelpAnswer,
    HelpRequest,
    Link,
    RuleFiring,
    RuleSetting,
)
from closeknit.network.exporting import export_document
from closeknit.network.importing import ImportFileError, ImportResult, import_document
from closeknit.network.models import Person
from closeknit.notify.models import Message

MOMENT = datetime(2026, 3, 18, 10, 30, tzinfo=UTC)
IMPORTED = ["early_warning_rules", "early_warning_firings", "encouragements"]


@pytest.fixture
def moved(db: Any) -> User:
    return User.objects.create_user("moved@example.org", "a-long-and-kind-passphrase")


@pytest.fixture
def circle(member: User, supporter: User, network: dict[str, Any]) -> dict[str, Any]:
    """Sam supports the member and sees the mood trend; Ada used to, and left."""
    sam = network["sam"]
    link = Link.objects.create(
        owner=member,
        supporter=supporter,
        person=sam,
        scopes=["mood_trend", "help_requests"],
        created_at=MOMENT - timedelta(days=30),
    )
    ada_account = User.objects.create_user("ada@example.org", "a-long-and-kind-passphrase")
    Link.objects.create(
        owner=member,
        supporter=ada_account,
        person=network["ada"],
        scopes=[],
        created_at=MOMENT - timedelta(days=40),
        ended_at=MOMENT - timedelta(days=2),
        ended_by="supporter",
    )
    RuleSetting.objects.create(
        owner=member,
        kind="no_contact",
        enabled=False,
        window_days=10,
        cooldown_days=14,
    )
    RuleSetting.objects.create(
        owner=member,
        kind="stress_high",
        enabled=True,
        threshold=8,
        days_needed=3,
        window_days=5,
        cooldown_days=7,
        nudge_supporters=True,
    )
    RuleFiring.objects.create(
        owner=member,
        kind="stress_high",
        day=date(2026, 3, 10),
        reason="Your stress was 8 or more on 3 of the last 5 days.",
        fired_at=MOMENT - timedelta(days=8),
        supporters_nudged=1,
    )
    RuleFiring.objects.create(
        owner=member,
        kind="stress_high",
        day=date(2026, 3, 17),
        reason="Your stress was 8 or more on 4 of the last 5 days.",
        fired_at=MOMENT - timedelta(days=1),
        supporters_cancelled_at=MOMENT - timedelta(hours=23),
    )
    request = HelpRequest.objects.create(
        owner=member,
        message="Having a hard evening, could you call?",
        client_key="tap-1",
        created_at=MOMENT - timedelta(days=3),
    )
    HelpAnswer.objects.create(
        owner=member,
        request=request,
        link=link,
        supporter=supporter,
        supporter_name="Sam Rivera",
        answer="reaching_out",
        answered_at=MOMENT - timedelta(days=3) + timedelta(minutes=4),
    )
    HelpAnswer.objects.create(
        owner=member, request=request, supporter=ada_account, supporter_name="Ada Okafor"
    )
    Encouragement.objects.create(
        owner=member,
        link=link,
        supporter=supporter,
        author_name="Sam Rivera",
        text="Proud of you.\nSee you Sunday.",
        favourite=True,
        sent_at=MOMENT - timedelta(days=5),
    )
    Encouragement.objects.create(
        owner=member, author_name="Ada Okafor", text="Thinking of you.", sent_at=MOMENT
    )
    entry = grants.record(link, "viewed", "mood_trend")
    AccessEntry.objects.filter(pk=entry.pk).update(at=MOMENT - timedelta(hours=1))
    return {"sam": sam, "link": link}


# The export ------------------------------------------------------------------------------


def test_the_circles_keys_end_the_document(circle, member):
    document = export_document(member)
    assert list(document)[-len(CIRCLE_KEYS) :] == list(CIRCLE_KEYS)
    json.dumps(document)


def test_supporters_oldest_first_with_what_they_share(circle, member, network):
    assert export_document(member)["supporters"] == [
        {
            "person": network["ada"].pk,
            "name": "Ada Okafor",
            "scopes": [],
            "since": "2026-02-06T10:30:00+00:00",
            "ended_at": "2026-03-16T10:30:00+00:00",
            "ended_by": "supporter",
        },
        {
            "person": network["sam"].pk,
            "name": "Sam Rivera",
            "scopes": ["mood_trend", "help_requests"],
            "since": "2026-02-16T10:30:00+00:00",
            "ended_at": None,
            "ended_by": "",
        },
    ]


def test_rules_in_the_settings_pages_order_and_firings_oldest_first(circle, member):
    document = export_document(member)
    assert document["early_warning_rules"] == [
        {
            "kind": "stress_high",
            "enabled": True,
            "threshold": 8,
            "days_needed": 3,
            "window_days": 5,
            "cooldown_days": 7,
            "nudge_supporters": True,
        },
        {
            "kind": "no_contact",
            "enabled": False,
            "threshold": None,
            "days_needed": None,
            "window_days": 10,
            "cooldown_days": 14,
            "nudge_supporters": False,
        },
    ]
    assert document["early_warning_firings"] == [
        {
            "kind": "stress_high",
            "day": "2026-03-10",
            "reason": "Your stress was 8 or more on 3 of the last 5 days.",
            "fired_at": "2026-03-10T10:30:00+00:00",
            "supporters_nudged": 1,
            "kept_to_myself_at": None,
        },
        {
            "kind": "stress_high",
            "day": "2026-03-17",
            "reason": "Your stress was 8 or more on 4 of the last 5 days.",
            "fired_at": "2026-03-17T10:30:00+00:00",
            "supporters_nudged": 0,
            "kept_to_myself_at": "2026-03-17T11:30:00+00:00",
        },
    ]


def test_help_requests_with_every_answer_and_silence(circle, member):
    assert export_document(member)["help_requests"] == [
        {
            "message": "Having a hard evening, could you call?",
            "sent_at": "2026-03-15T10:30:00+00:00",
            "answers": [
                {
                    "supporter": "Sam Rivera",
                    "answer": "reaching_out",
                    "answered_at": "2026-03-15T10:34:00+00:00",
                },
                {"supporter": "Ada Okafor", "answer": None, "answered_at": None},
            ],
        }
    ]


def test_encouragement_and_the_access_log_decrypted_oldest_first(circle, member):
    document = export_document(member)
    assert document["encouragements"] == [
        {
            "from": "Sam Rivera",
            "text": "Proud of you.\nSee you Sunday.",
            "favourite": True,
            "sent_at": "2026-03-13T10:30:00+00:00",
        },
        {
            "from": "Ada Okafor",
            "text": "Thinking of you.",
            "favourite": False,
            "sent_at": "2026-03-18T10:30:00+00:00",
        },
    ]
    assert document["access_log"] == [
        {
            "supporter": "Sam Rivera",
            "action": "viewed",
            "part": "mood_trend",
            "via": "web",
            "at": "2026-03-18T09:30:00+00:00",
        }
    ]


def test_an_empty_circle_exports_empty_lists(member):
    document = export_document(member)
    assert all(document[key] == [] for key in CIRCLE_KEYS)


def test_a_supporter_s_export_holds_none_of_the_member_s_circle(circle, supporter, stranger):
    """What a supporter sees of a member is the member's, never in the supporter's file."""
    for other in (supporter, stranger):
        text = json.dumps(export_document(other))
        assert "Proud of you" not in text and "hard evening" not in text
        assert all(export_document(other)[key] == [] for key in CIRCLE_KEYS)


def test_someone_not_in_the_export_is_named_but_not_numbered(circle, member):
    document = circle_document(member, set())
    assert [s["person"] for s in document["supporters"]] == [None, None]
    assert [s["name"] for s in document["supporters"]] == ["Ada Okafor", "Sam Rivera"]


def test_seven_queries_however_many(circle, member, supporter, django_assert_num_queries):
    for n in range(20):
        Encouragement.objects.create(owner=member, author_name="Sam", text=f"Note {n}")
        request = HelpRequest.objects.create(owner=member, message="Hi", client_key=f"k{n}")
        HelpAnswer.objects.create(
            owner=member, request=request, supporter=supporter, supporter_name="Sam"
        )
        grants.record(circle["link"], "viewed", "overview")
    with django_assert_num_queries(7):
        circle_document(member, {circle["sam"].pk})


# The import ------------------------------------------------------------------------------


def test_round_trip_brings_back_rules_firings_and_encouragement(circle, member, moved):
    document = export_document(member)
    result = import_document(moved, document)
    network = len(document["people"]) + len(document["groups"]) + len(document["interactions"])
    assert result.created == network + 2 + 2 + 2
    assert export_document(moved)["early_warning_rules"] == document["early_warning_rules"]
    assert export_document(moved)["early_warning_firings"] == document["early_warning_firings"]
    assert export_document(moved)["encouragements"] == document["encouragements"]
    # The cooldown carries on where it was: the rule last fired on the 17th.
    assert early_warning.last_fired(moved) == {"stress_high": date(2026, 3, 17)}


def test_links_help_requests_and_the_log_stay_on_the_old_server(circle, member, moved):
    import_document(moved, export_document(member))
    assert not Link.objects.filter(owner=moved).exists()
    assert not HelpRequest.objects.owned_by(moved).exists()
    assert not AccessEntry.objects.owned_by(moved).exists()
    assert not Message.objects.owned_by(moved).exists()
    assert all(note.link_id is None for note in Encouragement.objects.owned_by(moved))
    # A firing waits for no one: nothing is ever sent for one that came in a file.
    assert not RuleFiring.objects.owned_by(moved).exclude(supporters_due_at=None).exists()


def test_the_parts_kept_for_the_record_are_not_read(circle, member, moved):
    document = export_document(member)
    document.update(supporters="lost", help_requests=[1, 2], access_log={"a": 1})
    import_document(moved, document)
    assert Encouragement.objects.owned_by(moved).count() == 2


def test_importing_twice_changes_nothing(circle, member, moved):
    document = export_document(member)
    import_document(moved, document)
    once = export_document(moved)
    keys = ("people", "groups", "interactions", *IMPORTED)
    total = sum(len(document[key]) for key in keys)
    assert import_document(moved, document) == ImportResult(0, 0, total)
    again = export_document(moved)
    assert all(again[key] == once[key] for key in IMPORTED)


def test_importing_back_into_the_same_account_changes_nothing(circle, member):
    before = export_document(member)
    import_document(member, before)
    after = export_document(member)
    assert all(after[key] == before[key] for key in CIRCLE_KEYS)


def test_a_rule_the_account_already_has_keeps_the_newer_choice(circle, member, moved):
    RuleSetting.objects.create(
        owner=moved, kind="stress_high", enabled=False, threshold=6, days_needed=2, window_days=7
    )
    import_document(moved, export_document(member))
    kept = RuleSetting.objects.owned_by(moved).get(kind="stress_high")
    assert (kept.enabled, kept.threshold, kept.days_needed, kept.window_days) == (False, 6, 2, 7)
    assert RuleSetting.objects.owned_by(moved).filter(kind="no_contact").exists()


def test_two_notes_alike_each_come_back_once(member, moved):
    document = export_document(member)
    note = {"from": "Sam", "text": "You've got this.", "sent_at": "2026-01-01T10:00:00+00:00"}
    document["encouragements"] = [note, dict(note)]
    import_document(moved, document)
    import_document(moved, document)
    assert Encouragement.objects.owned_by(moved).count() == 2


def rule(**fields: Any) -> dict[str, Any]:
    return {"kind": "mood_low", "threshold": 3, "days_needed": 3, "window_days": 5, **fields}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["early_warning_rules"][0].update(kind="sleep_low"),
            "Early-warning rule 1: “sleep_low” isn't an early-warning rule we know",
        ),
        (
            lambda d: d["early_warning_rules"][0].update(threshold=11),
            "Early-warning rule 1: its “threshold” should be a whole number from 0 to 10.",
        ),
        (
            lambda d: d["early_warning_rules"][1].update(cooldown_days=0),
            "Early-warning rule 2: its “cooldown_days” should be a whole number from 1 to 90.",
        ),
        (
            lambda d: d["early_warning_rules"].append(rule(days_needed=6)),
            "Early-warning rule 3, “days_needed”: Please choose a number of days no larger "
            "than the 5 days it looks back over.",
        ),
        (
            lambda d: d["early_warning_rules"].append(rule(kind="no_contact")),
            "Early-warning rule 3, “days_needed”:",
        ),
        (
            lambda d: d["early_warning_rules"][1].update(
                kind="stress_high", threshold=7, days_needed=2, window_days=4
            ),
            "Early-warning rule 2: rule 1 is the same rule; there can be one setting of each.",
        ),
        (
            lambda d: d["early_warning_rules"][0].update(enabled="yes"),
            "Early-warning rule 1: “enabled” should be",
        ),
        (
            lambda d: d["early_warning_firings"][0].update(day=None),
            "Early-warning firing 1: its “day” is empty.",
        ),
        (
            lambda d: d["early_warning_firings"][1].update(day="2026-03-10"),
            "Early-warning firing 2: firing 1 is the same rule on the same day (2026-03-10)",
        ),
        (
            lambda d: d["early_warning_firings"][0].update(day="2099-01-01"),
            "Early-warning firing 1: its “day” (2099-01-01) is still ahead.",
        ),
        (
            lambda d: d["early_warning_firings"][1].update(fired_at="2099-01-01T09:00:00+00:00"),
            "Early-warning firing 2: its “fired_at” (2099-01-01T09:00:00+00:00) is still ahead.",
        ),
        (
            lambda d: d["early_warning_firings"][0].update(reason=" "),
            "Early-warning firing 1: its “reason” is empty.",
        ),
        (
            lambda d: d["early_warning_firings"][0].update(fired_at="last week"),
            "Early-warning firing 1: its “fired_at” should be a time",
        ),
        (
            lambda d: d["encouragements"][0].update(text="x" * 501),
            "Encouragement 1: its “text” is longer than 500 characters.",
        ),
        (lambda d: d["encouragements"][1].update(text=""), "Encouragement 2: its “text” is empty."),
        (lambda d: d["encouragements"][0].pop("from"), "Encouragement 1: its “from” is empty."),
        (
            lambda d: d["encouragements"][0].update(favourite=1),
            "Encouragement 1: “favourite” should be",
        ),
        (lambda d: d.update(encouragements="many"), "“encouragements” should be a list"),
        (lambda d: d["early_warning_firings"].append(7), "Early-warning firing 3: this should be"),
    ],
)
def test_a_damaged_record_is_named_and_nothing_is_imported(circle, member, moved, change, message):
    document = export_document(member)
    change(document)
    with pytest.raises(ImportFileError) as error:
        import_document(moved, document)
    assert message in str(error.value)
    assert not Person.objects.owned_by(moved).exists()
    assert not RuleSetting.objects.owned_by(moved).exists()
    assert not RuleFiring.objects.owned_by(moved).exists()
    assert not Encouragement.objects.owned_by(moved).exists()


def test_an_import_writes_in_a_fixed_number_of_queries(member, moved):
    def queries_for(size: int, who: User) -> int:
        document = export_document(member)
        start = date(2026, 1, 1)
        document["early_warning_firings"] = [
            {
                "kind": "mood_low",
                "day": (start + timedelta(days=n)).isoformat(),
                "reason": "Your mood was low.",
                "fired_at": "2026-01-01T10:00:00+00:00",
            }
            for n in range(size)
        ]
        document["encouragements"] = [
            {"from": "Sam", "text": f"Note {n}", "sent_at": "2026-01-01T10:00:00+00:00"}
            for n in range(size)
        ]
        with CaptureQueriesContext(connection) as captured:
            import_document(who, document)
        return len(captured)

    other = User.objects.create_user("other@example.org", "a-long-and-kind-passphrase")
    assert queries_for(3, moved) == queries_for(40, other)
