"""The safety plan's pages: the plan, its form, versions, print view, wallet card, header link."""

from __future__ import annotations

import copy
import datetime as dt
import re
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.db import connection
from django.test import RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from closeknit.network.models import Group, Person
from closeknit.recovery import safety_forms, safety_views
from closeknit.recovery.context_processors import safety_plan as plan_processor
from closeknit.recovery.models import CopingStrategy, CopingUse, SafetyPlanVersion
from closeknit.recovery.vocab import SAFETY_PLAN_SECTIONS
from tests.accounts.html import Page

PLAN = reverse("recovery:safety-plan")
EDIT = reverse("recovery:safety-plan-edit")
PRINT = reverse("recovery:safety-plan-print")
CARD = reverse("recovery:safety-plan-card")
HISTORY = reverse("recovery:safety-plan-history")
PROCESSOR = "closeknit.recovery.context_processors.safety_plan"


def _processors(enabled: bool) -> Any:
    templates = copy.deepcopy(settings.TEMPLATES)
    processors = [p for p in templates[0]["OPTIONS"]["context_processors"] if p != PROCESSOR]
    templates[0]["OPTIONS"]["context_processors"] = (
        [*processors, PROCESSOR] if enabled else processors
    )
    return override_settings(TEMPLATES=templates)


def with_plan_link() -> Any:
    """The project's settings with the header link's context processor, whether or not listed."""
    return _processors(enabled=True)


def without_plan_link() -> Any:
    return _processors(enabled=False)


def form_data(**fields: Any) -> dict[str, Any]:
    """A whole edit form: every section's lines empty unless given."""
    data: dict[str, Any] = {f"{slug}_items": "" for slug in SAFETY_PLAN_SECTIONS}
    data.update(fields)
    return data


def messages_of(response: Any) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def save(owner: Any, **sections: Any) -> SafetyPlanVersion:
    plan = safety_views.safety_plan.normalise(sections)
    version = safety_views.save_plan(owner, plan)
    assert version is not None
    return version


def version_url(version: SafetyPlanVersion) -> str:
    return reverse("recovery:safety-plan-version", args=[version.pk])


@pytest.fixture
def saved_plan(member: Any, network: dict[str, Any]) -> SafetyPlanVersion:
    return save(
        member,
        warning_signs={"items": ["Not sleeping", "Staying in bed"]},
        on_my_own={"items": ["A long walk"]},
        distractions={"items": ["The library"], "groups": [network["group"].pk]},
        ask_for_help={"people": [network["sam"].pk]},
        professionals={"people": [network["ada"].pk]},
        what_matters={"items": ["My dog Biscuit"]},
    )


# The empty state ---------------------------------------------------------------------


def test_without_a_plan_the_page_gently_invites_making_one(member_client):
    response = member_client.get(PLAN)
    assert response.status_code == 200
    html = response.content.decode()
    assert "A safety plan is a short list you write for yourself" in html
    assert "therapist" in html
    assert EDIT in html
    assert "Adapted from Stanley &amp; Brown (2012)" in html


@pytest.mark.parametrize("url", [PRINT, CARD])
def test_print_and_card_without_a_plan_lead_to_the_invitation(member_client, url):
    response = member_client.get(url)
    assert response.status_code == 302
    assert response["Location"] == PLAN


def test_history_without_a_plan_says_so(member_client):
    response = member_client.get(HISTORY)
    assert response.status_code == 200
    assert "You haven't saved a safety plan yet." in response.content.decode()


# The form ----------------------------------------------------------------------------


def test_form_has_one_fieldset_with_a_legend_per_section(member_client, network):
    page = Page(member_client.get(EDIT).content)
    legends = [" ".join(e.text.split()) for e in page.find_all("legend")]
    for title in (
        "My warning signs",
        "Things I can do on my own to take my mind off things",
        "People and places that take my mind off things",
        "People I can ask for help",
        "Professionals and crisis lines",
        "Making my surroundings safer",
        "What matters most to me",
    ):
        assert any(legend.endswith(title) for legend in legends), title
    assert len(page.find_all("textarea")) == len(SAFETY_PLAN_SECTIONS)


