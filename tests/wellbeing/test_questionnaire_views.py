"""The questionnaire pages: one generic form, the result, the calm page after item 9, history, schedules."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from closeknit.network.models import Person
from closeknit.recovery.models import SafetyPlanVersion
from closeknit.wellbeing import store
from closeknit.wellbeing.instruments import CODES
from closeknit.wellbeing.models import Assessment, QuestionnaireSchedule

pytestmark = pytest.mark.django_db


def answers_form(answers: list[int | None]) -> dict[str, str]:
    return {f"q{n}": str(a) for n, a in enumerate(answers, 1) if a is not None}


@pytest.mark.parametrize("code", CODES)
def test_every_questionnaire_renders_every_question_and_its_licence(member_client, code):
    from closeknit.wellbeing import instruments

    instrument = instruments.get(code)
    body = member_client.get(reverse("wellbeing:questionnaire", args=[code])).content.decode()
    for item in instrument.items:
        assert f'name="q{item.number}"' in body
    assert instrument.licence.split(";")[0][:60] in body.replace("&#x27;", "'")
    assert "not a diagnosis" in body


def test_an_unknown_questionnaire_is_not_found(member_client):
    assert member_client.get("/questionnaires/beck/").status_code == 404
    assert member_client.get("/questionnaires/beck/history/").status_code == 404


def test_answering_the_phq9_shows_the_score_and_band(member_client, member):
    response = member_client.post(
        reverse("wellbeing:questionnaire", args=["phq9"]),
        answers_form([1, 1, 2, 1, 1, 1, 1, 2, 0, 1]),
    )
    assessment = Assessment.objects.get(owner=member)
    assert response["Location"] == reverse("wellbeing:assessment", args=[assessment.pk])
    assert (assessment.total, assessment.band, assessment.flags) == (10, "moderate", [])
    assert assessment.answers == [1, 1, 2, 1, 1, 1, 1, 2, 0, 1]
    body = member_client.get(response["Location"]).content.decode()
    assert "Moderate" in body and ">10<" in body


def test_item_nine_above_zero_leads_straight_to_the_calm_page(member_client, member, network):
    response = member_client.post(
        reverse("wellbeing:questionnaire", args=["phq9"]), answers_form([0] * 8 + [1])
    )
    assessment = Assessment.objects.get(owner=member)
    assert assessment.flags == ["self_harm_thoughts"]
    assert response["Location"] == reverse("wellbeing:assessment-support", args=[assessment.pk])
    body = member_client.get(response["Location"]).content.decode()
    assert "Nothing has been sent to anyone" in body
    assert "Samaritans" in body  # the member lives in GB
    assert "tel:999" in body
    assert "Sam Rivera" in body and "tel:+447700900123" in body  # inner circle, with a phone
    assert "Ada Okafor" not in body  # not in the inner circle
    assert "Make a safety plan" in body


def test_the_calm_page_shows_the_safety_plan_when_there_is_one(member_client, member, network):
    SafetyPlanVersion.objects.create(
        owner=member, sections={"warning_signs": {"items": ["Not sleeping for two nights"]}}
    )
    assessment, _ = store.record_assessment(member, "phq9", [0] * 8 + [2])
    body = member_client.get(
        reverse("wellbeing:assessment-support", args=[assessment.pk])
    ).content.decode()
    assert "Not sleeping for two nights" in body
    assert "Make a safety plan" not in body


def test_no_one_is_emailed_when_item_nine_is_answered(member_client, member, network, mailoutbox):
    member_client.post(reverse("wellbeing:questionnaire", args=["phq9"]), answers_form([3] * 9))
    assert mailoutbox == []


def test_archived_and_unreachable_inner_circle_people_are_left_out(member_client, member):
    Person.objects.create(
        owner=member,
        name="Gone Away",
        circle="inner",
        phone="07700 900001",
        archived_at=timezone.now(),
    )
    Person.objects.create(owner=member, name="No Number", circle="inner")
    Person.objects.create(owner=member, name="Mail Only", circle="inner", email="m@example.org")
    assessment, _ = store.record_assessment(member, "phq9", [0] * 8 + [1])
    body = member_client.get(
        reverse("wellbeing:assessment-support", args=[assessment.pk])
    ).content.decode()
    assert "Gone Away" not in body and "No Number" not in body
    assert "mailto:m@example.org" in body


def test_a_skipped_question_is_pointed_out_before_saving(member_client, member):
    url = reverse("wellbeing:questionnaire", args=["gad7"])
    response = member_client.post(url, answers_form([1, 1, None, 1, 1, 1, 1]))
    assert response.status_code == 200
    assert "You left question 3 unanswered" in response.content.decode()
    assert not Assessment.objects.filter(owner=member).exists()
    data = {**answers_form([1, 1, None, 1, 1, 1, 1]), "allow_missing": "1"}
    response = member_client.post(url, data)
    assessment = Assessment.objects.get(owner=member)
    assert (assessment.complete, assessment.total, assessment.band) == (False, None, "")
    body = member_client.get(response["Location"]).content.decode()
    assert "incomplete" in body and "never counted as 0" in body


def test_one_skipped_phq9_question_is_prorated_and_says_so(member_client, member):
    data = {**answers_form([1, 1, 1, 1, None, 1, 1, 1, 0]), "allow_missing": "1"}
    response = member_client.post(reverse("wellbeing:questionnaire", args=["phq9"]), data)
    assessment = Assessment.objects.get(owner=member)
    assert (assessment.total, assessment.prorated, assessment.complete) == (8, True, True)
    assert "estimated from the others" in member_client.get(response["Location"]).content.decode()


def test_an_answer_the_question_does_not_offer_is_refused(member_client, member):
    response = member_client.post(
        reverse("wellbeing:questionnaire", args=["phq9"]), {**answers_form([1] * 9), "q2": "4"}
    )
    assert response.status_code == 200
    assert not Assessment.objects.filter(owner=member).exists()


def test_mspss_result_lists_its_three_parts(member_client, member):
    assessment, _ = store.record_assessment(member, "mspss", [7, 7, 2, 2, 7, 5, 5, 2, 5, 7, 2, 5])
    body = member_client.get(reverse("wellbeing:assessment", args=[assessment.pk])).content.decode()
    assert "Someone special" in body and "Family" in body and "Friends" in body
    assert "Low" in body and "High" in body


def test_history_shows_change_and_marks_five_points_on_the_phq9(member_client, member):
    first = timezone.now() - dt.timedelta(days=28)
    store.record_assessment(member, "phq9", [2] * 6 + [1, 1, 0], first)  # 14
    store.record_assessment(member, "phq9", [1] * 9 + [None], first + dt.timedelta(days=14))  # 9
    store.record_assessment(member, "phq9", [1] * 8 + [0], first + dt.timedelta(days=21))  # 8
    body = member_client.get(
        reverse("wellbeing:questionnaire-history", args=["phq9"])
    ).content.decode()
    assert "5 points lower than last time (a change of 5 or more)" in body
    assert "1 point lower than last time" in body
    assert "First result" in body
    assert "<svg" in body and "3 results from" in body


def test_the_result_page_says_how_much_changed(member_client, member):
    earlier = timezone.now() - dt.timedelta(days=14)
    store.record_assessment(member, "phq9", [1] * 9, earlier)
    latest, _ = store.record_assessment(member, "phq9", [2] * 7 + [0, 0])
    body = member_client.get(reverse("wellbeing:assessment", args=[latest.pk])).content.decode()
    assert "5 points higher than last time" in body and "meaningful" in body


def test_history_of_an_unanswered_questionnaire_is_kind(member_client):
    body = member_client.get(
        reverse("wellbeing:questionnaire-history", args=["who5"])
    ).content.decode()
    assert "No WHO-5 results yet" in body


def test_history_costs_the_same_queries_for_many_results(
    member_client, member, django_assert_max_num_queries
):
    url = reverse("wellbeing:questionnaire-history", args=["gad7"])
    store.record_assessment(member, "gad7", [1] * 7)
    with django_assert_max_num_queries(6):
        member_client.get(url)
    for days in range(1, 80):
        store.record_assessment(
            member, "gad7", [days % 4] * 7, timezone.now() - dt.timedelta(days=days)
        )
    with django_assert_max_num_queries(6):
        body = member_client.get(url).content.decode()
    assert "Page 1 of 2" in body


def test_deleting_a_result_asks_first(member_client, member):
    assessment, _ = store.record_assessment(member, "who5", [3] * 5)
    url = reverse("wellbeing:assessment-delete", args=[assessment.pk])
    assert "can't be undone" in member_client.get(url).content.decode()
    response = member_client.post(url)
    assert response["Location"] == reverse("wellbeing:questionnaire-history", args=["who5"])
    assert not Assessment.objects.filter(pk=assessment.pk).exists()


def test_schedules_are_chosen_per_questionnaire_and_due_ones_show_at_home(member_client, member):
    response = member_client.post(
        reverse("wellbeing:questionnaire-schedules"),
        {code: "0" for code in CODES} | {"phq9": "14", "gad7": "28"},
    )
    assert response.status_code == 302
    assert dict(QuestionnaireSchedule.objects.values_list("instrument", "every_days")) == {
        "phq9": 14,
        "gad7": 28,
    }
    home = member_client.get(reverse("network:home")).content.decode()
    assert "Due for you" in home and "PHQ-9" in home and "GAD-7" in home
    store.record_assessment(member, "phq9", [0] * 9)
    home = member_client.get(reverse("network:home")).content.decode()
    assert "PHQ-9" not in home and "GAD-7" in home
    member_client.post(reverse("wellbeing:questionnaire-schedules"), {code: "0" for code in CODES})
    assert not QuestionnaireSchedule.objects.exists()


def test_a_questionnaire_is_due_again_after_its_interval(member_client, member):
    QuestionnaireSchedule.objects.create(owner=member, instrument="who5", every_days=14)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        store.record_assessment(member, "who5", [3] * 5)
        traveller.shift(dt.timedelta(days=13))
        assert store.due_questionnaires(member) == []
        traveller.shift(dt.timedelta(days=1))
        assert [one.instrument.code for one in store.due_questionnaires(member)] == ["who5"]


def test_the_list_shows_each_questionnaire_with_its_last_result(member_client, member):
    store.record_assessment(member, "ucla3", [2, 2, 3], timezone.now() - dt.timedelta(days=3))
    store.record_assessment(member, "ucla3", [1, 1, 1])
    body = member_client.get(reverse("wellbeing:questionnaires")).content.decode()
    for code in ("PHQ-9", "GAD-7", "PSS-10", "WHO-5", "UCLA 3-item", "MSPSS", "LSNS-6"):
        assert code in body
    assert "score 3." in body and "score 7." not in body
