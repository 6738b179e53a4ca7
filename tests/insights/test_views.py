"""The insights pages: the network (convoy and cards) and the wellbeing page (effects and chart)."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from html import unescape
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from closeknit.accounts.models import User
from closeknit.insights import convoy, store, suggestions
from closeknit.insights.forms import BAD_DAY, chosen_range
from closeknit.insights.store import OUT_OF_REACH
from closeknit.insights.views import ACTIONS
from closeknit.network.models import Interaction, Person
from closeknit.wellbeing.models import CheckIn
from closeknit.wellbeing.store import record_assessment
from tests.accounts.html import Page, assert_every_control_is_labelled, assert_one_h1

pytestmark = pytest.mark.django_db

NOON = dt.datetime(2024, 7, 1, 11, tzinfo=dt.UTC)  # Monday 1 July 2024, 12:00 in London
TODAY = dt.date(2024, 7, 1)
NETWORK = "/insights/"
WELLBEING = "/insights/wellbeing/"


@pytest.fixture(autouse=True)
def noon():
    with time_machine.travel(NOON, tick=False):
        yield


def html(client: Any, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return unescape(response.content.decode())


def text(content: str) -> str:
    """The page's words, one space apart: what a reader sees, without the markup."""
    words = " ".join(re.sub(r"<[^>]+>", " ", content).split())
    return re.sub(r" ([.,:;)])", r"\1", words)


def section(content: str, element_id: str) -> str:
    """The words of the card with this id, up to the next section."""
    start = content.index(f'id="{element_id}"')
    return text(content[start : content.index("<section", start)])


def add_person(owner: User, name: str, **fields: Any) -> Person:
    return Person.objects.create(owner=owner, name=name, **fields)


def contact(owner: User, days_ago: int, *people: Person, **fields: Any) -> Interaction:
    """Contact at 11:00 London time, `days_ago` local days before today."""
    entry = Interaction.objects.create(
        owner=owner, occurred_at=NOON - dt.timedelta(days=days_ago, hours=1), **fields
    )
    entry.people.set(people)
    return entry


@pytest.fixture
def small(member: User) -> dict[str, Person]:
    """Three people and five contacts, with figures worked out by hand in the tests below.

    Sam (inner, a friend) is on three contacts, Ada (middle, a therapist) on two, and
    Lee (outer, family, hoped for every 7 days) on one, 20 days ago.
    """
    sam = add_person(
        member,
        "Sam Rivera",
        nickname="Sam",
        circle="inner",
        roles=["friend"],
        support_types=["emotional", "companionship"],
        rhythm_days=14,
    )
    ada = add_person(
        member, "Ada Okafor", circle="middle", roles=["therapist"], support_types=["informational"]
    )
    lee = add_person(
        member,
        "Lee Chen",
        circle="outer",
        roles=["family"],
        support_types=["practical"],
        rhythm_days=7,
    )
    contact(member, 0, sam, channel="in_person", direction="received", support_types=["emotional"])
    contact(
        member,
        2,
        sam,
        channel="call",
        direction="mutual",
        support_types=["emotional", "companionship"],
    )
    contact(
        member, 5, sam, ada, channel="in_person", direction="received", support_types=["emotional"]
    )
    contact(member, 10, ada, channel="video", direction="gave")
    contact(member, 20, lee, channel="call", direction="received", support_types=["practical"])
    return {"sam": sam, "ada": ada, "lee": lee}


# --- Who may see what ---------------------------------------------------------------------------


@pytest.mark.parametrize("url", [NETWORK, WELLBEING])
def test_signed_out_visitor_is_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    ("url", "own"),
    [
        (NETWORK, "Your network starts with one person."),
        (WELLBEING, "No check-ins in these days yet."),
    ],
)
def test_a_stranger_never_sees_the_members_names(stranger_client, member, small, url, own):
    CheckIn.objects.create(owner=member, day=TODAY, mood=7, stress=3)
    page = html(stranger_client, url)
    assert own in page  # the stranger's own, empty, insights
    for name in ("Sam", "Ada Okafor", "Lee Chen"):
        assert name not in page
    for person in small.values():
        assert f"/people/{person.pk}/" not in page