def test_form_offers_only_the_members_people_with_professionals_first(
    member_client, network, stranger
):
    Person.objects.create(owner=stranger, name="Stranger's friend")
    html = member_client.get(EDIT).content.decode()
    assert "Stranger&#x27;s friend" not in html and "Stranger's friend" not in html
    professionals = html[html.index('id="part-professionals"') :]
    professionals = professionals[: professionals.index("</fieldset>")]
    assert professionals.index("Ada Okafor (therapist or counsellor)") < professionals.index(
        "Sam Rivera"
    )


def test_form_without_groups_asks_for_none(member_client, member):
    Person.objects.create(owner=member, name="Sam Rivera")
    fields = member_client.get(EDIT).context["form"].fields
    assert "distractions_groups" not in fields
    assert "distractions_people" in fields


def test_a_large_network_is_chosen_from_select_boxes(member_client, member, network):
    Person.objects.bulk_create(
        Person(owner=member, name=f"Person {n:03}") for n in range(safety_forms.CHECKBOXES_UP_TO)
    )
    page = Page(member_client.get(EDIT).content)
    selects = [e for e in page.find_all("select") if e.get("name").endswith("_people")]
    assert len(selects) == 3
    assert all("multiple" in e.attrs for e in selects)


def test_form_shows_the_crisis_lines_that_are_always_on_the_plan(member_client, network):
    html = member_client.get(EDIT).content.decode()
    assert "Samaritans (116 123)" in html
    assert "the emergency number 999" in html


def test_saving_makes_the_first_version(member_client, member, network):
    data = form_data(
        warning_signs_items="Not sleeping\n\n  Staying in bed  \nNot sleeping",
        ask_for_help_people=[network["sam"].pk],
        distractions_groups=[network["group"].pk],
    )
    response = member_client.post(EDIT, data)
    assert response.status_code == 302
    assert response["Location"] == PLAN
    (version,) = SafetyPlanVersion.objects.owned_by(member)
    assert version.sections["warning_signs"]["items"] == ["Not sleeping", "Staying in bed"]
    assert version.sections["ask_for_help"]["people"] == [network["sam"].pk]
    assert version.sections["distractions"]["groups"] == [network["group"].pk]
    assert "Saved your safety plan" in messages_of(response)[0]


def test_saving_unchanged_makes_no_new_version(member_client, member, saved_plan, network):
    form = member_client.get(EDIT).context["form"]
    data = {name: form[name].value() for name in form.fields if form[name].value()}
    response = member_client.post(EDIT, form_data(**data))
    assert response.status_code == 302
    assert SafetyPlanVersion.objects.owned_by(member).count() == 1
    assert messages_of(response) == ["Nothing had changed, so your plan stays as it was."]


def test_saving_a_change_keeps_the_earlier_version(member_client, member, saved_plan, network):
    member_client.post(EDIT, form_data(warning_signs_items="Snapping at people"))
    versions = list(SafetyPlanVersion.objects.owned_by(member).order_by("created_at", "id"))
    assert len(versions) == 2
    assert versions[0].sections["warning_signs"]["items"] == ["Not sleeping", "Staying in bed"]
    assert versions[1].sections["warning_signs"]["items"] == ["Snapping at people"]


def test_saving_an_empty_form_before_any_plan_saves_nothing(member_client, member):
    response = member_client.post(EDIT, form_data())
    assert response.status_code == 302
    assert not SafetyPlanVersion.objects.owned_by(member).exists()
    assert "nothing to save yet" in messages_of(response)[0]


def test_someone_elses_person_is_refused_and_nothing_is_saved(
    member_client, member, network, stranger
):
    theirs = Person.objects.create(owner=stranger, name="Not yours")
    response = member_client.post(
        EDIT, form_data(warning_signs_items="x", ask_for_help_people=[theirs.pk])
    )
    assert response.status_code == 200
    assert response.context["form"].errors["ask_for_help_people"] == [
        "We couldn't find one of those people in your network."
    ]
    assert not SafetyPlanVersion.objects.exists()


def test_a_forged_group_id_is_refused(member_client, member, network, stranger):
    theirs = Group.objects.create(owner=stranger, name="Their club")
    response = member_client.post(EDIT, form_data(distractions_groups=[theirs.pk, "nonsense"]))
    assert response.status_code == 200
    assert "distractions_groups" in response.context["form"].errors
    assert not SafetyPlanVersion.objects.exists()


