"""Pages for mapping the network and logging contact. Thin: queries.py builds the queries."""

from __future__ import annotations

from typing import Any, cast
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from closeknit.accounts.models import User
from closeknit.circle.supporting_views import home_context as encouragement_home
from closeknit.circle.supporting_views import supporting_home
from closeknit.lib.navigation import next_url
from closeknit.network import queries, schedule
from closeknit.network.forms import (
    ContactFilterForm,
    GroupForm,
    InteractionForm,
    PeopleFilterForm,
    PersonForm,
)
from closeknit.network.models import Group, Interaction, Person
from closeknit.network.vocab import FEELINGS, Channel, Role, SupportType
from closeknit.network.wording import logged_message, removed_message, short_name
from closeknit.recovery import safety_views
from closeknit.recovery.appointments import for_home
from closeknit.rhythms.occasions_views import home_context as occasions_home
from closeknit.rhythms.reach_out import reach_out
from closeknit.rhythms.reach_out_views import home_context as reach_out_home
from closeknit.wellbeing.views import home_context as wellbeing_home

SAVED = "Saved."
ON_PLAN_REMOVED = (
    "They were on your safety plan, which now shows them as no longer in your network. "
    "When you feel ready, you could update your plan."
)

# Labels for the multi-valued fields (roles, support types, channels) and feelings:
# templates loop over these to name a stored slug.
VOCABULARY = {
    "roles": Role.choices,
    "support": SupportType.choices,
    "channels": Channel.choices,
    "feelings": list(FEELINGS.items()),
}