def test_a_meeting_logged_without_names_counts_but_for_nobody_in_particular(member_client, network):
    page = html(member_client, NETWORK)
    # The call with Sam and the group meeting in person, both today.
    assert "1 of your 2 contacts in the last 90 days was face to face." in section(
        page, "card-in-person"
    )
    assert "1 Jul 2" in section(page, "card-weekly")
    assert "all of your contact was with one person." in section(page, "card-concentration")
    assert "Sam walked with me" not in page  # notes stay on the person's own page


def test_convoy_dots_link_to_the_members_own_people_only(member_client, member, small, stranger):
    add_person(stranger, "Stranger's friend", circle="inner")
    archived = add_person(member, "Old friend", circle="inner", archived_at=NOON)
    page = html(member_client, NETWORK)
    svg = page[page.index("<svg viewBox=") : page.index("</svg>")]
    linked = [int(pk) for pk in re.findall(r'<a href="/people/(\d+)/"', svg)]
    # Inner circle first, then middle, then outer: the keyboard's order too.
    assert linked == [small["sam"].pk, small["ada"].pk, small["lee"].pk]
    assert archived.pk not in linked
    everywhere = {int(pk) for pk in re.findall(r'href="/people/(\d+)/"', page)}
    assert everywhere <= {person.pk for person in small.values()}


# --- The network page ---------------------------------------------------------------------------


def test_a_member_without_people_sees_a_warm_start_not_zeros(member_client):
    page = html(member_client, NETWORK)
    assert "<title>Your network · Closeknit</title>" in page
    assert "Your network starts with one person." in page
    assert f'href="{reverse("network:person-new")}"' in page
    assert f'href="{reverse("insights:wellbeing")}"' in page
    assert "<svg" not in page
    assert "How your network is doing" not in page


def test_page_has_one_h1_and_headings_in_order(member_client, small):
    content = html(member_client, NETWORK)
    assert_one_h1(Page(content))
    levels = [int(level) for level in re.findall(r"<h([1-6])", content)]
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels))


def test_convoy_draws_three_labelled_rings_and_you_in_the_middle(member_client, small):
    page = html(member_client, NETWORK)
    svg = page[page.index("<svg viewBox=") : page.index("</svg>")]
    assert 'role="group" aria-labelledby="convoy-heading"' in svg
    assert [c for c in re.findall(r'class="ring ring-(\w+)"', svg)] == ["outer", "middle", "inner"]
    for label in ("Inner circle", "Middle circle", "Outer circle", ">You<"):
        assert label in svg


def test_each_dot_says_who_it_is_in_its_title_and_label(member_client, small):
    page = html(member_client, NETWORK)
    sam = (
        "Sam, inner circle: gives emotional support and companionship; "
        "3 contacts in the last 30 days; last in touch today."
    )
    assert f'aria-label="{sam}"' in page
    assert f"<title>{sam}</title>" in page


def test_a_dot_past_its_rhythm_is_faded_and_the_table_says_so(member_client, small):
    page = html(member_client, NETWORK)
    links = re.findall(r'<a href="/people/(\d+)/" class="person( faded)?"', page)
    assert dict(links) == {
        str(small["sam"].pk): "",
        str(small["ada"].pk): "",
        str(small["lee"].pk): " faded",
    }
    table = text(page[page.index('<details class="more convoy-table">') :])
    assert "Lee Chen Practical support 1 11 Jun 2024 Yes" in table
    assert "Sam Emotional support, Companionship 3 1 Jul 2024 No" in table
    assert "Ada Okafor Informational support 2 26 Jun 2024 No" in table


def test_each_support_type_has_a_mark_and_the_legend_names_them(member_client, small):
    page = html(member_client, NETWORK)
    marks = re.findall(r'<use href="#mark-(\w+)" x=', page)
    assert sorted(marks) == ["companionship", "emotional", "informational", "practical"]
    legend = text(page.split('class="convoy-legend"')[1].split("</ul>")[0])
    for label in ("Emotional support", "Practical", "Informational support", "Companionship"):
        assert label in legend