def test_a_line_too_long_is_refused_naming_its_line(member_client, member):
    response = member_client.post(EDIT, form_data(what_matters_items="Fine\n\n" + "x" * 301))
    assert response.status_code == 200
    (error,) = response.context["form"].errors["what_matters_items"]
    assert error.startswith("Line 3: Please keep each line to 300 characters")
    assert not SafetyPlanVersion.objects.exists()


def test_choosing_people_in_a_section_without_people_is_impossible(member_client, network):
    response = member_client.post(
        EDIT, form_data(warning_signs_items="x", warning_signs_people=[network["sam"].pk])
    )
    # The form has no such field: the value is ignored, never stored.
    version = SafetyPlanVersion.objects.get()
    assert response.status_code == 302
    assert version.sections["warning_signs"]["people"] == []


def test_an_archived_person_on_the_plan_stays_choosable(member_client, saved_plan, network):
    network["sam"].archived_at = network["sam"].created_at
    network["sam"].save()
    html = member_client.get(EDIT).content.decode()
    assert "Sam Rivera (archived)" in html


def test_most_helpful_coping_strategies_are_offered_for_on_my_own(member_client, member):
    music = CopingStrategy.objects.create(owner=member, title="Music, loud")
    CopingUse.objects.create(owner=member, strategy=music, helped=5)
    CopingStrategy.objects.create(owner=member, title="Cold water on my face")
    response = member_client.get(EDIT)
    field = response.context["form"].fields["on_my_own_suggested"]
    assert [value for value, _label in field.choices] == ["Music, loud", "Cold water on my face"]
    member_client.post(
        EDIT, form_data(on_my_own_items="A walk", on_my_own_suggested=["Music, loud"])
    )
    version = SafetyPlanVersion.objects.get()
    assert version.sections["on_my_own"]["items"] == ["A walk", "Music, loud"]


def test_without_coping_strategies_the_form_simply_has_no_suggestions(member_client):
    assert "on_my_own_suggested" not in member_client.get(EDIT).context["form"].fields


def test_suggestions_are_the_most_helpful_coping_strategies_first(member):
    from closeknit.recovery.models import CopingStrategy, CopingUse

    walk = CopingStrategy.objects.create(owner=member, title="A walk")
    music = CopingStrategy.objects.create(owner=member, title="Music, loud")
    CopingStrategy.objects.create(owner=member, title="Never tried")
    for helped in (5, 5, 4):
        CopingUse.objects.create(owner=member, strategy=music, helped=helped)
    CopingUse.objects.create(owner=member, strategy=walk, helped=2)
    assert safety_views.coping_titles(member, 2) == ["Music, loud", "A walk"]


# The plan -----------------------------------------------------------------------------


def test_plan_shows_every_section_with_call_and_text_links(member_client, saved_plan, network):
    response = member_client.get(PLAN)
    assert response.status_code == 200
    page = Page(response.content)
    headings = [" ".join(e.text.split()) for e in page.find_all("h2")]
    assert len(headings) == len(SAFETY_PLAN_SECTIONS)
    html = response.content.decode()
    assert 'href="tel:+447700900123"' in html
    assert 'href="sms:+447700900123"' in html
    assert "Call Sam Rivera" in html and "Text Sam Rivera" in html
    assert "Tuesday peer group" in html
    assert "My dog Biscuit" in html


def test_plan_shows_the_crisis_lines_of_the_members_country(member_client, member, saved_plan):
    html = member_client.get(PLAN).content.decode()
    assert 'href="tel:116123"' in html  # Samaritans, GB
    assert 'href="sms:85258"' in html  # Shout, GB
    assert 'href="tel:999"' in html
    member.country = "US"
    member.save()
    html = member_client.get(PLAN).content.decode()
    assert 'href="sms:741741?body=HOME"' in html
    assert 'href="tel:911"' in html


def test_a_member_without_a_listed_country_gets_the_directory(member_client, member, saved_plan):
    member.country = ""
    member.save()
    html = member_client.get(PLAN).content.decode()
    assert "findahelpline.com" in html


