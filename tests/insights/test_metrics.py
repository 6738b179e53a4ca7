"""The network's health: each figure on its own, at the edges of its window, then all together."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from closeknit.insights import metrics
from closeknit.insights.metrics import (
    Balance,
    ContactFacts,
    PersonFacts,
    concentration,
    coverage,
    diversity_band,
    in_person_share,
    missing_types,
    network_health,
    people_per_circle,
    reciprocity,
    role_diversity,
    runs,
    weekly_counts,
)

TODAY = dt.date(2024, 6, 12)  # a Wednesday


def ago(days: int) -> dt.date:
    return TODAY - dt.timedelta(days=days)


def person(
    pk: int,
    name: str,
    *,
    circle: str = "middle",
    roles: Iterable[str] = ("friend",),
    gives: Iterable[str] = (),
) -> PersonFacts:
    return PersonFacts(
        person_id=pk,
        name=name,
        circle=circle,
        roles=frozenset(roles),
        support_types=frozenset(gives),
        rhythm_days=None,
    )


def contact(
    days_ago: int,
    *person_ids: int,
    channel: str = "call",
    direction: str = "mutual",
    types: Iterable[str] = (),
) -> ContactFacts:
    return ContactFacts(
        day=ago(days_ago),
        person_ids=frozenset(person_ids),
        channel=channel,
        direction=direction,
        support_types=frozenset(types),
    )


SAM = person(1, "Sam")
ADA = person(2, "Ada")
LEE = person(3, "Lee")
ARCHIVED = 99  # an id on old contact whose person is archived, so not among the people


def by_type(found: list[metrics.Coverage], kind: str) -> metrics.Coverage:
    [one] = [covered for covered in found if covered.support_type == kind]
    return one


# People per circle


def test_no_people_shows_every_circle_with_zero():
    found = people_per_circle([])
    assert [(one.circle, one.label, one.people) for one in found] == [
        ("inner", "Inner circle", 0),
        ("middle", "Middle circle", 0),
        ("outer", "Outer circle", 0),
    ]


def test_people_are_counted_in_their_circle_inner_first():
    people = [
        person(1, "Sam", circle="outer"),
        person(2, "Ada", circle="inner"),
        person(3, "Lee", circle="outer"),
    ]
    assert [(one.circle, one.people) for one in people_per_circle(people)] == [
        ("inner", 1),
        ("middle", 0),
        ("outer", 2),
    ]


# Role diversity


def test_no_contact_is_no_diversity():
    found = role_diversity([SAM], [], TODAY)
    assert (found.score, found.roles, found.band, found.people) == (0, [], "none", 0)
    assert found.possible == 9


def test_a_role_counts_with_contact_on_the_first_day_of_the_window():
    found = role_diversity([SAM], [contact(metrics.DIVERSITY_DAYS - 1, 1)], TODAY)
    assert found.roles == ["Close friends"]
    assert found.people == 1


def test_contact_a_day_before_the_window_does_not_count():
    found = role_diversity([SAM], [contact(metrics.DIVERSITY_DAYS, 1)], TODAY)
    assert found.score == 0
    assert found.band == "none"


def test_contact_after_today_does_not_count_for_diversity():
    found = role_diversity([SAM], [contact(-1, 1)], TODAY)
    assert found.score == 0


def test_family_counts_once_however_many_relatives():
    people = [person(1, "Mum", roles=["family"]), person(2, "Aunt Jo", roles=["family"])]
    found = role_diversity(people, [contact(1, 1), contact(2, 2)], TODAY)
    assert (found.score, found.roles, found.people) == (1, ["Family"], 2)


def test_support_group_members_and_peers_are_one_group_role():
    people = [person(1, "Kim", roles=["support_group"]), person(2, "Max", roles=["peer"])]
    found = role_diversity(people, [contact(0, 1, 2)], TODAY)
    assert found.roles == ["Groups"]
    assert found.people == 2


@pytest.mark.parametrize("role", ["mentor", "therapist", "doctor", "other"])
def test_roles_outside_the_index_are_not_counted(role):
    found = role_diversity([person(1, "Dr Lin", roles=[role])], [contact(0, 1)], TODAY)
    assert (found.score, found.people, found.band) == (0, 0, "none")


def test_a_person_with_two_roles_brings_both_but_counts_as_one_person():
    people = [person(1, "Sam", roles=["friend", "colleague", "therapist"])]
    found = role_diversity(people, [contact(0, 1)], TODAY)
    assert found.roles == ["Close friends", "Work"]
    assert found.people == 1


def test_roles_are_listed_in_the_index_order_not_the_contact_order():
    people = [
        person(1, "Vi", roles=["volunteer"]),
        person(2, "Pat", roles=["partner"]),
        person(3, "Ned", roles=["neighbour"]),
    ]
    found = role_diversity(people, [contact(0, 1), contact(1, 3), contact(2, 2)], TODAY)
    assert found.roles == ["Partner or spouse", "Neighbours", "Volunteering"]


def test_archived_people_and_unnamed_contact_add_no_roles():
    found = role_diversity([SAM], [contact(0, ARCHIVED), contact(0)], TODAY)
    assert found.score == 0


def test_people_without_contact_in_the_window_add_no_roles():
    people = [SAM, person(2, "Mum", roles=["family"])]
    found = role_diversity(people, [contact(0, 1)], TODAY)
    assert found.roles == ["Close friends"]


def test_every_mapped_role_reaches_the_possible_score():
    roles = list(metrics.SNI_ROLES)
    people = [person(pk, f"P{pk}", roles=[role]) for pk, role in enumerate(roles, start=1)]
    found = role_diversity(people, [contact(0, *range(1, len(roles) + 1))], TODAY)
    assert found.score == found.possible == 9
    assert found.people == len(roles)
    assert found.band == "high"


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (0, "none"),
        (1, "low"),
        (3, "low"),
        (4, "moderate"),
        (5, "moderate"),
        (6, "high"),
        (9, "high"),
    ],
)
def test_diversity_bands_follow_cohens_cut_offs(score, band):
    assert diversity_band(score) == band


def test_six_roles_in_touch_is_high_diversity():
    roles = ["partner", "family", "friend", "faith", "classmate", "colleague"]
    people = [person(pk, f"P{pk}", roles=[role]) for pk, role in enumerate(roles, start=1)]
    found = role_diversity(people, [contact(0, pk) for pk in range(1, 7)], TODAY)
    assert (found.score, found.band) == (6, "high")
    five = role_diversity(people, [contact(0, pk) for pk in range(1, 6)], TODAY)
    assert (five.score, five.band) == (5, "moderate")


# Coverage of each support type


def test_coverage_lists_every_type_in_vocabulary_order_with_labels():
    found = coverage([], [], TODAY)
    assert [(one.support_type, one.label) for one in found] == [
        ("emotional", "Emotional"),
        ("practical", "Practical"),
        ("informational", "Informational"),
        ("companionship", "Companionship"),
    ]
    assert all(type(one.support_type) is str for one in found)  # a slug, not an enum member
    assert all(not one.covered and one.logged == 0 for one in found)
    assert all(one.single_point is None for one in found)


def test_a_marked_giver_without_logged_support_covers_the_type():
    found = by_type(coverage([person(1, "Sam", gives=["practical"])], [], TODAY), "practical")
    assert found.covered
    [giver] = found.givers
    assert (giver.person_id, giver.name, giver.times, giver.share, giver.marked) == (
        1,
        "Sam",
        0,
        None,
        True,
    )
    assert found.logged == 0


def test_received_and_mutual_contact_is_logged_support_but_giving_is_not():
    contacts = [
        contact(1, 1, direction="received", types=["emotional"]),
        contact(2, 1, direction="mutual", types=["emotional"]),
        contact(3, 1, direction="gave", types=["emotional"]),
    ]
    found = by_type(coverage([SAM], contacts, TODAY), "emotional")
    assert found.logged == 2
    assert [(giver.name, giver.times, giver.marked) for giver in found.givers] == [
        ("Sam", 2, False)
    ]


def test_contact_without_the_type_is_not_logged_support_of_it():
    contacts = [contact(1, 1, direction="received", types=["practical"])]
    found = coverage([SAM], contacts, TODAY)
    assert by_type(found, "emotional").logged == 0
    assert by_type(found, "emotional").givers == []
    assert by_type(found, "practical").logged == 1


def test_a_contact_with_two_people_is_one_time_for_each():
    contacts = [contact(1, 1, 2, direction="received", types=["companionship"])]
    found = by_type(coverage([SAM, ADA], contacts, TODAY), "companionship")
    assert found.logged == 2
    assert [(giver.name, giver.share) for giver in found.givers] == [("Ada", 0.5), ("Sam", 0.5)]


def test_coverage_window_includes_its_first_day_and_not_the_day_before():
    inside = contact(metrics.RECENT_DAYS - 1, 1, direction="received", types=["emotional"])
    outside = contact(metrics.RECENT_DAYS, 2, direction="received", types=["emotional"])
    found = by_type(coverage([SAM, ADA], [inside, outside], TODAY), "emotional")
    assert [giver.name for giver in found.givers] == ["Sam"]
    assert found.logged == 1


def test_support_logged_after_today_is_ignored():
    future = contact(-1, 1, direction="received", types=["emotional"])
    assert by_type(coverage([SAM], [future], TODAY), "emotional").givers == []


def test_archived_people_give_no_coverage_and_are_not_in_the_logged_count():
    contacts = [
        contact(1, 1, ARCHIVED, direction="received", types=["emotional"]),
        contact(2, ARCHIVED, direction="received", types=["emotional"]),
        contact(3, direction="received", types=["emotional"]),
    ]
    found = by_type(coverage([SAM], contacts, TODAY), "emotional")
    assert [giver.person_id for giver in found.givers] == [1]
    assert found.logged == 1


def test_givers_are_ordered_by_times_then_by_name():
    people = [person(1, "sam"), person(2, "Ada", gives=["emotional"]), person(3, "Lee")]
    contacts = [
        contact(1, 3, direction="received", types=["emotional"]),
        contact(2, 3, direction="received", types=["emotional"]),
        contact(3, 1, direction="received", types=["emotional"]),
        contact(4, 2, direction="received", types=["emotional"]),
    ]
    found = by_type(coverage(people, contacts, TODAY), "emotional")
    assert [(giver.name, giver.times, giver.marked) for giver in found.givers] == [
        ("Lee", 2, False),
        ("Ada", 1, True),
        ("sam", 1, False),
    ]
    assert sum(giver.share or 0 for giver in found.givers) == pytest.approx(1)


def test_unknown_support_type_slugs_are_ignored():
    contacts = [contact(1, 1, direction="received", types=["money"])]
    found = coverage([SAM], contacts, TODAY)
    assert [one.logged for one in found] == [0, 0, 0, 0]


def received(
    *person_ids_per_contact: tuple[int, ...], kind: str = "emotional"
) -> list[ContactFacts]:
    return [
        contact(day, *ids, direction="received", types=[kind])
        for day, ids in enumerate(person_ids_per_contact)
    ]


def test_single_giver_over_half_is_a_single_point():
    found = by_type(coverage([SAM, ADA], received((1,), (1,), (2,)), TODAY), "emotional")
    assert found.single_point is not None
    assert found.single_point.name == "Sam"
    assert found.single_point.share == pytest.approx(2 / 3)


def test_exactly_half_is_not_a_single_point():
    found = by_type(coverage([SAM, ADA], received((1,), (1,), (2,), (2,)), TODAY), "emotional")
    assert found.logged == 4
    assert found.single_point is None


def test_just_over_half_is_a_single_point():
    contacts = received((1,), (1,), (1,), (2,), (3,))
    found = by_type(coverage([SAM, ADA, LEE], contacts, TODAY), "emotional")
    assert found.single_point is not None
    assert found.single_point.person_id == 1


def test_two_logged_times_from_one_person_are_too_few_for_a_single_point():
    found = by_type(coverage([SAM], received((1,), (1,)), TODAY), "emotional")
    assert found.logged == metrics.SINGLE_POINT_MIN_LOGGED - 1
    assert found.givers[0].share == 1
    assert found.single_point is None


def test_three_logged_times_from_one_person_are_a_single_point():
    found = by_type(coverage([SAM], received((1,), (1,), (1,)), TODAY), "emotional")
    assert found.single_point is not None
    assert found.single_point.person_id == 1


def test_a_marked_giver_without_logged_support_dilutes_nothing():
    # Marking is not logging: Ada's mark does not stop Sam from giving all that was logged.
    people = [SAM, person(2, "Ada", gives=["emotional"])]
    found = by_type(coverage(people, received((1,), (1,), (1,)), TODAY), "emotional")
    assert [giver.name for giver in found.givers] == ["Sam", "Ada"]
    assert found.single_point is not None
    assert found.single_point.name == "Sam"


def test_missing_types_are_those_nobody_gives_or_was_logged_giving():
    people = [person(1, "Sam", gives=["practical"])]
    contacts = [contact(1, 1, direction="mutual", types=["companionship"])]
    assert missing_types(coverage(people, contacts, TODAY)) == ["emotional", "informational"]


def test_support_the_member_gave_does_not_cover_a_type():
    contacts = [contact(1, 1, direction="gave", types=["informational"])]
    assert "informational" in missing_types(coverage([SAM], contacts, TODAY))


# Reciprocity


def test_no_contact_is_an_empty_balance():
    found = reciprocity([SAM], [], TODAY)
    assert found.overall == Balance(given=0, received=0, mutual=0)
    assert found.by_person == []


def test_contact_is_counted_by_direction_overall_and_per_person():
    contacts = [
        contact(1, 1, direction="gave"),
        contact(2, 1, 2, direction="received"),
        contact(3, 2, direction="mutual"),
        contact(4, 2, direction="mutual"),
    ]
    # Zoe is on more contact than Sam, so she comes first whatever the alphabet says.
    found = reciprocity([SAM, person(2, "Zoe"), LEE], contacts, TODAY)
    assert found.overall == Balance(given=1, received=1, mutual=2)
    assert [(one.name, one.balance) for one in found.by_person] == [
        ("Zoe", Balance(given=0, received=1, mutual=2)),
        ("Sam", Balance(given=1, received=1, mutual=0)),
    ]


def test_archived_and_unnamed_contact_counts_overall_only():
    contacts = [contact(1, ARCHIVED, direction="gave"), contact(2, direction="received")]
    found = reciprocity([SAM], contacts, TODAY)
    assert found.overall == Balance(given=1, received=1, mutual=0)
    assert found.by_person == []


def test_people_with_equal_contact_are_ordered_by_name():
    people = [person(1, "zed"), person(2, "Ada"), person(3, "bo")]
    found = reciprocity(people, [contact(1, 1, 2, 3)], TODAY)
    assert [one.name for one in found.by_person] == ["Ada", "bo", "zed"]


def test_reciprocity_window_includes_its_first_day_and_not_the_day_before():
    contacts = [
        contact(metrics.RECENT_DAYS - 1, 1, direction="gave"),
        contact(metrics.RECENT_DAYS, 1, direction="received"),
        contact(-1, 1, direction="received"),
    ]
    found = reciprocity([SAM], contacts, TODAY)
    assert found.overall == Balance(given=1, received=0, mutual=0)
    assert found.by_person[0].balance.total == 1


def test_balance_total_adds_all_three():
    assert Balance(given=2, received=3, mutual=4).total == 9


# In-person share


def test_in_person_share_is_none_without_contact():
    found = in_person_share([], TODAY)
    assert (found.in_person, found.total, found.share) == (0, 0, None)


def test_in_person_share_counts_every_contact_named_or_not():
    contacts = [
        contact(1, 1, channel="in_person"),
        contact(2, channel="in_person"),
        contact(3, ARCHIVED, channel="video"),
        contact(4, 1, channel="message"),
    ]
    found = in_person_share(contacts, TODAY)
    assert (found.in_person, found.total, found.share) == (2, 4, 0.5)


def test_in_person_share_window_includes_its_first_day_and_not_the_day_before():
    contacts = [
        contact(metrics.RECENT_DAYS - 1, 1, channel="in_person"),
        contact(metrics.RECENT_DAYS, 1, channel="call"),
        contact(-1, 1, channel="call"),
    ]
    found = in_person_share(contacts, TODAY)
    assert (found.in_person, found.total, found.share) == (1, 1, 1.0)


# Weekly counts


def test_weekly_counts_are_twelve_monday_weeks_ending_with_this_week():
    found = weekly_counts([], TODAY)
    assert len(found) == metrics.WEEKS == 12
    assert found[-1].start == dt.date(2024, 6, 10)  # the Monday before Wednesday 12 June
    assert found[0].start == dt.date(2024, 3, 25)
    assert all(week.start.weekday() == 0 for week in found)
    assert [b.start - a.start for a, b in pairwise(found)] == [dt.timedelta(weeks=1)] * 11
    assert all(week.contacts == 0 for week in found)


def test_contacts_land_in_their_week():
    contacts = [
        contact(0, 1),  # Wednesday, this week
        contact(2, 1),  # Monday, this week
        contact(3, 1),  # Sunday, last week
        contact(3),  # unnamed contact counts too
    ]
    found = weekly_counts(contacts, TODAY)
    assert [week.contacts for week in found[-2:]] == [2, 2]


def test_first_monday_counts_and_the_sunday_before_does_not():
    first_monday = dt.date(2024, 3, 25)
    contacts = [
        contact((TODAY - first_monday).days, 1),
        contact((TODAY - first_monday).days + 1, 1),
        contact(-1, 1),
    ]
    found = weekly_counts(contacts, TODAY)
    assert found[0].contacts == 1
    assert sum(week.contacts for week in found) == 1


@pytest.mark.parametrize(
    ("today", "this_monday"),
    [
        (dt.date(2024, 6, 10), dt.date(2024, 6, 10)),  # a Monday: the week starts today
        (dt.date(2024, 6, 16), dt.date(2024, 6, 10)),  # a Sunday: the week's last day
    ],
)
def test_the_current_week_holds_today_on_its_first_and_last_day(today, this_monday):
    contacts = [ContactFacts(today, frozenset({1}), "call", "mutual", frozenset())]
    found = weekly_counts(contacts, today)
    assert found[-1].start == this_monday
    assert found[-1].contacts == 1


# Runs of days without contact


def test_no_contact_at_all_has_no_runs():
    found = runs([], TODAY)
    assert (found.current, found.longest, found.longest_from, found.longest_to) == (
        None,
        None,
        None,
        None,
    )


def test_contact_today_is_a_current_run_of_zero():
    assert runs([contact(0)], TODAY).current == 0


def test_contact_yesterday_is_one_day_since():
    assert runs([contact(1, 1)], TODAY).current == 1


def test_contact_after_today_is_not_the_last_contact():
    assert runs([contact(5, 1), contact(-2, 1)], TODAY).current == 5


def test_only_future_contact_is_no_contact():
    assert runs([contact(-1, 1)], TODAY).current is None


def test_the_stretch_before_the_first_contact_counts_from_the_window_start():
    window_start = metrics.RUN_DAYS - 1
    found = runs([contact(100), contact(0)], TODAY)
    assert found.longest == window_start - 100
    assert (found.longest_from, found.longest_to) == (ago(window_start), ago(101))


def test_contact_on_the_window_start_leaves_no_stretch_before_it():
    found = runs([contact(metrics.RUN_DAYS - 1), contact(0)], TODAY)
    assert found.longest == metrics.RUN_DAYS - 2
    assert (found.longest_from, found.longest_to) == (ago(metrics.RUN_DAYS - 2), ago(1))


def test_contact_before_the_window_bounds_nothing_but_is_still_the_last_contact():
    found = runs([contact(metrics.RUN_DAYS)], TODAY)
    assert found.current == metrics.RUN_DAYS
    assert (found.longest, found.longest_from, found.longest_to) == (None, None, None)


def test_contact_only_today_makes_the_whole_window_before_it_one_stretch():
    found = runs([contact(0)], TODAY)
    assert found.longest == metrics.RUN_DAYS - 1
    assert (found.longest_from, found.longest_to) == (ago(metrics.RUN_DAYS - 1), ago(1))


def test_the_current_stretch_counts_up_to_yesterday_not_today():
    # In touch every day of the window until 20 days ago: the days since are 20, but
    # today is not over, so the stretch without contact is the 19 whole days before it.
    contacts = [contact(days) for days in range(20, metrics.RUN_DAYS)]
    found = runs(contacts, TODAY)
    assert found.current == 20
    assert found.longest == 19
    assert (found.longest_from, found.longest_to) == (ago(19), ago(1))


def test_a_stretch_between_two_contact_days_excludes_both():
    contacts = [contact(days) for days in range(10, metrics.RUN_DAYS)] + [contact(3), contact(0)]
    found = runs(contacts, TODAY)
    assert found.longest == 6
    assert (found.longest_from, found.longest_to) == (ago(9), ago(4))


def test_contact_every_day_is_a_longest_run_of_zero_without_dates():
    contacts = [contact(days) for days in range(metrics.RUN_DAYS)]
    found = runs(contacts, TODAY)
    assert (found.current, found.longest, found.longest_from, found.longest_to) == (
        0,
        0,
        None,
        None,
    )


def test_contact_every_day_but_today_is_not_a_run_yet():
    contacts = [contact(days) for days in range(1, metrics.RUN_DAYS)]
    found = runs(contacts, TODAY)
    assert (found.current, found.longest, found.longest_from) == (1, 0, None)


def test_of_two_equal_stretches_the_more_recent_is_given():
    # 3-day stretches: 13…11 days ago and 6…4 days ago.
    contacts = [contact(days) for days in range(14, metrics.RUN_DAYS)] + [
        contact(10),
        contact(9),
        contact(8),
        contact(7),
        contact(3),
        contact(2),
        contact(1),
        contact(0),
    ]
    found = runs(contacts, TODAY)
    assert found.longest == 3
    assert (found.longest_from, found.longest_to) == (ago(6), ago(4))


def test_several_contacts_on_one_day_are_one_contact_day():
    contacts = [contact(days) for days in range(5, metrics.RUN_DAYS)] + [contact(5), contact(5, 1)]
    found = runs(contacts, TODAY)
    assert (found.current, found.longest) == (5, 4)


def brute_force_longest(days: set[dt.date], today: dt.date) -> int | None:
    """The longest run, counted day by day from the window start to yesterday."""
    start = today - dt.timedelta(days=metrics.RUN_DAYS - 1)
    if not any(start <= day <= today for day in days):
        return None
    longest = current = 0
    day = start
    while day < today:
        current = 0 if day in days else current + 1
        longest = max(longest, current)
        day += dt.timedelta(days=1)
    return longest


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(min_value=-3, max_value=metrics.RUN_DAYS + 5), max_size=40))
def test_the_longest_run_matches_a_day_by_day_count(days_ago):
    contacts = [contact(days) for days in days_ago]
    found = runs(contacts, TODAY)
    assert found.longest == brute_force_longest({c.day for c in contacts}, TODAY)
    if found.longest:
        assert found.longest_from is not None and found.longest_to is not None
        assert (found.longest_to - found.longest_from).days + 1 == found.longest
        assert not any(
            found.longest_from <= contact.day <= found.longest_to for contact in contacts
        )
        assert found.longest_to < TODAY
    past = [days for days in days_ago if days >= 0]
    assert found.current == (min(past) if past else None)


# Concentration


def test_no_person_contact_has_no_concentration():
    found = concentration([SAM], [contact(1), contact(2, ARCHIVED)], TODAY)
    assert (found.index, found.effective_people, found.contacts, found.people) == (
        None,
        None,
        0,
        0,
    )


def test_all_contact_with_one_person_is_fully_concentrated():
    found = concentration([SAM, ADA], [contact(1, 1), contact(2, 1)], TODAY)
    assert (found.index, found.effective_people, found.contacts, found.people) == (1.0, 1.0, 2, 1)


def test_an_even_split_is_one_over_the_number_of_people():
    people = [person(pk, f"P{pk}") for pk in range(1, 5)]
    found = concentration(people, [contact(pk, pk) for pk in range(1, 5)], TODAY)
    assert found.index == 0.25
    assert found.effective_people == 4.0


def test_an_uneven_split_is_the_sum_of_squared_shares():
    contacts = [contact(1, 1), contact(2, 1), contact(3, 1), contact(4, 2)]
    found = concentration([SAM, ADA], contacts, TODAY)
    assert found.index == pytest.approx(0.75**2 + 0.25**2)
    assert found.effective_people == pytest.approx(1 / 0.625)


def test_a_contact_with_several_people_is_one_person_contact_each():
    found = concentration([SAM, ADA], [contact(1, 1, 2, ARCHIVED)], TODAY)
    assert (found.contacts, found.people, found.index) == (2, 2, 0.5)


def test_concentration_window_includes_its_first_day_and_not_the_day_before():
    contacts = [
        contact(metrics.RECENT_DAYS - 1, 1),
        contact(metrics.RECENT_DAYS, 2),
        contact(-1, 2),
    ]
    found = concentration([SAM, ADA], contacts, TODAY)
    assert (found.contacts, found.people) == (1, 1)


# All together


def test_an_empty_network_has_every_figure_empty():
    health = network_health([], [], TODAY)
    assert health.today == TODAY
    assert health.people == 0
    assert [one.people for one in health.circles] == [0, 0, 0]
    assert health.diversity.band == "none"
    assert health.missing_types == ["emotional", "practical", "informational", "companionship"]
    assert health.reciprocity == Balance(given=0, received=0, mutual=0)
    assert health.reciprocity_by_person == []
    assert health.in_person.share is None
    assert len(health.weekly) == metrics.WEEKS
    assert health.runs.current is None
    assert health.concentration.index is None


def test_network_health_puts_each_figure_together():
    people = [
        person(1, "Sam", circle="inner", roles=["partner"], gives=["emotional"]),
        person(2, "Ada", circle="middle", roles=["colleague"]),
        person(3, "Lee", circle="outer", roles=["mentor"], gives=["informational"]),
    ]
    contacts = [
        contact(0, 1, channel="in_person", direction="received", types=["emotional"]),
        contact(3, 1, 2, channel="call", direction="mutual", types=["practical"]),
        contact(20, 2, channel="message", direction="gave"),
        contact(40, ARCHIVED, channel="in_person", direction="received", types=["emotional"]),
    ]
    health = network_health(people, contacts, TODAY)
    assert health.people == 3
    assert [one.people for one in health.circles] == [1, 1, 1]
    assert health.diversity.roles == ["Partner or spouse", "Work"]
    assert health.missing_types == ["companionship"]
    assert by_type(health.coverage, "practical").logged == 2
    assert health.reciprocity == Balance(given=1, received=2, mutual=1)
    assert [one.name for one in health.reciprocity_by_person] == ["Ada", "Sam"]
    assert (health.in_person.in_person, health.in_person.total) == (2, 4)
    assert sum(week.contacts for week in health.weekly) == 4
    assert health.runs.current == 0
    # The year before the first contact, 40 days ago, outweighs the 19 days between 40 and 20.
    assert health.runs.longest == metrics.RUN_DAYS - 41
    assert (health.runs.longest_from, health.runs.longest_to) == (
        ago(metrics.RUN_DAYS - 1),
        ago(41),
    )
    assert (health.concentration.contacts, health.concentration.people) == (4, 2)