def test_a_full_ring_says_how_many_more_and_links_to_everyone(member_client, member):
    room = convoy.capacity(convoy.track_radius("outer"))
    Person.objects.bulk_create(
        Person(owner=member, name=f"Person {n:02}", circle="outer") for n in range(room + 3)
    )
    page = html(member_client, NETWORK)
    svg = page[page.index("<svg viewBox=") : page.index("</svg>")]
    assert svg.count('class="person') == room
    assert "And 3 more in the outer circle, not drawn for lack of room — see all people." in text(
        page
    )
    assert 'href="/people/?circle=outer"' in page


def test_people_per_circle_card(member_client, small):
    card = section(html(member_client, NETWORK), "card-circles")
    assert "Inner circle 1 Middle circle 1 Outer circle 1" in card
    assert "From the 3 people in your network" in card


def test_role_diversity_card_counts_roles_in_touch_in_the_last_two_weeks(member_client, small):
    card = section(html(member_client, NETWORK), "card-diversity")
    # Sam (a friend) is in touch; Ada is a therapist (no SNI role), Lee was 20 days ago.
    assert re.search(r"\b1 of \d+ A few kinds of relationship: Close friends\.", card)
    assert "Cohen's Social Network Index" in card
    assert "From contact with 1 person in those 14 days." in card


def test_coverage_card_names_givers_times_and_a_single_point(member_client, small):
    card = section(html(member_client, NETWORK), "card-coverage")
    # Emotional: Sam on three contacts, Ada on one of them: 4 logged times, 3 of them Sam's.
    assert "Emotional Sam: 3 times Ada Okafor: 1 time 4 logged times in the last 90 days." in card
    assert "Most of it came from Sam (3 of 4 times)" in card
    assert "Informational Ada Okafor: marked as giving it 0 logged times" in card
    assert "Practical Lee Chen: 1 time 1 logged time" in card


def test_coverage_card_says_nobody_for_a_type_nobody_gives(member_client, member):
    add_person(member, "Sam", support_types=["emotional"])
    card = section(html(member_client, NETWORK), "card-coverage")
    assert "Practical Nobody yet." in card
    assert "Informational Nobody yet." in card


def test_reciprocity_card_overall_and_per_person(member_client, small):
    card = section(html(member_client, NETWORK), "card-reciprocity")
    assert (
        "In the last 90 days you received support 3 times, gave it 1 time, and supported each "
        "other 1 time."
    ) in card
    assert "From 5 logged contacts." in card
    assert "Sam 2 0 1" in card
    assert "Ada Okafor 1 1 0" in card
    assert "Everyone (" not in card  # three people: the top ten is everyone


def test_reciprocity_of_many_people_shows_ten_then_everyone_in_pages(member_client, member):
    people = Person.objects.bulk_create(
        Person(owner=member, name=f"Person {n:02}") for n in range(60)
    )
    for person in people:
        contact(member, 1, person, direction="gave")
    first = html(member_client, NETWORK)
    card = first[first.index('id="card-reciprocity"') : first.index('id="card-weekly"')]
    top = card[: card.index("<details")]
    assert top.count('<tr><th scope="row">') == 10
    assert "Everyone (60)" in card
    assert "Page 1 of 2" in card
    second = html(member_client, NETWORK + "?balance=2")
    card = second[second.index('id="card-reciprocity"') : second.index('id="card-weekly"')]
    everyone = card[card.index("<details") :]
    assert '<details class="more" id="everyone-balances" open>' in everyone
    assert everyone.count('<tr><th scope="row">') == 10
    assert "Page 2 of 2" in everyone


def test_in_person_card_gives_the_share_and_the_counts(member_client, small):
    card = section(html(member_client, NETWORK), "card-in-person")
    assert "40% in person" in card
    assert "2 of your 5 contacts in the last 90 days were face to face." in card


