"""The convoy diagram's layout: rings, dots that never overlap, sizes, fading and words."""

from __future__ import annotations

import datetime as dt
import itertools
import math
import random

import pytest

from closeknit.insights import convoy as module
from closeknit.insights.convoy import Convoy, Dot, convoy
from closeknit.insights.metrics import ContactFacts, PersonFacts

TODAY = dt.date(2026, 12, 1)
CENTER = module.SIZE / 2


def ago(days: int) -> dt.date:
    return TODAY - dt.timedelta(days=days)


def person(
    pk: int,
    name: str = "",
    circle: str = "middle",
    support: tuple[str, ...] = (),
    rhythm: int | None = None,
) -> PersonFacts:
    return PersonFacts(
        person_id=pk,
        name=name or f"Person {pk:04d}",
        circle=circle,
        roles=frozenset(),
        support_types=frozenset(support),
        rhythm_days=rhythm,
    )


def contact(days_ago: int, *ids: int) -> ContactFacts:
    return ContactFacts(
        day=ago(days_ago),
        person_ids=frozenset(ids),
        channel="call",
        direction="mutual",
        support_types=frozenset(),
    )


def lay_out(people, contacts=(), last=None) -> Convoy:
    contacts = list(contacts)
    if last is None:  # the all-time latest day, as the caller reads it
        last = {}
        for entry in contacts:
            for pk in entry.person_ids:
                last[pk] = max(last.get(pk, entry.day), entry.day)
    return convoy(list(people), contacts, last, TODAY)


def dot(found: Convoy, pk: int) -> Dot:
    (match,) = [d for d in found.dots if d.person_id == pk]
    return match


def from_center(x: float, y: float) -> float:
    return math.hypot(x - CENTER, y - CENTER)


def crowd(per_circle: int, busy: bool = True) -> tuple[list[PersonFacts], list[ContactFacts]]:
    """A large network, everyone with every support type and (when busy) the largest dot."""
    people = [
        person(index * 1000 + n, circle=circle, support=tuple(module.MARK_ANGLES))
        for index, circle in enumerate(module.CIRCLES)
        for n in range(per_circle)
    ]
    contacts = [contact(n % 30, p.person_id) for p in people for n in range(20 if busy else 0)]
    return people, contacts


# --- The frame ------------------------------------------------------------------------------------


def test_an_empty_network_has_three_rings_no_dots_and_a_kind_summary():
    found = lay_out([])
    assert (found.size, found.center) == (module.SIZE, CENTER)
    assert [(r.circle, r.label) for r in found.rings] == [
        ("inner", "Inner circle"),
        ("middle", "Middle circle"),
        ("outer", "Outer circle"),
    ]
    assert found.dots == []
    assert dict(found.hidden) == {"inner": 0, "middle": 0, "outer": 0}
    assert found.summary.startswith("Your convoy is empty so far")


def test_rings_grow_outward_and_fit_in_the_square():
    rings = lay_out([]).rings
    radii = [ring.radius for ring in rings]
    assert radii == sorted(radii)
    assert module.YOU_R < rings[0].track < rings[0].radius
    assert rings[-1].radius < module.SIZE / 2
    for inner, outer in itertools.pairwise(rings):
        assert inner.radius < outer.track < outer.radius


def test_each_dot_sits_on_its_own_circles_track():
    people = [person(1, circle="inner"), person(2, circle="middle"), person(3, circle="outer")]
    found = lay_out(people)
    tracks = {ring.circle: ring.track for ring in found.rings}
    for d in found.dots:
        assert from_center(d.x, d.y) == pytest.approx(tracks[d.circle], abs=0.15)


def test_dots_and_marks_stay_inside_their_band():
    people, contacts = crowd(40)
    found = lay_out(people, contacts)
    for d in found.dots:
        low, high = module.band_edges(d.circle)
        reach = d.r + module.MARK_CLEAR + 2 * module.MARK_R
        assert low < from_center(d.x, d.y) - reach
        assert from_center(d.x, d.y) + reach < high


def test_one_person_sits_at_the_top():
    found = lay_out([person(1, circle="outer")])
    track = found.rings[2].track
    assert (dot(found, 1).x, dot(found, 1).y) == (CENTER, round(CENTER - track, 1))


