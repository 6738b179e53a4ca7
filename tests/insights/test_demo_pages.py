"""The small demo member's insights pages show every card with real computed values.

"Not enough data yet" is an honest answer for a new member, but the demo is there to show
what the pages do: if one of its cards fell back to it, the demo would hide a feature.
"""

from __future__ import annotations

import datetime as dt
import re
from html import unescape
from typing import Any

import pytest
import time_machine
from django.test import Client

from closeknit.accounts.models import User
from closeknit.demo.generate import create_demo_member
from closeknit.insights.wording import EFFECTS
from closeknit.network.models import Person

NOW = dt.datetime(2026, 3, 18, 10, 30, tzinfo=dt.UTC)  # a Wednesday morning in London
CARDS = (
    "card-circles",
    "card-diversity",
    "card-coverage",
    "card-reciprocity",
    "card-in-person",
    "card-weekly",
    "card-runs",
    "card-concentration",
)
# What a card says when it has nothing to show.
NOTHING_YET = ("Not enough data yet", "No contact logged", "Nobody yet", "Nothing logged")


@pytest.fixture
def demo(db: Any) -> User:
    with time_machine.travel(NOW, tick=False):
        return create_demo_member("demo@example.org", scale="small")


@pytest.fixture
def pages(demo: User) -> dict[str, Any]:
    client = Client()
    client.force_login(demo)
    with time_machine.travel(NOW, tick=False):
        return {name: client.get(url) for name, url in URLS.items()}


URLS = {"network": "/insights/", "wellbeing": "/insights/wellbeing/"}


def words(response: Any) -> str:
    content = unescape(response.content.decode())
    return " ".join(re.sub(r"<[^>]+>", " ", content).split())


def card(response: Any, element_id: str) -> str:
    content = unescape(response.content.decode())
    start = content.index(f'id="{element_id}"')
    end = content.index("<section", start)
    return " ".join(re.sub(r"<[^>]+>", " ", content[start:end]).split())


def test_both_pages_render(pages):
    assert {name: response.status_code for name, response in pages.items()} == {
        "network": 200,
        "wellbeing": 200,
    }


def test_the_convoy_draws_the_demo_people_in_all_three_circles(demo, pages):
    found = pages["network"].context["convoy"]
    assert found.dots
    assert {dot.circle for dot in found.dots} == {"inner", "middle", "outer"}
    own = set(Person.objects.owned_by(demo).values_list("pk", flat=True))
    content = pages["network"].content.decode()
    svg = content[content.index("<svg viewBox=") : content.index("</svg>")]
    linked = [int(pk) for pk in re.findall(r'<a href="/people/(\d+)/"', svg)]
    assert linked == [dot.person_id for dot in found.dots]
    assert set(linked) <= own


@pytest.mark.parametrize("element_id", CARDS)
def test_every_network_card_has_real_figures(pages, element_id):
    text = card(pages["network"], element_id)
    for phrase in NOTHING_YET:
        assert phrase not in text, f"{element_id}: {text}"
    assert re.search(r"\d", text)


def test_the_network_cards_figures_come_from_the_demo_log(pages):
    health = pages["network"].context["health"]
    assert all(circle.people > 0 for circle in health.circles)
    assert health.diversity.score > 0
    assert all(kind.logged > 0 for kind in health.coverage)
    assert not health.missing_types
    assert health.reciprocity.total > 0
    assert health.in_person.share is not None
    assert sum(week.contacts for week in health.weekly) > 0
    assert health.runs.current is not None and health.runs.longest is not None
    assert health.concentration.effective_people is not None
    text = words(pages["network"])
    assert f"{health.in_person.in_person} of your {health.in_person.total} contacts" in text
    effective = f"about {health.concentration.effective_people:.1f} people equally"
    assert effective in text


def test_perceived_and_lived_rows_have_both_sides(pages):
    found = pages["network"].context["perceived"]
    assert found.mspss is not None and found.lsns6 is not None
    assert [row.key for row in found.rows] == ["significant_other", "family", "friends"]
    content = unescape(pages["network"].content.decode())
    for row in found.rows:
        assert row.perceived and row.lived
        start = content.index(">", content.index(f'id="perceived-{row.key}"')) + 1
        shown = " ".join(
            re.sub(r"<[^>]+>", " ", content[start : content.index("</tr>", start)]).split()
        )
        assert shown == f"{row.label} {row.perceived} {row.lived}"
    assert "Answer the MSPSS" not in content


def test_every_effect_card_has_both_means_and_an_interval(pages):
    context = pages["wellbeing"].context
    for key in EFFECTS:
        found = getattr(context["connection"], key)
        assert found.enough_data, f"{key}: {found}"
        text = card(pages["wellbeing"], f"effect-{key}")
        assert "95% interval" in text, text
        assert re.search(r"averaged \d+\.\d, .* \d+\.\d: ", text), text
        assert f"from {found.with_contact.days} and {found.without_contact.days} days." in text


def test_at_least_one_person_effect_is_listed(pages):
    people = pages["wellbeing"].context["people"]
    assert people
    content = pages["wellbeing"].content.decode()
    assert f'href="/people/{people[0].effect.person_id}/"' in content
    assert people[0].difference in content


def test_the_chart_and_its_table_have_the_demo_year(pages):
    timeline = pages["wellbeing"].context["timeline"]
    assert timeline.mood and timeline.stress and timeline.contact_x
    content = pages["wellbeing"].content.decode()
    assert content.count('<polyline class="line mood"') == len(timeline.mood)
    assert content.count('<th scope="row"><time') == len(timeline.weeks)