def test_weekly_card_counts_contacts_per_monday_week(member_client, small):
    card = section(html(member_client, NETWORK), "card-weekly")
    # Today is Monday 1 July: its week has today's contact; 26 and 29 June fall in the
    # week before, 21 June in the one before that, 11 June in the week of 10 June.
    assert "10 Jun 1 17 Jun 1 24 Jun 2 1 Jul 1" in card
    # Twelve weeks: the first is the week of 15 April.
    assert card.index("15 Apr 0") < card.index("10 Jun 1")
    assert "8 Apr" not in card
    assert "5 contacts over the last 12 weeks" in card


def test_weekly_bars_are_measured_against_the_busiest_week(member_client, small):
    page = html(member_client, NETWORK)
    widths = re.findall(r'class="bar" style="width: (\d+)%"', page)
    assert len(widths) == 12
    assert widths[-4:] == ["50", "50", "100", "50"]


def test_runs_card_says_today_and_the_longest_quiet_stretch_with_dates(member_client, small):
    card = section(html(member_client, NETWORK), "card-runs")
    assert "You were in touch with someone today." in card
    # The year's window starts 3 July 2023; the first contact is on 11 June 2024.
    assert (
        "The longest quiet stretch in the last year was 344 days, from 3 July 2023 to 10 June 2024."
    ) in card


def test_runs_card_counts_the_days_since_the_last_contact(member_client, member):
    sam = add_person(member, "Sam")
    contact(member, 9, sam)
    card = section(html(member_client, NETWORK), "card-runs")
    assert "It's been 9 days since your last logged contact." in card


def test_runs_card_without_any_contact(member_client, member):
    add_person(member, "Sam")
    card = section(html(member_client, NETWORK), "card-runs")
    assert "No contact logged in the last year yet." in card
    assert "longest" not in card


def test_concentration_card_explains_the_herfindahl_index(member_client, small):
    card = section(html(member_client, NETWORK), "card-concentration")
    # Person-contacts: Sam 3, Ada 2, Lee 1 of 6. Σ share² = (9 + 4 + 1) / 36 = 0.389; 1/that = 2.57.
    assert "it's like being in touch with about 2.6 people equally." in card
    assert "From 6 contacts with 3 people." in card
    assert "Herfindahl index, 0.39" in card


def test_concentration_with_one_person_says_so_plainly(member_client, member):
    sam = add_person(member, "Sam")
    contact(member, 1, sam)
    card = section(html(member_client, NETWORK), "card-concentration")
    assert "all of your contact was with one person." in card
    assert "Herfindahl" not in card


def test_cards_without_recent_contact_say_so_instead_of_zeros(member_client, member):
    add_person(member, "Sam")
    page = html(member_client, NETWORK)
    assert "No contact logged in the last 90 days yet." in section(page, "card-in-person")
    assert "No contact logged in the last 90 days yet." in section(page, "card-reciprocity")
    assert "%" not in section(page, "card-in-person")


def test_suggestions_link_to_where_their_step_happens(member_client, small):
    page = html(member_client, NETWORK)
    ideas = page[page.index('id="ideas-heading"') : page.index('id="health-heading"')]
    # Most of the emotional support is Sam's; only one part of life in the last two weeks.
    assert "Most of your emotional support lately has come from Sam." in text(ideas)
    links = re.findall(r'<a href="([^"]+)">', ideas)
    assert links == [reverse("network:people"), reverse("rhythms:reach-out")]
    for link in links:
        assert html(member_client, link)


def test_missing_support_type_suggests_who_could_give_it(member_client, member):
    add_person(member, "Sam", circle="inner", support_types=["emotional", "practical"])
    page = text(html(member_client, NETWORK))
    assert (
        "Nobody is marked as giving informational support — a mentor, a support group or a "
        "professional could. Add someone"
    ) in page


def test_every_suggestion_action_has_a_page(member_client, member):
    assert set(ACTIONS) == set(suggestions.ACTIONS)
    for name, _label in ACTIONS.values():
        assert member_client.get(reverse(name)).status_code == 200


def test_a_network_with_no_gaps_gets_a_warm_line_instead_of_ideas(member_client, member):
    kinds = ["emotional", "practical", "informational", "companionship"]
    for n, role in enumerate(["partner", "family", "friend", "colleague"]):
        person = add_person(
            member, f"Person {n}", circle="inner", roles=[role], support_types=[kinds[n]]
        )
        contact(member, n, person)
    page = text(html(member_client, NETWORK))
    assert "Nothing stands out right now." in page