def test_four_people_are_spread_clockwise_from_the_top():
    people = [person(pk, circle="middle") for pk in (1, 2, 3, 4)]
    found = lay_out(people, [contact(pk, pk) for pk in (1, 2, 3, 4)])
    track = found.rings[1].track
    top, right, bottom, left = (dot(found, pk) for pk in (1, 2, 3, 4))
    assert (top.x, top.y) == (CENTER, round(CENTER - track, 1))
    assert (right.x, right.y) == (round(CENTER + track, 1), CENTER)
    assert (bottom.x, bottom.y) == (CENTER, round(CENTER + track, 1))
    assert (left.x, left.y) == (round(CENTER - track, 1), CENTER)


def test_dots_come_inner_circle_first_then_most_recent_contact_then_name():
    people = [
        person(1, "Zoe", circle="outer"),
        person(2, "bea", circle="middle"),
        person(3, "Al", circle="middle"),
        person(4, "Cy", circle="middle"),
        person(5, "Dee", circle="inner"),
        person(6, "Abe", circle="middle"),
    ]
    # Cy most recently; Al and bea tie on a day (name order, ignoring case); Abe never.
    contacts = [contact(1, 1), contact(2, 4), contact(5, 3), contact(5, 2)]
    found = lay_out(people, contacts)
    assert [d.name for d in found.dots] == ["Dee", "Cy", "Al", "bea", "Abe", "Zoe"]


def test_the_all_time_last_contact_orders_people_beyond_the_contacts_given():
    people = [person(1, "Ann"), person(2, "Ben")]
    found = lay_out(people, [], last={2: ago(400), 1: ago(500)})
    assert [d.name for d in found.dots] == ["Ben", "Ann"]
    assert dot(found, 2).last_contact == ago(400)


def test_order_breaks_a_full_tie_by_id():
    found = lay_out([person(7, "Sam"), person(3, "Sam")])
    assert [d.person_id for d in found.dots] == [3, 7]


def test_people_in_an_unknown_circle_are_left_out():
    found = lay_out([person(1, circle="elsewhere"), person(2, circle="inner")])
    assert [d.person_id for d in found.dots] == [2]
    assert found.people == 1


# --- No overlap, the cap and what is hidden -------------------------------------------------------


@pytest.mark.parametrize("per_circle", [2, 3, 7, 8, 17, 18, 29, 30, 200])
def test_no_two_dots_overlap_with_their_marks(per_circle):
    people, contacts = crowd(per_circle)
    found = lay_out(people, contacts)
    assert all(d.r == module.MAX_R for d in found.dots)  # the worst case: the largest dots
    for one, other in itertools.combinations(found.dots, 2):
        between = math.hypot(one.x - other.x, one.y - other.y)
        assert between >= one.r + other.r  # the dots themselves
        for mark in one.marks:  # and a mark never touches another dot or its marks
            assert math.hypot(mark.x - other.x, mark.y - other.y) >= other.r + module.MARK_R
            for theirs in other.marks:
                assert math.hypot(mark.x - theirs.x, mark.y - theirs.y) >= 2 * module.MARK_R


def test_capacity_is_the_most_that_fit_a_pitch_apart():
    for ring in lay_out([]).rings:
        fits = module.capacity(ring.track)
        spread = lambda n: 2 * ring.track * math.sin(math.pi / n)  # noqa: E731
        assert spread(fits) >= module.PITCH
        assert spread(fits + 1) < module.PITCH


def test_a_track_too_small_for_two_holds_one():
    assert module.capacity(module.PITCH / 2 - 1) == 1


def test_a_full_ring_hides_the_least_recently_in_touch_and_counts_them():
    fits = module.capacity(module.track_radius("inner"))
    people = [person(pk, circle="inner") for pk in range(fits + 5)]
    contacts = [contact(pk, pk) for pk in range(fits + 5)]  # person 0 most recently
    found = lay_out(people, contacts)
    assert [d.person_id for d in found.dots] == list(range(fits))
    assert dict(found.hidden) == {"inner": 5, "middle": 0, "outer": 0}
    assert (found.rings[0].people, found.rings[0].shown) == (fits + 5, fits)


def test_a_thousand_people_draw_at_most_about_120_dots():
    rng = random.Random(6)
    people = [person(pk, circle=rng.choice(module.CIRCLES)) for pk in range(1000)]
    found = lay_out(people)
    assert len(found.dots) <= 120
    assert len(found.dots) + sum(found.hidden.values()) == 1000
    for ring in found.rings:
        assert ring.shown == module.capacity(ring.track)
        assert found.hidden[ring.circle] == ring.people - ring.shown