def test_renaming_a_person_updates_the_plan(member_client, saved_plan, network):
    sam = network["sam"]
    sam.name = "Samantha Rivera"
    sam.save()
    html = member_client.get(PLAN).content.decode()
    assert "Samantha Rivera" in html
    assert "Sam Rivera" not in html


def test_renaming_through_the_person_form_updates_the_plan(member_client, saved_plan, network):
    ada = network["ada"]
    response = member_client.post(
        reverse("network:person-edit", args=[ada.pk]),
        {"name": "Dr Ada Okafor", "circle": "middle", "roles": ["therapist"]},
    )
    assert response.status_code == 302
    assert "Dr Ada Okafor" in member_client.get(PLAN).content.decode()


def test_plan_query_count_does_not_grow_with_the_people_on_it(member_client, member):
    def queries_for(size: int) -> int:
        SafetyPlanVersion.objects.all().delete()
        Person.objects.all().delete()
        people = Person.objects.bulk_create(
            Person(owner=member, name=f"Person {n}", phone=f"0770090{n:04}") for n in range(size)
        )
        save(member, ask_for_help={"people": [p.pk for p in people]})
        with CaptureQueriesContext(connection) as captured:
            assert member_client.get(PLAN).status_code == 200
        return len(captured)

    assert queries_for(2) == queries_for(30) <= 5


# Removing someone who is on the plan -------------------------------------------------------


def test_deleting_a_person_warns_which_sections_name_them(member_client, saved_plan, network):
    sam = network["sam"]
    html = member_client.get(reverse("network:person-delete", args=[sam.pk])).content.decode()
    assert "Sam Rivera is on your safety plan" in html
    assert "“People I can ask for help”" in html


def test_deleting_someone_not_on_the_plan_says_nothing_about_it(member_client, network):
    save(network["sam"].owner, warning_signs={"items": ["x"]})
    url = reverse("network:person-delete", args=[network["sam"].pk])
    assert "on your safety plan" not in member_client.get(url).content.decode()


def test_after_deleting_the_plan_shows_them_as_removed_and_invites_an_update(
    member_client, saved_plan, network
):
    url = reverse("network:person-delete", args=[network["sam"].pk])
    response = member_client.post(url)
    assert any("were on your safety plan" in message for message in messages_of(response))
    html = member_client.get(PLAN).content.decode()
    assert "Someone no longer in your network" in html
    assert "update your plan" in html
    plan_part = html[html.index('<ol class="safety-plan') :]
    assert "Sam Rivera" not in plan_part
    assert "tel:+447700900123" not in html


def test_the_edit_form_says_that_saving_takes_the_removed_off(member_client, saved_plan, network):
    network["sam"].delete()
    html = member_client.get(EDIT).content.decode()
    assert "Someone on your plan is no longer in your network" in html


def test_deleting_a_group_on_the_plan_warns_too(member_client, saved_plan, network):
    url = reverse("network:group-delete", args=[network["group"].pk])
    html = member_client.get(url).content.decode()
    assert "This group is on your safety plan" in html
    member_client.post(url)
    html = member_client.get(PLAN).content.decode()
    assert "A group no longer in your network" in html


# History and versions ---------------------------------------------------------------------


def test_history_lists_versions_newest_first_with_what_changed(member_client, member, saved_plan):
    save(
        member,
        **{**saved_plan.sections, "warning_signs": {"items": ["Not sleeping", "Snapping"]}},
    )
    response = member_client.get(HISTORY)
    entries = response.context["entries"]
    assert [entry["number"] for entry in entries] == [2, 1]
    assert entries[0]["summary"] == "Changed My warning signs (1 added, 1 taken off)."
    assert entries[1]["summary"] == "Your first version."
    html = response.content.decode()
    assert "(your plan now)" in html


def test_history_shows_when_each_version_was_saved_on_the_members_own_clock(member_client, member):
    member.time_zone = "Pacific/Auckland"
    member.save()
    # 23:30 on 28 March in UTC is already 12:30 on 29 March in Auckland (UTC+13).
    with time_machine.travel(dt.datetime(2026, 3, 28, 23, 30, tzinfo=dt.UTC), tick=False):
        save(member, warning_signs={"items": ["x"]})
    html = member_client.get(HISTORY).content.decode()
    assert "29 March 2026, 12:30" in html