def test_without_questionnaires_the_page_asks_kindly(member_client, small):
    page = html(member_client, NETWORK)
    part = page[page.index('id="perceived-heading"') :]
    assert 'href="/questionnaires/mspss/"' in part
    assert 'href="/questionnaires/lsns6/"' in part
    assert "Answer the MSPSS" in part
    assert "<table" not in part[: part.index("</section>")]


def test_perceived_and_lived_support_side_by_side(member_client, member, small):
    # Someone special 6, family 2, friends 4 (four answers each, 1–7).
    answers = [6, 6, 2, 2, 6, 4, 4, 2, 4, 6, 2, 4]
    record_assessment(member, "mspss", answers, NOON - dt.timedelta(days=3))
    page = html(member_client, NETWORK)
    part = text(page[page.index('id="perceived-heading"') :])
    assert "Your MSPSS from 28 June 2024: 4 of 7 overall, moderate." in part
    assert (
        "Someone special High (6 of 7 on the MSPSS) 1 person; 3 contacts in the last 60 days"
        in part
    )
    assert "Family Low (2 of 7 on the MSPSS) 1 person; 1 contact in the last 60 days" in part
    assert "Friends Moderate (4 of 7 on the MSPSS) 1 person; 3 contacts" in part
    # The LSNS-6 is still to answer: a link, not a blank verdict.
    assert 'href="/questionnaires/lsns6/"' in page
    assert 'href="/questionnaires/mspss/"' not in page


# The session, the user and whether a safety plan exists for the header link (3), then
# the page's own: people, a year of contact and its people, each person's latest contact,
# the latest MSPSS and the latest LSNS-6 (6).
NETWORK_QUERIES = 9
# The same three, then check-ins, contact and its people, and the names (4).
WELLBEING_QUERIES = 7


def busy_member(make_user: Any, people: int, contacts: int) -> User:
    """A member with `people` people and `contacts` contacts spread over the last year."""
    owner = make_user(f"busy{people}@example.org")
    made = Person.objects.bulk_create(
        Person(
            owner=owner,
            name=f"Person {n:02}",
            circle=("inner", "middle", "outer")[n % 3],
            roles=[("friend", "family", "colleague")[n % 3]],
            support_types=["emotional"],
            rhythm_days=7,
        )
        for n in range(people)
    )
    entries = Interaction.objects.bulk_create(
        Interaction(
            owner=owner,
            occurred_at=NOON - dt.timedelta(hours=(24 * 365 // contacts) * n + 1),
            direction=("gave", "received", "mutual")[n % 3],
            support_types=["emotional"],
        )
        for n in range(contacts)
    )
    links = Interaction.people.through
    links.objects.bulk_create(
        links(interaction=entry, person=made[n % people]) for n, entry in enumerate(entries)
    )
    CheckIn.objects.bulk_create(
        CheckIn(owner=owner, day=TODAY - dt.timedelta(days=n), mood=n % 11, stress=3 * n % 11)
        for n in range(365)
    )
    record_assessment(owner, "mspss", [5] * 12)
    record_assessment(owner, "lsns6", [3] * 6)
    return owner


@pytest.mark.parametrize(("people", "contacts"), [(3, 5), (60, 1200)])
def test_network_page_stays_within_one_budget_whatever_the_size(
    make_user, client, django_assert_max_num_queries, people, contacts
):
    client.force_login(busy_member(make_user, people, contacts))
    with django_assert_max_num_queries(NETWORK_QUERIES):
        assert client.get(NETWORK).status_code == 200


@pytest.mark.parametrize(("people", "contacts"), [(3, 5), (60, 1200)])
def test_wellbeing_page_stays_within_one_budget_whatever_the_size(
    make_user, client, django_assert_max_num_queries, people, contacts
):
    client.force_login(busy_member(make_user, people, contacts))
    with django_assert_max_num_queries(WELLBEING_QUERIES):
        assert client.get(WELLBEING).status_code == 200


# --- The wellbeing page -------------------------------------------------------------------------


def checkins(owner: User, days: int, person: Person | None = None) -> None:
    """`days` days of check-ins ending today, with contact in person every other day.

    Contact days have stress 3 and mood 7, the others stress 6 and mood 4: no spread on
    either side, so the interval is exactly the difference.
    """
    for back in range(days):
        day = TODAY - dt.timedelta(days=back)
        touched = back % 2 == 0
        CheckIn.objects.create(
            owner=owner, day=day, stress=3 if touched else 6, mood=7 if touched else 4
        )
        if touched:
            contact(owner, back, *([person] if person else []))


def test_a_member_without_checkins_sees_a_kind_start(member_client):
    page = html(member_client, WELLBEING)
    assert "<title>Connection and you · Closeknit</title>" in page
    assert "No check-ins in these days yet." in page
    assert f'href="{reverse("wellbeing:checkin")}"' in page
    assert "95% interval" not in page
    # The form is there, for a member whose check-ins are elsewhere in time.
    assert 'name="from"' in page


def test_wellbeing_page_has_one_h1_labelled_controls_and_headings_in_order(member_client, member):
    checkins(member, 40)
    content = html(member_client, WELLBEING)
    page = Page(content)
    assert_one_h1(page)
    assert_every_control_is_labelled(page)
    assert page.control("from").get("type") == "date"
    levels = [int(level) for level in re.findall(r"<h([1-6])", content)]
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels))


