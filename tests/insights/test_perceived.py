"""Perceived vs lived support: the questionnaires beside the log, and gentle observations."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest

from closeknit.insights import perceived as module
from closeknit.insights.metrics import ContactFacts, PersonFacts
from closeknit.insights.perceived import Perceived, QuestionnaireResult, perceived
from closeknit.wellbeing import instruments

TODAY = dt.date(2026, 12, 1)


def ago(days: int) -> dt.date:
    return TODAY - dt.timedelta(days=days)


def person(
    pk: int, name: str = "", circle: str = "middle", roles: tuple[str, ...] = ()
) -> PersonFacts:
    return PersonFacts(
        person_id=pk,
        name=name or f"Person {pk}",
        circle=circle,
        roles=frozenset(roles),
        support_types=frozenset(),
        rhythm_days=None,
    )


def contact(days_ago: int, *ids: int) -> ContactFacts:
    return ContactFacts(
        day=ago(days_ago),
        person_ids=frozenset(ids),
        channel="call",
        direction="mutual",
        support_types=frozenset(),
    )


def mspss(taken_days_ago: int = 10, total: float | None = 4.5, **subscales: float):
    return QuestionnaireResult("mspss", ago(taken_days_ago), total, subscales, "moderate")


def lsns6(taken_days_ago: int = 10, total: float | None = 14, **subscales: float):
    return QuestionnaireResult("lsns6", ago(taken_days_ago), total, subscales, "not_at_risk")


def run(people=(), contacts=(), m=None, l6=None) -> Perceived:
    return perceived(m, l6, list(people), list(contacts), TODAY)


def row(found: Perceived, key: str):
    (match,) = [r for r in found.rows if r.key == key]
    return match


FAMILY = [person(1, "Ma", roles=("family",)), person(2, "Pa", roles=("family",))]
FRIENDS = [person(10 + i, roles=("friend",)) for i in range(3)]


# --- Rows and parts -------------------------------------------------------------------------------


def test_three_rows_in_order_even_with_no_data_at_all():
    found = run()
    assert [(r.key, r.label) for r in found.rows] == [
        ("significant_other", "Someone special"),
        ("family", "Family"),
        ("friends", "Friends"),
    ]
    assert all(r.perceived == "" and r.people == 0 and r.contacts == 0 for r in found.rows)
    assert all(r.last_contact is None for r in found.rows)
    assert found.observations == []
    assert found.results == []


def test_empty_part_says_who_is_not_marked_yet():
    found = run()
    assert row(found, "family").lived == "Nobody is marked as family yet"
    assert row(found, "friends").lived == "Nobody is marked as a friend yet"
    assert (
        row(found, "significant_other").lived
        == "Nobody is marked as your partner or in your inner circle yet"
    )


def test_partner_anywhere_and_anyone_in_the_inner_circle_count_as_someone_special():
    people = [
        person(1, circle="outer", roles=("partner",)),
        person(2, circle="inner", roles=("neighbour",)),
        person(3, circle="middle", roles=("neighbour",)),
    ]
    assert row(run(people), "significant_other").people == 2


def test_partner_in_the_inner_circle_is_counted_once():
    found = run([person(1, circle="inner", roles=("partner",))], [contact(3, 1)])
    special = row(found, "significant_other")
    assert (special.people, special.contacts) == (1, 1)


def test_a_person_can_be_in_two_parts_and_counts_in_each():
    jo = person(1, "Jo", circle="inner", roles=("partner", "family"))
    found = run([jo], [contact(2, 1)])
    assert row(found, "significant_other").people == 1
    assert row(found, "family").people == 1
    assert row(found, "significant_other").contacts == row(found, "family").contacts == 1
    assert row(found, "friends").people == 0


def test_only_friends_count_as_friends_not_peers():
    people = [
        person(1, roles=("peer",)),
        person(2, roles=("peer", "friend")),
        person(3, roles=("support_group",)),
    ]
    friends = row(run(people, [contact(1, 1)]), "friends")
    assert friends.people == 1
    assert friends.contacts == 0  # the contact was with the peer who isn't marked a friend


# --- The lived side -------------------------------------------------------------------------------


def test_a_contact_with_two_family_members_counts_once():
    found = run(FAMILY, [contact(5, 1, 2)])
    assert row(found, "family").contacts == 1


def test_a_contact_with_family_and_a_friend_counts_once_in_each_part():
    found = run([*FAMILY, *FRIENDS], [contact(5, 1, 2, 10)])
    assert row(found, "family").contacts == 1
    assert row(found, "friends").contacts == 1


def test_contact_on_the_sixtieth_day_back_counts_and_one_day_older_does_not():
    inside = run(FAMILY, [contact(59, 1)])
    outside = run(FAMILY, [contact(60, 1)])
    assert (row(inside, "family").contacts, row(inside, "family").last_contact) == (1, ago(59))
    assert (row(outside, "family").contacts, row(outside, "family").last_contact) == (0, None)


def test_contact_after_today_is_not_counted():
    found = run(
        FAMILY,
        [ContactFacts(TODAY + dt.timedelta(days=1), frozenset({1}), "call", "gave", frozenset())],
    )
    assert row(found, "family").contacts == 0


def test_contact_naming_nobody_or_unknown_people_is_ignored():
    found = run(FAMILY, [contact(1), contact(2, 99)])
    assert all(r.contacts == 0 for r in found.rows)


def test_latest_contact_is_the_newest_in_the_window_whatever_the_order():
    found = run(FAMILY, [contact(4, 1), contact(30, 2), contact(9, 1)])
    assert row(found, "family").last_contact == ago(4)


def test_lived_words_count_people_contacts_and_the_latest_day():
    found = run(FAMILY, [contact(4, 1), contact(10, 2), contact(20, 1, 2)])
    assert (
        row(found, "family").lived
        == "2 people; 3 contacts in the last 60 days, the latest 4 days ago"
    )


@pytest.mark.parametrize(
    ("days_ago", "words"), [(0, "the latest today"), (1, "the latest yesterday")]
)
def test_lived_words_say_today_and_yesterday(days_ago, words):
    found = run(FAMILY[:1], [contact(days_ago, 1)])
    assert row(found, "family").lived == f"1 person; 1 contact in the last 60 days, {words}"


def test_without_contact_in_the_window_the_lived_side_never_says_never():
    found = run(FAMILY, [contact(200, 1)])
    assert row(found, "family").lived == "2 people; no contact logged in the last 60 days"


# --- The perceived side ---------------------------------------------------------------------------


def test_mspss_bands_match_the_instruments_own_bands_at_every_possible_mean():
    definition = instruments.get("mspss")
    for subscale in definition.subscales:
        # Subscale means move in quarters, the overall mean in twelfths: try every twelfth.
        for twelfths in range(12, 85):
            value = Fraction(twelfths, 12)
            expected = instruments.band_of(subscale.bands, value).slug
            assert module.mspss_band(float(value)) == expected, (subscale.slug, value)


@pytest.mark.parametrize(
    ("mean", "band"), [(1, "low"), (2.75, "low"), (3, "moderate"), (5, "moderate"), (5.25, "high")]
)
def test_mspss_band_edges(mean, band):
    assert module.mspss_band(mean) == band


def test_perceived_words_give_band_score_and_scale():
    found = run(m=mspss(significant_other=5.75, family=4, friends=2.5))
    assert row(found, "significant_other").perceived == "High (5.75 of 7 on the MSPSS)"
    assert row(found, "family").perceived == "Moderate (4 of 7 on the MSPSS)"
    assert row(found, "friends").perceived == "Low (2.5 of 7 on the MSPSS)"
    assert [row(found, k).band for k in module.KEYS] == ["high", "moderate", "low"]


def test_lsns_below_six_is_called_a_small_network_and_six_is_not():
    found = run(m=mspss(family=4), l6=lsns6(family=5, friends=6))
    family, friends = row(found, "family"), row(found, "friends")
    assert (
        family.perceived == "Moderate (4 of 7 on the MSPSS); 5 of 15 on the LSNS-6, a small network"
    )
    assert family.small_network is True
    assert friends.perceived == "6 of 15 on the LSNS-6"
    assert friends.small_network is False


def test_lsns_has_nothing_to_say_about_someone_special():
    found = run(l6=lsns6(family=8, friends=8))
    assert row(found, "significant_other").perceived == ""
    assert row(found, "significant_other").lsns6 is None


def test_a_subscale_without_a_score_leaves_its_row_empty():
    found = run(m=mspss(family=6))
    assert row(found, "family").perceived.startswith("High")
    assert row(found, "friends").perceived == ""
    assert row(found, "friends").mspss is None


def test_missing_questionnaires_leave_perceived_empty_and_say_nothing():
    # A network with every reason for an observation, had there been answers.
    found = run([*FAMILY, *FRIENDS], [contact(1, 10) for _ in range(10)])
    assert all(r.perceived == "" for r in found.rows)
    assert found.observations == []
    assert found.mspss is None and found.lsns6 is None
    assert row(found, "friends").contacts == 10  # the lived side is still there


def test_a_result_older_than_180_days_says_how_old_it_is():
    old = run(m=mspss(taken_days_ago=181, family=4))
    recent = run(m=mspss(taken_days_ago=180, family=4))
    assert row(old, "family").perceived == "Moderate (4 of 7 on the MSPSS, from 6 months ago)"
    assert row(recent, "family").perceived == "Moderate (4 of 7 on the MSPSS)"


@pytest.mark.parametrize(
    ("days", "words"),
    [
        (0, ""),
        (180, ""),
        (181, "6 months ago"),
        (243, "8 months ago"),
        (400, "13 months ago"),
        (800, "2 years ago"),
    ],
)
def test_age_words(days, words):
    assert module.age_words(ago(days), TODAY) == words


def test_a_result_dated_after_today_is_treated_as_recent():
    assert module.age_words(TODAY + dt.timedelta(days=3), TODAY) == ""


def test_results_say_each_questionnaire_with_its_date():
    found = run(m=mspss(taken_days_ago=10, total=5.0833), l6=lsns6(taken_days_ago=243, total=14))
    assert found.results == [
        "Your MSPSS from 21 November 2026: 5.08 of 7 overall, high.",
        "Your LSNS-6 from 2 April 2026 (8 months ago): 14 of 30 in all.",
    ]


def test_lsns_total_below_twelve_is_read_as_a_risk_of_isolation_and_twelve_is_not():
    below = run(l6=lsns6(total=11)).results[0]
    at = run(l6=lsns6(total=12)).results[0]
    assert "below 12, which the scale reads as a risk of social isolation" in below
    assert "risk" not in at


def test_a_result_without_a_total_has_no_results_sentence():
    assert run(m=mspss(total=None, family=4)).results == []


# --- Observations ---------------------------------------------------------------------------------


def test_high_family_support_without_family_contact_is_noticed_gently():
    found = run(FAMILY, [contact(61, 1)], m=mspss(family=5.25))
    assert found.observations == [
        "You rated your family's support as high, and there's no family contact logged in the "
        "last 60 days. Maybe it's all there and just not logged — or maybe a call would be "
        "welcome."
    ]


def test_moderate_support_without_contact_says_nothing():
    assert run(FAMILY, [], m=mspss(family=5)).observations == []


def test_high_support_with_one_contact_on_the_last_day_of_the_window_says_nothing():
    assert run(FAMILY, [contact(59, 2)], m=mspss(family=6)).observations == []


def test_high_support_observation_names_the_part():
    found = run(FRIENDS, [], m=mspss(friends=7))
    assert found.observations[0].startswith(
        "You rated your friends' support as high, and there's no contact with friends logged"
    )
    special = run([person(1, circle="inner")], [], m=mspss(significant_other=7))
    assert special.observations[0].startswith(
        "You rated the support of someone special as high, and there's no contact with your "
        "partner or inner circle logged"
    )


def test_an_old_result_says_when_it_was_rated():
    found = run(FAMILY, [], m=mspss(taken_days_ago=243, family=6))
    assert found.observations[0].startswith("8 months ago, you rated your family's support")


def test_low_support_with_eight_contacts_notices_that_contact_is_not_always_support():
    found = run(FAMILY, [contact(d, 1) for d in range(8)], m=mspss(family=2.75))
    (said,) = found.observations
    assert said.startswith(
        "You rated your family's support as low, and there are 8 contacts with family logged "
        "in the last 60 days."
    )
    assert "aren't always the same thing" in said


def test_low_support_with_seven_contacts_says_nothing():
    found = run(FAMILY, [contact(d, 1) for d in range(7)], m=mspss(family=2.75))
    assert found.observations == []


def test_low_support_counts_only_contacts_in_the_window():
    contacts = [contact(d, 1) for d in range(7)] + [contact(60, 1)]
    assert run(FAMILY, contacts, m=mspss(family=1)).observations == []


def test_moderate_support_with_plenty_of_contact_says_nothing():
    found = run(FAMILY, [contact(d, 1) for d in range(20)], m=mspss(family=3))
    assert found.observations == []


def test_few_friends_on_the_lsns_beside_three_marked_friends_is_noticed():
    found = run(FRIENDS, [contact(1, 10)], l6=lsns6(friends=5))
    (said,) = found.observations
    assert said.startswith(
        "Your LSNS-6 answers counted few friends you could call on, and 3 people are marked "
        "as friends here."
    )


def test_few_friends_beside_two_marked_friends_says_nothing():
    assert run(FRIENDS[:2], [], l6=lsns6(friends=5)).observations == []


def test_six_on_the_lsns_is_not_few():
    assert run(FRIENDS, [], l6=lsns6(friends=6)).observations == []


def test_few_relatives_beside_several_marked_family_is_noticed_too():
    family = [person(i, roles=("family",)) for i in range(1, 4)]
    (said,) = run(family, [], l6=lsns6(family=2)).observations
    assert said.startswith("Your LSNS-6 answers counted few relatives you could call on")


def test_an_old_lsns_says_when_it_was_answered():
    (said,) = run(FRIENDS, [], l6=lsns6(taken_days_ago=400, friends=3)).observations
    assert said.startswith("Your LSNS-6 answers from 13 months ago counted few friends")


def test_support_rated_where_nobody_is_marked_is_perhaps_not_logged_yet():
    (said,) = run([], [], m=mspss(family=3)).observations
    assert said == (
        "You rated your family's support as moderate, and nobody is marked as family here yet. "
        "If you'd like to add them, this page can show that side too."
    )


def test_low_support_where_nobody_is_marked_says_nothing():
    assert run([], [], m=mspss(family=2.75, friends=1)).observations == []


def test_lsns_friends_where_nobody_is_marked_as_a_friend_is_noticed():
    (said,) = run([], [], l6=lsns6(family=0, friends=1)).observations
    assert said.startswith(
        "Your LSNS-6 answers mention friends you can turn to, and nobody is marked as a friend "
        "here yet."
    )


def test_both_questionnaires_showing_support_where_nobody_is_marked_say_it_once():
    found = run([], [], m=mspss(friends=4), l6=lsns6(friends=9))
    assert len(found.observations) == 1
    assert found.observations[0].startswith("You rated your friends' support as moderate")


def test_someone_special_with_nobody_close_is_perhaps_not_logged_yet():
    (said,) = run([person(1, circle="middle")], [], m=mspss(significant_other=6)).observations
    assert "nobody is marked as your partner or in your inner circle here yet" in said


def test_observations_come_in_the_rows_order():
    found = run(
        [person(1, circle="inner")],
        [],
        m=mspss(significant_other=6, family=4, friends=4),
    )
    assert [o.split(" as ")[0] for o in found.observations] == [
        "You rated the support of someone special",
        "You rated your family's support",
        "You rated your friends' support",
    ]


def test_questionnaire_and_log_agreeing_say_nothing():
    contacts = [contact(d, 1) for d in range(0, 60, 10)] + [contact(3, 10)]
    found = run(
        [*FAMILY, *FRIENDS], contacts, m=mspss(family=6, friends=4), l6=lsns6(family=9, friends=9)
    )
    assert found.observations == []


def test_no_observation_scolds():
    scenarios = [
        run(FAMILY, [], m=mspss(family=7)),
        run(FAMILY, [contact(d, 1) for d in range(10)], m=mspss(family=1)),
        run(FRIENDS, [], l6=lsns6(friends=0)),
        run([], [], m=mspss(family=6, friends=6, significant_other=6)),
        run([], [], l6=lsns6(family=3, friends=3)),
    ]
    said = [text for found in scenarios for text in found.observations]
    assert len(said) >= 8
    for text in said:
        assert "should" not in text.lower()
        assert "!" not in text
        assert "fail" not in text.lower()