def test_summary_says_how_many_the_diagram_shows():
    people = [person(pk, circle="inner") for pk in range(10)]
    found = lay_out(people)
    shown = module.capacity(module.track_radius("inner"))
    assert found.summary == (
        "Your convoy: 10 people in your inner circle, nobody in your middle circle and nobody "
        f"in your outer circle. The diagram has room for {shown} of them, the most recently "
        "in touch; the table lists the same people."
    )


# --- Size -----------------------------------------------------------------------------------------


def test_dot_radius_grows_with_contact_more_slowly_as_it_grows_and_is_capped():
    sizes = [module.dot_radius(n) for n in range(0, 41)]
    assert sizes[0] == module.MIN_R
    assert sizes == sorted(sizes)
    assert all(a < b for a, b in itertools.pairwise(sizes[: module.FULL_AT + 1]))
    assert all(size == module.MAX_R for size in sizes[module.FULL_AT :])
    assert sizes[4] - sizes[0] > sizes[8] - sizes[4]  # the first contacts matter most


def test_only_contact_in_the_last_30_days_makes_a_dot_grow():
    people = [person(1), person(2)]
    found = lay_out(people, [contact(29, 1), contact(30, 2)])
    assert dot(found, 1).recent_contacts == 1
    assert dot(found, 2).recent_contacts == 0
    assert dot(found, 1).r > dot(found, 2).r == module.MIN_R


def test_a_contact_with_two_people_counts_for_each():
    found = lay_out([person(1), person(2)], [contact(3, 1, 2)])
    assert dot(found, 1).recent_contacts == dot(found, 2).recent_contacts == 1


def test_contacts_with_unknown_people_are_ignored():
    found = lay_out([person(1)], [contact(3, 1, 99), contact(2, 98), contact(1)])
    assert [d.person_id for d in found.dots] == [1]
    assert dot(found, 1).recent_contacts == 1


def test_more_recent_contact_never_makes_a_smaller_dot():
    people = [person(pk) for pk in range(1, 6)]
    contacts = [contact(d, pk) for pk in range(1, 6) for d in range(pk * 3)]
    found = lay_out(people, contacts)
    radii = [dot(found, pk).r for pk in range(1, 6)]
    assert radii == sorted(radii)


# --- Overdue and faded ----------------------------------------------------------------------------


def test_exactly_the_rhythm_since_the_last_contact_is_not_overdue():
    found = lay_out([person(1, rhythm=14)], [contact(14, 1)])
    assert (dot(found, 1).overdue, dot(found, 1).faded) == (False, False)


def test_one_day_more_than_the_rhythm_is_overdue_and_faded():
    found = lay_out([person(1, rhythm=14)], [contact(15, 1)])
    assert (dot(found, 1).overdue, dot(found, 1).faded) == (True, True)


def test_never_in_touch_with_a_rhythm_is_overdue():
    found = lay_out([person(1, rhythm=30)])
    assert dot(found, 1).overdue is True


def test_never_in_touch_without_a_rhythm_is_not_overdue():
    found = lay_out([person(1)], [], last={})
    assert dot(found, 1).overdue is False


def test_a_long_silence_without_a_rhythm_is_not_overdue():
    found = lay_out([person(1)], [], last={1: ago(900)})
    assert dot(found, 1).overdue is False


def test_summary_counts_everyone_due_a_catch_up_hidden_or_not():
    people = [person(pk, circle="inner", rhythm=7) for pk in range(12)]
    found = lay_out(people)
    assert found.overdue == 12
    assert " 12 of them are due a catch-up." in found.summary
    one = lay_out([person(1, rhythm=7), person(2)])
    assert " 1 of them is due a catch-up." in one.summary
    none = lay_out([person(1)])
    assert "catch-up" not in none.summary


# --- Marks ----------------------------------------------------------------------------------------


def test_one_mark_per_support_type_in_its_fixed_place():
    found = lay_out(
        [person(1, support=("companionship", "emotional", "informational", "practical"))]
    )
    d = dot(found, 1)
    marks = {mark.support_type: mark for mark in d.marks}
    assert [mark.support_type for mark in d.marks] == [
        "emotional",
        "practical",
        "informational",
        "companionship",
    ]
    assert marks["emotional"].x > d.x and marks["emotional"].y < d.y  # top right
    assert marks["practical"].x > d.x and marks["practical"].y > d.y  # bottom right
    assert marks["informational"].x < d.x and marks["informational"].y > d.y  # bottom left
    assert marks["companionship"].x < d.x and marks["companionship"].y < d.y  # top left
    away = d.r + module.MARK_CLEAR + module.MARK_R
    for mark in d.marks:
        assert math.hypot(mark.x - d.x, mark.y - d.y) == pytest.approx(away, abs=0.15)


