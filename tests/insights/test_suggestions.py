"""Gentle suggestions: one for each gap, most important first, each at its threshold."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from closeknit.insights.metrics import (
    Balance,
    CircleCount,
    Concentration,
    ContactFacts,
    Coverage,
    Giver,
    InPersonShare,
    NetworkHealth,
    PersonFacts,
    RoleDiversity,
    Runs,
    network_health,
)
from closeknit.insights.suggestions import ACTIONS, Suggestion, suggestions

TODAY = dt.date(2024, 6, 12)
TYPES = ("emotional", "practical", "informational", "companionship")


def giver(pk: int, name: str, times: int, logged: int) -> Giver:
    return Giver(person_id=pk, name=name, times=times, share=times / logged, marked=True)


def covered(kind: str) -> Coverage:
    """Two people sharing a type evenly: covered, no single point."""
    return Coverage(
        support_type=kind,
        label=kind.capitalize(),
        givers=[giver(1, "Ada", 2, 4), giver(2, "Sam", 2, 4)],
        logged=4,
        single_point=None,
    )


def leaning_on(kind: str, name: str = "Sam") -> Coverage:
    sam = giver(2, name, 3, 4)
    return Coverage(
        support_type=kind,
        label=kind.capitalize(),
        givers=[sam, giver(1, "Ada", 1, 4)],
        logged=4,
        single_point=sam,
    )


def nobody_gives(kind: str) -> Coverage:
    return Coverage(
        support_type=kind, label=kind.capitalize(), givers=[], logged=0, single_point=None
    )


def circles(inner: int = 2, middle: int = 3, outer: int = 4) -> list[CircleCount]:
    return [
        CircleCount("inner", "Inner circle", inner),
        CircleCount("middle", "Middle circle", middle),
        CircleCount("outer", "Outer circle", outer),
    ]


def diversity(score: int, band: str, roles: list[str] | None = None) -> RoleDiversity:
    labels = (
        roles
        if roles is not None
        else ["Family", "Close friends", "Work", "Groups", "Studies"][:score]
    )
    return RoleDiversity(score=score, possible=9, roles=labels, band=band, people=score)


def healthy(**changes: object) -> NetworkHealth:
    """A network with no gap at all; each test changes one thing."""
    base = NetworkHealth(
        today=TODAY,
        people=9,
        circles=circles(),
        diversity=diversity(5, "moderate"),
        coverage=[covered(kind) for kind in TYPES],
        missing_types=[],
        reciprocity=Balance(given=6, received=8, mutual=10),
        reciprocity_by_person=[],
        in_person=InPersonShare(in_person=8, total=24, share=8 / 24),
        weekly=[],
        runs=Runs(current=1, longest=5, longest_from=None, longest_to=None),
        concentration=Concentration(index=0.2, effective_people=5.0, contacts=24, people=6),
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def keys(health: NetworkHealth) -> list[str]:
    return [one.key for one in suggestions(health)]


def only(health: NetworkHealth, key: str) -> Suggestion:
    [found] = [one for one in suggestions(health) if one.key == key]
    return found


def with_run(days: int | None) -> NetworkHealth:
    return healthy(runs=Runs(current=days, longest=days, longest_from=None, longest_to=None))


def in_person(count: int, total: int) -> NetworkHealth:
    share = count / total if total else None
    return healthy(in_person=InPersonShare(in_person=count, total=total, share=share))


def balance(given: int, received: int, mutual: int = 0) -> NetworkHealth:
    return healthy(reciprocity=Balance(given=given, received=received, mutual=mutual))


# Nothing stands out


def test_a_healthy_network_has_no_suggestions():
    assert suggestions(healthy()) == []


# No people at all


def test_no_people_is_one_suggestion_to_add_the_first_person():
    health = network_health([], [], TODAY)
    [found] = suggestions(health)
    assert found.key == "no-people"
    assert found.action == "add-person"


def test_no_people_hides_every_other_gap():
    health = healthy(
        people=0,
        circles=circles(0, 0, 0),
        missing_types=list(TYPES),
        runs=Runs(current=30, longest=30, longest_from=None, longest_to=None),
    )
    assert keys(health) == ["no-people"]


# Missing support types


@pytest.mark.parametrize(
    ("kind", "idea"),
    [
        ("emotional", "a friend, a peer or a counsellor"),
        ("practical", "a neighbour, a family member or a volunteer group"),
        ("informational", "a mentor, a support group or a professional could."),
        ("companionship", "a club, a class or a support group"),
    ],
)
def test_each_missing_type_has_its_own_idea(kind, idea):
    coverage = [nobody_gives(one) if one == kind else covered(one) for one in TYPES]
    found = only(healthy(coverage=coverage, missing_types=[kind]), f"missing:{kind}")
    assert found.text.startswith("Nobody is marked as giving ")
    assert idea in found.text
    assert found.action == "add-person"


def test_the_informational_gap_reads_as_the_issue_asks():
    found = only(healthy(missing_types=["informational"]), "missing:informational")
    assert found.text == (
        "Nobody is marked as giving informational support — a mentor, a support group or a "
        "professional could."
    )


def test_missing_types_come_in_vocabulary_order():
    health = healthy(missing_types=["emotional", "companionship"])
    assert keys(health) == ["missing:emotional", "missing:companionship"]


# Single points


def test_a_single_point_names_the_person_kindly():
    coverage = [leaning_on("emotional") if one == "emotional" else covered(one) for one in TYPES]
    found = only(healthy(coverage=coverage), "single-point:emotional")
    assert found.text == (
        "Most of your emotional support lately has come from Sam. Sam matters — and it can help "
        "to have someone else to lean on too."
    )
    assert found.action == "people"


def test_every_single_point_is_its_own_suggestion_in_type_order():
    coverage = [leaning_on(kind, name) for kind, name in zip(TYPES, "ABCD", strict=True)]
    assert keys(healthy(coverage=coverage)) == [f"single-point:{kind}" for kind in TYPES]
    texts = [one.text for one in suggestions(healthy(coverage=coverage))]
    assert texts[3].startswith("Most of your companionship lately has come from D.")


def test_a_type_without_a_single_point_has_no_suggestion():
    assert not [key for key in keys(healthy()) if key.startswith("single-point")]


# The inner circle


def test_an_empty_inner_circle_is_a_gap():
    found = only(healthy(circles=circles(inner=0)), "inner-circle")
    assert found.action == "people"


def test_one_person_in_the_inner_circle_is_enough():
    assert "inner-circle" not in keys(healthy(circles=circles(inner=1, middle=0, outer=0)))


# Role diversity


@pytest.mark.parametrize(("score", "band"), [(1, "low"), (3, "low")])
def test_low_diversity_names_the_parts_of_life_in_touch(score, band):
    found = only(healthy(diversity=diversity(score, band)), "diversity")
    assert found.action == "reach-out"
    assert "Over the last two weeks you were in touch with " in found.text


def test_low_diversity_lists_the_roles_in_words():
    found = only(healthy(diversity=diversity(2, "low")), "diversity")
    assert "two parts of your life (family and close friends)" in found.text
    one = only(healthy(diversity=diversity(1, "low")), "diversity")
    assert "one part of your life (family)" in one.text


@pytest.mark.parametrize(("score", "band"), [(4, "moderate"), (6, "high")])
def test_moderate_or_high_diversity_is_no_gap(score, band):
    assert "diversity" not in keys(healthy(diversity=diversity(score, band)))


def test_no_diversity_without_a_long_run_is_a_gap():
    found = only(healthy(diversity=diversity(0, "none", [])), "diversity")
    assert "last two weeks" in found.text
    assert found.action == "reach-out"


def test_no_diversity_during_a_long_run_is_said_once_by_the_run():
    health = dataclasses.replace(with_run(20), diversity=diversity(0, "none", []))
    assert keys(health) == ["run"]


def test_low_diversity_during_a_long_run_is_still_said():
    health = dataclasses.replace(with_run(8), diversity=diversity(1, "low"))
    assert keys(health) == ["run", "diversity"]


# A run without contact


def test_six_days_without_contact_is_not_yet_a_run():
    assert "run" not in keys(with_run(6))


def test_seven_days_without_contact_is_a_gentle_run_suggestion():
    found = only(with_run(7), "run")
    assert found.text == (
        "It's been 7 days since you were last in touch with anyone. A short message to someone "
        "you trust could be a good start."
    )
    assert found.action == "reach-out"


def test_eight_days_without_contact_says_eight():
    assert "It's been 8 days" in only(with_run(8), "run").text


def test_no_contact_ever_is_no_run_suggestion():
    assert "run" not in keys(with_run(None))


# In person


def test_under_a_fifth_in_person_with_ten_contacts_suggests_seeing_someone():
    found = only(in_person(1, 10), "in-person")
    assert "in person" in found.text
    assert found.action == "reach-out"


@pytest.mark.parametrize(("count", "total"), [(2, 10), (3, 10), (0, 9)])
def test_a_fifth_or_more_in_person_or_too_few_contacts_is_no_gap(count, total):
    assert "in-person" not in keys(in_person(count, total))


@pytest.mark.parametrize(("count", "total"), [(19, 100), (0, 10), (2, 11)])
def test_just_under_a_fifth_or_just_over_ten_contacts_is_a_gap(count, total):
    assert "in-person" in keys(in_person(count, total))


def test_no_contact_at_all_is_no_in_person_gap():
    assert "in-person" not in keys(in_person(0, 0))


# Giving and receiving


@pytest.mark.parametrize(
    ("given", "received", "expected"),
    [
        (3, 8, False),  # just under three times
        (3, 9, True),  # exactly three times
        (3, 10, True),  # just over
        (0, 9, False),  # nine contacts are too few
        (0, 10, True),  # ten are enough
        (1, 10, True),
    ],
)
def test_receiving_three_times_what_was_given_suggests_being_there_for_someone(
    given, received, expected
):
    assert ("reciprocity:receiving" in keys(balance(given, received))) is expected


def test_the_receiving_words_are_kind_and_keep_no_score():
    found = only(balance(0, 12), "reciprocity:receiving")
    assert "being there for someone else can feel good too" in found.text
    for debt in ("owe", "debt", "pay back", "repay", "return the favour"):
        assert debt not in found.text.lower()
    assert found.action == "reach-out"


@pytest.mark.parametrize(
    ("given", "received", "expected"),
    [
        (8, 3, False),
        (9, 3, True),
        (10, 3, True),
        (9, 0, False),
        (10, 0, True),
    ],
)
def test_giving_three_times_what_was_received_says_it_is_okay_to_be_supported(
    given, received, expected
):
    assert ("reciprocity:giving" in keys(balance(given, received))) is expected


def test_the_giving_words_are_the_issues():
    found = only(balance(10, 0), "reciprocity:giving")
    assert found.text == "You give a lot. It's okay to let others support you too."


def test_mutual_contact_neither_tilts_nor_counts_toward_the_ten():
    assert not [key for key in keys(balance(0, 1, mutual=50)) if key.startswith("reciprocity")]
    assert not [key for key in keys(balance(1, 0, mutual=50)) if key.startswith("reciprocity")]


def test_no_giving_or_receiving_at_all_is_no_tilt():
    assert keys(balance(0, 0, mutual=0)) == []


# Order and words


def every_gap(**changes: object) -> NetworkHealth:
    coverage = [
        leaning_on("emotional"),
        leaning_on("practical", "Ada"),
        nobody_gives("informational"),
        nobody_gives("companionship"),
    ]
    return dataclasses.replace(
        healthy(
            circles=circles(inner=0),
            diversity=diversity(2, "low"),
            coverage=coverage,
            missing_types=["informational", "companionship"],
            reciprocity=Balance(given=1, received=12, mutual=3),
            in_person=InPersonShare(in_person=1, total=16, share=1 / 16),
            runs=Runs(current=9, longest=9, longest_from=None, longest_to=None),
        ),
        **changes,  # type: ignore[arg-type]
    )


def test_every_gap_comes_most_important_first():
    assert keys(every_gap()) == [
        "run",
        "missing:informational",
        "missing:companionship",
        "inner-circle",
        "single-point:emotional",
        "single-point:practical",
        "diversity",
        "in-person",
        "reciprocity:receiving",
    ]


def every_text() -> list[Suggestion]:
    """Every wording the module has: each gap, each missing type, both tilts, no people."""
    variants = [
        every_gap(),
        every_gap(missing_types=list(TYPES)),
        every_gap(reciprocity=Balance(given=12, received=1, mutual=0)),
        every_gap(diversity=diversity(0, "none", []), runs=Runs(2, 2, None, None)),
        every_gap(diversity=diversity(1, "low")),
        healthy(people=0),
    ]
    return [one for health in variants for one in suggestions(health)]


def test_every_variant_is_covered_by_the_word_checks():
    found = {one.key for one in every_text()}
    assert {f"missing:{kind}" for kind in TYPES} <= found
    assert {"reciprocity:giving", "reciprocity:receiving", "no-people", "run"} <= found
    assert len({one.text for one in every_text() if one.key == "diversity"}) == 3


def test_no_suggestion_scolds_or_exclaims():
    for one in every_text():
        text = one.text.lower()
        assert "should" not in text, one.text
        assert "fail" not in text, one.text
        assert "!" not in text, one.text


def test_every_suggestion_has_a_known_action_and_one_or_two_sentences():
    for one in every_text():
        assert one.action in ACTIONS
        assert one.text.endswith(".")
        assert 1 <= one.text.count(". ") + 1 <= 2, one.text


def test_keys_are_unique_within_one_list():
    found = keys(every_gap(missing_types=list(TYPES)))
    assert len(found) == len(set(found))


# From facts to words


def test_suggestions_from_a_real_network():
    def person(pk: int, name: str, circle: str, gives: set[str]) -> PersonFacts:
        return PersonFacts(pk, name, circle, frozenset({"friend"}), frozenset(gives), None)

    def contact(days_ago: int, *ids: int, types: set[str]) -> ContactFacts:
        day = TODAY - dt.timedelta(days=days_ago)
        return ContactFacts(day, frozenset(ids), "message", "received", frozenset(types))

    people = [
        person(1, "Sam", "middle", {"emotional", "practical", "companionship"}),
        person(2, "Ada", "outer", {"emotional"}),
    ]
    contacts = [contact(days, 1, types={"emotional"}) for days in (10, 11, 12)]
    found = keys(network_health(people, contacts, TODAY))
    assert found == [
        "run",
        "missing:informational",
        "inner-circle",
        "single-point:emotional",
        "diversity",
    ]
    run = only(network_health(people, contacts, TODAY), "run")
    assert run.text.startswith("It's been 10 days since")