def _render(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return render(request, f"network/{template}", {"vocab": VOCABULARY, **context})


def _page(request: HttpRequest, queryset: Any) -> Page[Any]:
    return Paginator(queryset, queries.PAGE_SIZE).get_page(request.GET.get("page"))


def _zone(request: HttpRequest) -> ZoneInfo:
    return cast(User, request.user).zone


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


# Home


@login_required
def home(request: HttpRequest) -> HttpResponse:
    member = cast(User, request.user)
    has_people = queries.has_people(member)
    form = InteractionForm(owner=member, compact=True)
    # The reach-out list reads two weeks of occasions; the home page shows one of them.
    to_reach = reach_out(member)
    return _render(
        request,
        "home.html",
        {
            "has_people": has_people,
            "form": form,
            "recent": queries.recent_contacts(member),
            "appointments": for_home(member, timezone.now()),
            **wellbeing_home(member),
            **reach_out_home(member, to_reach),
            **occasions_home(member, (to_reach.today, to_reach.occasions)),
            **encouragement_home(member),
            **supporting_home(member),
        },
    )


# People


@login_required
def people(request: HttpRequest) -> HttpResponse:
    filter_form = PeopleFilterForm(request.GET)
    filters = filter_form.filters()
    page = _page(request, queries.people(request.user, **filters))
    page.object_list = queries.with_last_contact(page.object_list)
    filtered = any(value for key, value in filters.items() if key != "status")
    return _render(
        request,
        "people.html",
        {
            "filter_form": filter_form,
            "page": page,
            "filtered": filtered,
            "status": filters["status"],
        },
    )


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(Person.objects.owned_by(request.user), pk=pk)
    form = InteractionForm(owner=request.user, compact=True, initial={"people": [person.pk]})
    return _render(
        request,
        "person_detail.html",
        {
            "person": person,
            "groups": queries.person_groups(request.user, person),
            "page": _page(request, queries.person_history(request.user, person)),
            "form": form,
        },
    )


def _save(form: Any) -> Any:
    # The object and its many-to-many links (people, members) are saved together or not at all.
    with transaction.atomic():
        return form.save()


@login_required
def person_new(request: HttpRequest) -> HttpResponse:
    form = PersonForm(request.POST or None, owner=request.user)
    if request.method == "POST" and form.is_valid():
        person = _save(form)
        messages.success(request, SAVED)
        return redirect(person)
    return _render(request, "person_form.html", {"form": form, "person": None})


@login_required
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(Person.objects.owned_by(request.user), pk=pk)
    form = PersonForm(request.POST or None, instance=person, owner=request.user)
    if request.method == "POST" and form.is_valid():
        _save(form)
        messages.success(request, SAVED)
        return redirect(person)
    return _render(request, "person_form.html", {"form": form, "person": person})


def _archive(request: HttpRequest, item: Person | Group, label: str, pronoun: str) -> None:
    archive = request.POST.get("action", "archive") != "unarchive"
    queries.set_archived(item, archive)
    if archive:
        messages.success(request, f"Archived {label}. You can bring {pronoun} back at any time.")
    else:
        messages.success(request, f"{label} is back in your network.")


@login_required
@require_POST
def person_archive(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(Person.objects.owned_by(request.user), pk=pk)
    _archive(request, person, short_name(person.name, person.nickname), "them")
    return redirect(person)


@login_required
def person_delete(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(Person.objects.owned_by(request.user), pk=pk)
    # The member sees that someone is on their safety plan before they confirm.
    on_plan = safety_views.sections_naming(request.user, person_id=person.pk)
    if request.method == "POST":
        removed = queries.delete_person(request.user, person)
        messages.success(request, removed_message(person.name, removed))
        if on_plan:
            messages.info(request, ON_PLAN_REMOVED)
        return redirect("network:people")
    return _render(
        request,
        "confirm_delete.html",
        {
            "item": person,
            "kind": "person",
            "archive_url": reverse("network:person-archive", args=[person.pk]),
            "lost": queries.contacts_only_with_person(request.user, person).count(),
            "on_safety_plan": on_plan,
        },
    )


# Groups


@login_required
def groups(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", queries.ACTIVE)
    if status not in (queries.ACTIVE, queries.ARCHIVED):
        status = queries.ACTIVE
    return _render(
        request,
        "groups.html",
        {"page": _page(request, queries.groups(request.user, status=status)), "status": status},
    )


@login_required
def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_object_or_404(Group.objects.owned_by(request.user), pk=pk)
    meetings = schedule.next_meetings(
        group.meets_from, group.schedule, timezone.now(), _zone(request)
    )
    return _render(
        request,
        "group_detail.html",
        {
            "group": group,
            "members": queries.group_members(request.user, group),
            "meetings": meetings,
            "page": _page(request, queries.group_history(request.user, group)),
        },
    )


@login_required
def group_new(request: HttpRequest) -> HttpResponse:
    form = GroupForm(request.POST or None, owner=request.user)
    if request.method == "POST" and form.is_valid():
        group = _save(form)
        messages.success(request, SAVED)
        return redirect(group)
    return _render(request, "group_form.html", {"form": form, "group": None})


@login_required
def group_edit(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_object_or_404(Group.objects.owned_by(request.user), pk=pk)
    form = GroupForm(request.POST or None, instance=group, owner=request.user)
    if request.method == "POST" and form.is_valid():
        _save(form)
        messages.success(request, SAVED)
        return redirect(group)
    return _render(request, "group_form.html", {"form": form, "group": group})


@login_required
@require_POST
def group_archive(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_object_or_404(Group.objects.owned_by(request.user), pk=pk)
    _archive(request, group, group.name, "it")
    return redirect(group)


@login_required
def group_delete(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_object_or_404(Group.objects.owned_by(request.user), pk=pk)
    on_plan = safety_views.sections_naming(request.user, group_id=group.pk)
    if request.method == "POST":
        removed = queries.delete_group(request.user, group)
        messages.success(request, removed_message(group.name, removed))
        if on_plan:
            messages.info(request, ON_PLAN_REMOVED)
        return redirect("network:groups")
    return _render(
        request,
        "confirm_delete.html",
        {
            "item": group,
            "kind": "group",
            "archive_url": reverse("network:group-archive", args=[group.pk]),
            "lost": queries.contacts_only_with_group(request.user, group).count(),
            "on_safety_plan": on_plan,
        },
    )


# Contact


@login_required
def interactions(request: HttpRequest) -> HttpResponse:
    filter_form = ContactFilterForm(request.GET or None, owner=request.user)
    filters = filter_form.filters() if request.GET else {}
    log = queries.contact_log(request.user, zone=_zone(request), **filters)
    return _render(
        request,
        "interactions.html",
        {
            "filter_form": filter_form,
            "page": _page(request, log),
            "filtered": any(filters.values()),
        },
    )


def _preselected(request: HttpRequest) -> dict[str, Any]:
    """?person=<id> / ?group=<id>: the form only offers the member's own, so others are ignored."""
    initial: dict[str, Any] = {}
    person = _int_or_none(request.GET.get("person"))
    group = _int_or_none(request.GET.get("group"))
    if person is not None:
        initial["people"] = [person]
    if group is not None:
        initial["group"] = group
    return initial


@login_required
def interaction_new(request: HttpRequest) -> HttpResponse:
    form = InteractionForm(request.POST or None, owner=request.user, initial=_preselected(request))
    if request.method == "POST" and form.is_valid():
        _save(form)
        messages.success(request, logged_message(form.names()))
        return HttpResponseRedirect(next_url(request, reverse("network:interactions")))
    return _render(
        request,
        "interaction_form.html",
        {"form": form, "interaction": None, "next": next_url(request, "")},
    )


@login_required
def interaction_edit(request: HttpRequest, pk: int) -> HttpResponse:
    interaction = get_object_or_404(Interaction.objects.owned_by(request.user), pk=pk)
    form = InteractionForm(request.POST or None, instance=interaction, owner=request.user)
    if request.method == "POST" and form.is_valid():
        _save(form)
        messages.success(request, SAVED)
        return HttpResponseRedirect(next_url(request, reverse("network:interactions")))
    return _render(
        request,
        "interaction_form.html",
        {"form": form, "interaction": interaction, "next": next_url(request, "")},
    )


@login_required
def interaction_delete(request: HttpRequest, pk: int) -> HttpResponse:
    interaction = get_object_or_404(Interaction.objects.owned_by(request.user), pk=pk)
    if request.method == "POST":
        interaction.delete()
        messages.success(request, "Removed that contact from your log.")
        return HttpResponseRedirect(next_url(request, reverse("network:interactions")))
    return _render(
        request,
        "confirm_delete.html",
        {"item": interaction, "kind": "interaction", "next": next_url(request, "")},
    )