def test_effect_cards_give_both_means_the_difference_and_the_days(member_client, member):
    checkins(member, 40)
    # From the first check-in: the day before it would be one more day without contact.
    page = text(html(member_client, f"{WELLBEING}?from=2024-05-23"))
    assert (
        "On days with contact your stress averaged 3.0, on days without 6.0: about 3.0 lower "
        "(95% interval 3.0 to 3.0), from 20 and 20 days."
    ) in page
    assert (
        "On days with contact your mood averaged 7.0, on days without 4.0: about 3.0 higher "
        "(95% interval 3.0 to 3.0), from 20 and 20 days."
    ) in page
    assert (
        "On days you saw someone in person your stress averaged 3.0, on days with no contact "
        "at all 6.0"
    ) in page
    # The day after a contact day is a day without (stress 6), and the other way round.
    assert (
        "The day after a day with contact your stress averaged 6.0, the day after a day "
        "without 3.0: about 3.0 higher (95% interval 3.0 to 3.0), from 19 and 20 days."
    ) in page


def test_effect_cards_come_before_the_chart_with_a_note_on_cause(member_client, member):
    checkins(member, 40)
    page = html(member_client, WELLBEING)
    assert page.index('id="effects-heading"') < page.index('class="timeline"')
    assert "not proof that one causes the other" in page
    assert page.count("The “95% interval” is the range") == 1


def test_not_enough_days_says_how_many_more_each_side_needs(member_client, member):
    checkins(member, 10)  # five days with contact, five without
    page = html(member_client, WELLBEING)
    assert (
        "Not enough data yet: 9 more days without contact and 9 more with contact are needed."
    ) in page
    assert "So far: 5 days with contact and 5 days without contact. Each side needs 14." in page
    assert "averaged" not in page[: page.index('class="timeline"')]


def test_the_effect_of_each_person_is_listed_with_their_days(member_client, member):
    sam = add_person(member, "Sam Rivera", nickname="Sam")
    checkins(member, 40, person=sam)
    page = html(member_client, WELLBEING)
    row = text(page[page.index('class="person-effects"') :])
    # Mood 7 on Sam's 20 days, 4 on the other 20; the usual is 5.5, counted as 7 days:
    # (20·7 + 7·5.5) / 27 = 6.61, which is 2.6 above the other days.
    assert "Sam 20 7.0 4.0 about 2.6 higher" in row
    assert f'href="/people/{sam.pk}/"' in page
    assert "the difference leans toward your usual mood until there are enough days" in page