def test_history_pages_still_say_what_the_oldest_on_a_page_changed(member_client, member):
    for n in range(safety_views.PAGE_SIZE + 2):
        save(member, warning_signs={"items": [f"sign {n}"]})
    first_page = member_client.get(HISTORY).context["entries"]
    assert len(first_page) == safety_views.PAGE_SIZE
    assert first_page[-1]["number"] == 3
    assert first_page[-1]["summary"] == "Changed My warning signs (1 added, 1 taken off)."
    second = member_client.get(HISTORY + "?page=2").context["entries"]
    assert [entry["number"] for entry in second] == [2, 1]
    assert second[-1]["summary"] == "Your first version."


def test_history_query_count_does_not_grow_with_versions(member_client, member):
    def queries_with(count: int) -> int:
        SafetyPlanVersion.objects.all().delete()
        for n in range(count):
            save(member, warning_signs={"items": [f"sign {n}"]})
        with CaptureQueriesContext(connection) as captured:
            member_client.get(HISTORY)
        return len(captured)

    assert queries_with(2) == queries_with(20)


def test_an_earlier_version_is_shown_read_only_with_current_names(
    member_client, member, saved_plan, network
):
    save(member, warning_signs={"items": ["Something new"]})
    network["sam"].name = "Sam R."
    network["sam"].save()
    response = member_client.get(version_url(saved_plan))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Version 1 of my safety plan" in html
    assert "This is an earlier version" in html
    assert "Sam R." in html
    assert "<form" not in html.split('id="main"')[1]  # nothing to change here


def test_an_earlier_version_shows_someone_removed_since(member_client, saved_plan, network):
    network["sam"].delete()
    html = member_client.get(version_url(saved_plan)).content.decode()
    assert "Someone no longer in your network" in html


def test_the_newest_version_says_it_is_the_plan_now(member_client, saved_plan):
    assert (
        "This is your plan as it is now"
        in member_client.get(version_url(saved_plan)).content.decode()
    )


# Print view and wallet card ---------------------------------------------------------------


def test_print_view_has_no_navigation_and_a_compact_layout(member_client, saved_plan):
    response = member_client.get(PRINT)
    assert response.status_code == 200
    html = response.content.decode()
    page = Page(html)
    assert not page.find_all("nav")
    assert not page.find_all("header")
    assert not page.find_all("footer")
    assert "Get help now" not in html
    assert 'class="safety-plan compact"' in html
    assert 'class="sheet print-plan"' in html
    # Numbers are printed; buttons to tap are not.
    assert 'class="button' not in html
    assert "116 123" in html and "999" in html
    assert "Not sleeping" in html and "Sam Rivera" in html
    assert "Adapted from Stanley &amp; Brown (2012)" in html


def test_print_stylesheet_fits_the_plan_on_one_page():
    css = (settings.PACKAGE_DIR / "static" / "closeknit" / "site.css").read_text()
    section = css[css.index("/* === Safety plan") : css.index("/* === end Safety plan")]
    printing = section[section.index("@media print") :]
    assert "@page" in printing
    assert ".screen-only { display: none !important; }" in printing
    assert re.search(r"\.print-plan \{ font-size: 9\.5pt", printing)
    assert re.search(r"\.print-plan\.densest \{ font-size: 7\.5pt", printing)
    assert "column-count: 2" in printing and "column-count: 3" in printing


def test_a_long_plan_prints_smaller_and_a_very_long_one_says_it_may_not_fit(member_client, member):
    save(
        member,
        **{
            slug: {"items": [f"{n} line" for n in range(20)]}
            for slug in (
                "warning_signs",
                "on_my_own",
                "what_matters",
                "safer_surroundings",
                "distractions",
                "ask_for_help",
                "professionals",
            )
        },
    )
    response = member_client.get(PRINT)
    assert 'class="sheet print-plan densest"' in response.content.decode()
    assert "Your plan is long" not in response.content.decode()
    save(
        member,
        **{
            slug: {"items": [f"{n} " + "y" * 290 for n in range(12)]}
            for slug in ("warning_signs", "on_my_own", "what_matters")
        },
    )
    html = member_client.get(PRINT).content.decode()
    assert "Your plan is long, so the printed copy may need more than one page" in html