def test_marks_carry_labels_the_legend_shares():
    found = lay_out([person(1, support=("emotional", "companionship"))])
    assert [mark.label for mark in dot(found, 1).marks] == ["Emotional support", "Companionship"]
    assert [(e.support_type, e.place) for e in found.legend] == [
        ("emotional", "top right"),
        ("practical", "bottom right"),
        ("informational", "bottom left"),
        ("companionship", "top left"),
    ]


def test_no_support_types_no_marks_and_unknown_types_are_ignored():
    found = lay_out([person(1), person(2, support=("astrology",))])
    assert dot(found, 1).marks == [] == dot(found, 2).marks


# --- Pure and deterministic -----------------------------------------------------------------------


def test_the_same_network_in_any_order_gives_the_same_diagram():
    people, contacts = crowd(25, busy=False)
    rng = random.Random(3)
    contacts = [contact(rng.randint(0, 90), p.person_id) for p in people for _ in range(2)]
    first = lay_out(people, contacts)
    shuffled_people, shuffled_contacts = people[:], contacts[:]
    rng.shuffle(shuffled_people)
    rng.shuffle(shuffled_contacts)
    assert lay_out(shuffled_people, shuffled_contacts) == first
    assert lay_out(people, contacts) == first


def test_coordinates_are_rounded_to_one_decimal():
    people, contacts = crowd(30)
    found = lay_out(people, contacts)
    numbers = [n for d in found.dots for n in (d.x, d.y, d.r)]
    numbers += [n for d in found.dots for mark in d.marks for n in (mark.x, mark.y)]
    numbers += [n for ring in found.rings for n in (ring.radius, ring.track)]
    assert numbers
    assert all(round(n, 1) == n for n in numbers)


# --- Words ----------------------------------------------------------------------------------------


def test_description_says_support_contact_and_last_touch():
    sam = person(1, "Sam", circle="inner", support=("practical", "emotional"))
    found = lay_out([sam], [contact(3, 1), contact(8, 1), contact(12, 1), contact(20, 1)])
    assert dot(found, 1).description == (
        "Sam, inner circle: gives emotional and practical support; 4 contacts in the last 30 "
        "days; last in touch 3 days ago."
    )


def test_description_of_someone_overdue_is_kind():
    ada = person(2, "Ada", circle="middle", support=("companionship",), rhythm=14)
    found = lay_out([ada], [contact(45, 2)])
    assert dot(found, 2).description == (
        "Ada, middle circle: gives companionship; no contact in the last 30 days; last in "
        "touch 45 days ago — it's been a while (you hoped for every 14 days)."
    )


def test_description_of_someone_never_in_touch():
    with_rhythm = lay_out([person(3, "Lee", circle="outer", rhythm=1)])
    without = lay_out([person(3, "Lee", circle="outer")])
    assert dot(with_rhythm, 3).description == (
        "Lee, outer circle: no contact logged yet (you hoped for every day)."
    )
    assert dot(without, 3).description == "Lee, outer circle: no contact logged yet."


@pytest.mark.parametrize(
    ("days_ago", "words"),
    [
        (0, "1 contact in the last 30 days; last in touch today"),
        (1, "1 contact in the last 30 days; last in touch yesterday"),
    ],
)
def test_description_says_one_contact_today_and_yesterday(days_ago, words):
    found = lay_out([person(1, "Kai")], [contact(days_ago, 1)])
    assert dot(found, 1).description == f"Kai, middle circle: {words}."


@pytest.mark.parametrize(
    ("support", "words"),
    [
        ((), ""),
        (("emotional",), "emotional support"),
        (("companionship",), "companionship"),
        (("informational", "emotional"), "emotional and informational support"),
        (("emotional", "companionship"), "emotional support and companionship"),
        (
            ("companionship", "informational", "practical", "emotional"),
            "emotional, practical and informational support and companionship",
        ),
    ],
)
def test_support_words(support, words):
    assert module.support_words(frozenset(support)) == words


def test_summary_counts_each_circle_in_plain_words():
    people = [person(1, circle="inner"), person(2), person(3), person(4, circle="outer")]
    assert lay_out(people).summary == (
        "Your convoy: 1 person in your inner circle, 2 people in your middle circle and 1 "
        "person in your outer circle."
    )
