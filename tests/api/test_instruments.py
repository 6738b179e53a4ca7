"""/api/v1/instruments: the questionnaire definitions, the same for every member."""

from __future__ import annotations

import pytest

from closeknit.wellbeing import instruments

INSTRUMENTS = "/api/v1/instruments"


def test_list_has_every_instrument_in_order(api):
    response = api.get(INSTRUMENTS)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == len(instruments.CODES)
    assert [item["code"] for item in body["items"]] == list(instruments.CODES)


def test_list_entry_for_the_phq9(api):
    phq9 = api.get(INSTRUMENTS).json()["items"][0]
    assert phq9 == {
        "code": "phq9",
        "name": "PHQ-9",
        "title": "Patient Health Questionnaire (PHQ-9)",
        "measures": "low mood and depression",
        "period": "the last 2 weeks",
        "method": "sum",
        "item_count": 10,  # nine scored, and the difficulty question
        "lowest_total": 0,
        "highest_total": 27,
        "higher_is_better": False,
        "loinc": {"panel": "44249-1", "total": "44261-6"},
        "source": instruments.get("phq9").source,
        "licence": instruments.get("phq9").licence,
    }


@pytest.mark.parametrize(
    ("code", "lowest", "highest"),
    [("who5", 0, 100), ("ucla3", 3, 9), ("mspss", 1, 7), ("pss10", 0, 40), ("lsns6", 0, 30)],
)
def test_total_ranges(api, code, lowest, highest):
    body = api.get(f"{INSTRUMENTS}/{code}").json()
    assert (body["lowest_total"], body["highest_total"]) == (lowest, highest)


def test_phq9_definition_has_its_items_options_bands_and_flag(api):
    response = api.get(f"{INSTRUMENTS}/phq9")
    assert response.status_code == 200
    body = response.json()
    assert body["stem"].startswith("Over the last 2 weeks")
    assert len(body["items"]) == 10
    first, difficulty = body["items"][0], body["items"][9]
    assert first == {
        "number": 1,
        "text": "Little interest or pleasure in doing things",
        "section": "",
        "reverse": False,
        "scored": True,
        "slug": "",
        "loinc": "",
        "options": [
            {"code": 0, "label": "Not at all"},
            {"code": 1, "label": "Several days"},
            {"code": 2, "label": "More than half the days"},
            {"code": 3, "label": "Nearly every day"},
        ],
    }
    assert (difficulty["scored"], difficulty["slug"], difficulty["loinc"]) == (
        False,
        "difficulty",
        "69722-7",
    )
    assert [(b["slug"], b["lower"], b["lower_exclusive"]) for b in body["bands"]] == [
        ("minimal", 0, False),
        ("mild", 5, False),
        ("moderate", 10, False),
        ("moderately_severe", 15, False),
        ("severe", 20, False),
    ]
    assert body["flags"] == [{"flag": "self_harm_thoughts", "item": 9, "above": 0}]
    assert body["meaningful_change"] == 5
    assert "prorated" in body["missing_rule"]
    assert body["subscales"] == []
    assert body["bands_note"]


def test_pss10_marks_its_reverse_items(api):
    items = api.get(f"{INSTRUMENTS}/pss10").json()["items"]
    assert [item["number"] for item in items if item["reverse"]] == [4, 5, 7, 8]


def test_mspss_definition_has_subscales_and_an_exclusive_band(api):
    body = api.get(f"{INSTRUMENTS}/mspss").json()
    assert body["method"] == "mean"
    assert [(s["slug"], s["items"]) for s in body["subscales"]] == [
        ("significant_other", [1, 2, 5, 10]),
        ("family", [3, 4, 8, 11]),
        ("friends", [6, 7, 9, 12]),
    ]
    assert [(b["slug"], b["lower"], b["lower_exclusive"]) for b in body["bands"]] == [
        ("low", 1, False),
        ("moderate", 3, False),
        ("high", 5, True),
    ]
    assert body["subscales"][0]["bands"] == body["bands"]


def test_lsns6_items_carry_their_sections(api):
    items = api.get(f"{INSTRUMENTS}/lsns6").json()["items"]
    assert items[0]["section"].startswith("Family")


def test_phq2_borrows_the_phq9_wording(api):
    phq2 = api.get(f"{INSTRUMENTS}/phq2").json()
    phq9 = api.get(f"{INSTRUMENTS}/phq9").json()
    assert [i["text"] for i in phq2["items"]] == [i["text"] for i in phq9["items"][:2]]
    assert phq2["stem"] == phq9["stem"]


@pytest.mark.parametrize("code", ["phq10", "PHQ9", "cssrs", "ucla20"])
def test_an_unknown_code_gets_404(api, code):
    response = api.get(f"{INSTRUMENTS}/{code}")
    assert response.status_code == 404
    assert response.json()["detail"].startswith("We couldn't find that.")


def test_a_stranger_reads_the_same_definitions(api, stranger_api):
    assert stranger_api.get(INSTRUMENTS).json() == api.get(INSTRUMENTS).json()
    assert stranger_api.get(f"{INSTRUMENTS}/gad7").json() == api.get(f"{INSTRUMENTS}/gad7").json()


@pytest.mark.parametrize("path", [INSTRUMENTS, f"{INSTRUMENTS}/phq9", f"{INSTRUMENTS}/nope"])
def test_without_a_token_it_is_401(anonymous_api, path):
    response = anonymous_api.get(path)
    assert response.status_code == 401
    assert "API token" in response.json()["detail"]


def test_definitions_need_no_query_but_the_token(api, django_assert_max_num_queries):
    api.get(INSTRUMENTS)
    with django_assert_max_num_queries(1):
        assert api.get(INSTRUMENTS).status_code == 200
    with django_assert_max_num_queries(1):
        assert api.get(f"{INSTRUMENTS}/mspss").status_code == 200