def test_chart_draws_mood_and_stress_and_marks_contact_days(member_client, member):
    checkins(member, 40)
    page = html(member_client, WELLBEING)
    svg = page[page.index('<svg viewBox="0 0 720 240"') :]
    svg = svg[: svg.index("</svg>")]
    assert 'role="img" aria-label="Check-ins on 40 of 365 days, from 3 Jul 2023' in svg
    assert svg.count('class="line mood"') == 1
    assert svg.count('class="line stress"') == 1
    assert svg.count('href="#contact-tick" class="contact-tick"') == 20
    assert [
        label for label in re.findall(r'text-anchor="end" dominant-baseline="middle">(\d+)<', svg)
    ] == ["0", "5", "10"]


def test_weekly_table_keeps_a_year_on_one_page(member_client, member):
    checkins(member, 40)
    page = html(member_client, WELLBEING)
    table = page[
        page.index('<table class="weeks">') : page.index(
            "</table>", page.index('<table class="weeks">')
        )
    ]
    # 3 July 2023 (a Monday) … 1 July 2024 is 52 weeks and a day: 53 rows, the newest first.
    assert table.count('<th scope="row"><time') == 53
    assert re.search(r"1 Jul 2024</time></th>\s*<td>1</td>", table)
    assert "Page 1 of" not in page


def test_three_years_of_weeks_come_in_pages_that_keep_the_range(member_client, member):
    checkins(member, 20)
    url = WELLBEING + "?from=2021-07-03&to=2024-07-01"
    first = html(member_client, url)
    assert "Page 1 of 4" in first
    assert first.count('<th scope="row"><time') == 50
    assert 'href="?from=2021-07-03&to=2024-07-01&page=2"' in first
    last = html(member_client, url + "&page=4")
    assert "Page 4 of 4" in last
    assert "From 3 July 2021 to 1 July 2024" in text(last)


def test_one_checkin_is_drawn_as_a_dot_not_an_empty_line(member_client, member):
    CheckIn.objects.create(owner=member, day=TODAY - dt.timedelta(days=3), mood=6, stress=4)
    page = html(member_client, WELLBEING)
    assert page.count('class="lone mood"') == 1
    assert page.count('class="lone stress"') == 1
    assert "Not enough data yet" in page


@pytest.mark.parametrize(("weeks", "pages"), [(55, 1), (56, 2)])
def test_weekly_table_pages_start_past_fifty_five_weeks(member_client, member, weeks, pages):
    # Whole Monday-to-Sunday weeks ending yesterday, Sunday 30 June.
    first = TODAY - dt.timedelta(weeks=weeks)
    CheckIn.objects.create(owner=member, day=TODAY - dt.timedelta(days=1), mood=5)
    page = html(member_client, f"{WELLBEING}?from={first}&to=2024-06-30")
    rows = page.count('<th scope="row"><time')
    if pages == 1:
        assert rows == weeks
        assert "Page 1 of" not in page
    else:
        assert rows == 50
        assert f"Page 1 of {pages}" in page


def test_today_is_the_members_own_day(member_client, member):
    # At 12:00 UTC on 1 July it is midnight in Auckland (UTC+12 in winter): 2 July there.
    member.time_zone = "Pacific/Auckland"
    member.save()
    with time_machine.travel(NOON + dt.timedelta(hours=1), tick=False):
        page = text(html(member_client, WELLBEING))
    assert "From 4 July 2023 to 2 July 2024" in page


@pytest.mark.parametrize(
    ("zone", "words"),
    [
        ("Europe/London", "You were in touch with someone today."),
        ("America/New_York", "It's been 1 day since your last logged contact."),
    ],
)
def test_a_late_contact_falls_on_the_members_local_day(member_client, member, zone, words):
    member.time_zone = zone
    member.save()
    sam = add_person(member, "Sam")
    # 00:30 on 1 July in London; 19:30 on 30 June in New York, where it is now 07:00 on 1 July.
    entry = Interaction.objects.create(
        owner=member, occurred_at=dt.datetime(2024, 6, 30, 23, 30, tzinfo=dt.UTC)
    )
    entry.people.add(sam)
    assert words in section(html(member_client, NETWORK), "card-runs")


# --- The range form -----------------------------------------------------------------------------