def test_wallet_card_has_two_sides_signs_and_who_to_call(member_client, saved_plan, network):
    response = member_client.get(CARD)
    assert response.status_code == 200
    html = response.content.decode()
    page = Page(html)
    assert len([e for e in page.find_all("section") if "wallet-side" in e.get("class")]) == 2
    assert not page.find_all("nav")
    assert "Not sleeping" in html
    assert "Sam Rivera</strong> +44 7700 900123" in html
    assert "Samaritans</strong> 116 123" in html
    assert "Emergency</strong> 999" in html
    css = (settings.PACKAGE_DIR / "static" / "closeknit" / "site.css").read_text()
    assert ".wallet-side { width: 85mm;" in css and "height: 55mm" in css


# The header link ---------------------------------------------------------------------------


def test_processor_answers_false_for_a_visitor_without_a_query(db, django_assert_num_queries):
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with django_assert_num_queries(0):
        assert plan_processor(request) == {"has_safety_plan": False}


def test_processor_asks_once_and_only_when_used(member, django_assert_num_queries):
    request = RequestFactory().get("/")
    request.user = member
    with django_assert_num_queries(0):
        context = plan_processor(request)
    with django_assert_num_queries(1):
        assert not context["has_safety_plan"]
        assert not context["has_safety_plan"]
    save(member, warning_signs={"items": ["x"]})
    assert plan_processor(request)["has_safety_plan"]


def test_header_links_to_the_plan_from_every_page_once_it_exists(member_client, member, network):
    with with_plan_link():
        people = member_client.get(reverse("network:people")).content.decode()
        assert "My safety plan" not in people
        save(member, warning_signs={"items": ["x"]})
        for url in (reverse("network:people"), reverse("network:home"), HISTORY, "/help/"):
            page = Page(member_client.get(url).content)
            links = [e for e in page.find_all("a") if "plan-link" in e.get("class")]
            assert [link.get("href") for link in links] == [PLAN], url


def test_header_link_costs_at_most_one_query(member_client, member, network):
    save(member, warning_signs={"items": ["x"]})
    url = reverse("network:people")
    with without_plan_link(), CaptureQueriesContext(connection) as without:
        assert "My safety plan" not in member_client.get(url).content.decode()
    with with_plan_link(), CaptureQueriesContext(connection) as with_link:
        assert "My safety plan" in member_client.get(url).content.decode()
    assert len(with_link) - len(without) == 1


def test_others_never_see_the_header_link_for_the_members_plan(
    stranger_client, client, member, saved_plan
):
    with with_plan_link():
        assert (
            "My safety plan" not in stranger_client.get(reverse("network:people")).content.decode()
        )
        assert "My safety plan" not in client.get("/help/").content.decode()


# Tenancy --------------------------------------------------------------------------------------


OWN_PAGES = [PLAN, EDIT, PRINT, CARD, HISTORY]


def test_stranger_gets_404_for_the_members_version(stranger_client, saved_plan):
    url = version_url(saved_plan)
    assert stranger_client.get(url).status_code == 404
    assert stranger_client.post(url, {}).status_code in (404, 405)


def test_stranger_gets_404_for_the_members_version_even_with_a_plan_of_their_own(
    stranger_client, stranger, saved_plan
):
    save(stranger, warning_signs={"items": ["Stranger's own"]})
    assert stranger_client.get(version_url(saved_plan)).status_code == 404


@pytest.mark.parametrize("url", OWN_PAGES)
def test_stranger_sees_only_their_own_empty_plan(stranger_client, saved_plan, url):
    response = stranger_client.get(url)
    assert response.status_code in (200, 302)
    html = response.content.decode()
    for secret in ("Not sleeping", "Sam Rivera", "Ada Okafor", "My dog Biscuit", "Tuesday peer"):
        assert secret not in html


def test_stranger_saving_their_plan_never_touches_the_members(stranger_client, member, saved_plan):
    stranger_client.post(EDIT, form_data(warning_signs_items="Mine"))
    assert SafetyPlanVersion.objects.owned_by(member).count() == 1
    assert SafetyPlanVersion.objects.exclude(owner=member).count() == 1


@pytest.mark.parametrize("url", [*OWN_PAGES, "/safety-plan/history/1/"])
def test_signed_out_visitors_are_asked_to_sign_in(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