def test_default_range_is_a_year_ending_today(member_client, member):
    page = html(member_client, WELLBEING)
    assert "From 3 July 2023 to 1 July 2024" in text(page)
    assert 'value="2023-07-03"' in page
    assert 'value="2024-07-01"' in page
    assert '<a href="?from=2023-07-03&to=2024-07-01" aria-current="page">A year</a>' in page


def test_a_valid_range_is_shown_and_kept_in_the_form(member_client, member):
    checkins(member, 40)
    page = html(member_client, WELLBEING + "?from=2024-06-01&to=2024-06-30")
    assert "From 1 June 2024 to 30 June 2024: 30 days with a check-in, 15 with contact." in text(
        page
    )
    assert 'value="2024-06-01"' in page
    assert 'value="2024-06-30"' in page
    assert 'role="alert"' not in page


def test_only_from_runs_to_today(member_client, member):
    page = html(member_client, WELLBEING + "?from=2024-06-01")
    assert "From 1 June 2024 to 1 July 2024" in text(page)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?from=2024-06-30&to=2024-06-01", "Please choose a 'to' day on or after 'from'."),
        ("?from=2024-13-45&to=2024-06-01", BAD_DAY),
        ("?from=yesterday", BAD_DAY),
        ("?from=2020-01-01&to=2024-07-01", f"Please choose at most {store.MAX_RANGE_DAYS} days"),
        ("?to=0001-01-05", OUT_OF_REACH),
        ("?from=9999-12-01&to=9999-12-31", OUT_OF_REACH),
    ],
)
def test_a_range_that_cannot_be_used_says_why_and_shows_the_default(
    member_client, member, query, message
):
    checkins(member, 20)
    response = member_client.get(WELLBEING + query)
    assert response.status_code == 200
    page = unescape(response.content.decode())
    assert message in page
    assert 'role="alert"' in page
    assert "From 3 July 2023 to 1 July 2024: 20 days with a check-in" in text(page)


def test_a_field_with_an_error_points_to_its_message(member_client):
    page = Page(html(member_client, WELLBEING + "?from=2024-13-45"))
    field = page.control("from")
    assert field.get("aria-invalid") == "true"
    assert BAD_DAY in " ".join(e.text for e in page.described_by(field))


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({}, (dt.date(2023, 7, 3), TODAY)),
        ({"from": "2024-07-01", "to": "2024-07-01"}, (TODAY, TODAY)),
        ({"to": "2024-06-30"}, (dt.date(2023, 7, 2), dt.date(2024, 6, 30))),
        # Exactly the longest range allowed, and one day more.
        (
            {"from": str(TODAY - dt.timedelta(days=store.MAX_RANGE_DAYS - 1)), "to": "2024-07-01"},
            (TODAY - dt.timedelta(days=store.MAX_RANGE_DAYS - 1), TODAY),
        ),
        (
            {"from": str(TODAY - dt.timedelta(days=store.MAX_RANGE_DAYS)), "to": "2024-07-01"},
            (dt.date(2023, 7, 3), TODAY),
        ),
        # The earliest day accepted, and the day before it.
        ({"from": "1900-01-01", "to": "1900-01-31"}, (dt.date(1900, 1, 1), dt.date(1900, 1, 31))),
        ({"from": "1899-12-31", "to": "1900-01-31"}, (dt.date(2023, 7, 3), TODAY)),
    ],
)
def test_chosen_range(data, expected):
    chosen = chosen_range(data, TODAY)
    assert (chosen.first, chosen.last) == expected


def test_quick_links_end_today_and_mark_the_one_on_show(member_client):
    chosen = chosen_range({"from": "2024-04-02", "to": "2024-07-01"}, TODAY)
    assert [(q.label, q.first, q.current) for q in chosen.quick] == [
        ("Last 3 months", dt.date(2024, 4, 2), True),
        ("6 months", dt.date(2024, 1, 2), False),
        ("A year", dt.date(2023, 7, 3), False),
        ("3 years", TODAY - dt.timedelta(days=store.MAX_RANGE_DAYS - 1), False),
    ]
    assert all(q.last == TODAY for q in chosen.quick)
