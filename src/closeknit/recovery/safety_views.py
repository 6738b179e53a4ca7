"""The safety plan's pages: the plan, editing it, its history, a print view and a wallet card.

The functions at the top read and save the plan for these pages and for the
API (api/safety_plan.py); the rules themselves are pure, in safety_plan.py.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import F, QuerySet, Window
from django.db.models.functions import RowNumber
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from closeknit.accounts.models import User
from closeknit.lib.countries import country_name
from closeknit.network import queries
from closeknit.network.models import Group, Person
from closeknit.recovery import coping, crisis, safety_plan
from closeknit.recovery.models import SafetyPlanVersion
from closeknit.recovery.safety_forms import SafetyPlanForm
from closeknit.recovery.safety_plan import Contact, Plan, PlanError, ResolvedPlan

PAGE_SIZE = 50
SUGGESTIONS = 5
CARD_LINES = 5
CARD_PEOPLE = 4
SAVED = "Saved your safety plan. It's there for you whenever you need it."
UNCHANGED = "Nothing had changed, so your plan stays as it was."
NOTHING_YET = "There was nothing to save yet. Your plan will be here once you add a line."

# Reading and saving -----------------------------------------------------------------


def versions(owner: Any) -> QuerySet[SafetyPlanVersion]:
    return SafetyPlanVersion.objects.owned_by(owner)


def latest(owner: Any) -> SafetyPlanVersion | None:
    return versions(owner).order_by("-created_at", "-id").first()


def numbered(owner: Any) -> QuerySet[SafetyPlanVersion]:
    """The owner's versions, newest first, each with `number` (1 for the first ever saved)."""
    return (
        versions(owner)
        .annotate(
            number=Window(RowNumber(), order_by=[F("created_at").asc(), F("id").asc()]),
        )
        .order_by("-created_at", "-id")
    )


def version_number(owner: Any, version: SafetyPlanVersion) -> int:
    """Which version this is, counting from the first the member saved."""
    mine = versions(owner)
    earlier = mine.filter(created_at__lt=version.created_at).count()
    same_moment = mine.filter(created_at=version.created_at, id__lte=version.pk).count()
    return earlier + same_moment


def current_plan(version: SafetyPlanVersion | None) -> Plan:
    return safety_plan.from_stored(version.sections) if version else safety_plan.empty_plan()


def contacts(owner: Any, ids: Iterable[int]) -> dict[int, Contact]:
    """The owner's people among `ids`, as the plan shows them (one query; none for no ids)."""
    wanted = list(ids)
    if not wanted:
        return {}
    rows = (
        Person.objects.owned_by(owner)
        .filter(pk__in=wanted)
        .only("id", "owner", "name", "phone", "archived_at", "roles")
    )
    return {person.pk: _contact(person) for person in rows}


def _contact(person: Person) -> Contact:
    return Contact(
        id=person.pk,
        name=person.name,
        phone=person.phone,
        archived=person.archived_at is not None,
        roles=tuple(person.roles),
    )


def group_names(owner: Any, ids: Iterable[int]) -> dict[int, str]:
    wanted = list(ids)
    if not wanted:
        return {}
    rows = Group.objects.owned_by(owner).filter(pk__in=wanted).values_list("pk", "name")
    return dict(rows)


def resolve_for(owner: Any, plan: Plan) -> ResolvedPlan:
    """The plan with current names: two queries at most, however many people it names."""
    return safety_plan.resolve(
        plan,
        contacts(owner, safety_plan.people_ids(plan)),
        group_names(owner, safety_plan.group_ids(plan)),
    )


def check_owned(owner: Any, plan: Plan) -> None:
    """Refuse any person or group that is not the owner's own (forged, or someone else's)."""
    people = safety_plan.people_ids(plan)
    groups = safety_plan.group_ids(plan)
    own_people = set(
        Person.objects.owned_by(owner).filter(pk__in=people).values_list("pk", flat=True)
    )
    own_groups = set(
        Group.objects.owned_by(owner).filter(pk__in=groups).values_list("pk", flat=True)
    )
    errors = safety_plan.unknown_ids(plan, own_people, own_groups)
    if errors:
        raise PlanError(errors)


def save_plan(owner: Any, plan: Plan) -> SafetyPlanVersion | None:
    """Save `plan` as a new version if it changes anything; None when it changes nothing."""
    with transaction.atomic():
        # One save at a time per member, so two identical saves never make two versions
        # (PostgreSQL; SQLite's IMMEDIATE transactions already take turns).
        list(User.objects.select_for_update().filter(pk=owner.pk).values_list("pk", flat=True))
        check_owned(owner, plan)
        if safety_plan.same(current_plan(latest(owner)), plan):
            return None
        # The field stores any JSON; its type stub only knows text.
        return SafetyPlanVersion.objects.create(owner=owner, sections=cast(Any, plan))


def sections_naming(
    owner: Any, *, person_id: int | None = None, group_id: int | None = None
) -> list[str]:
    """Titles of the sections of the current plan that name this person (or group)."""
    version = latest(owner)
    if version is None:
        return []
    plan = current_plan(version)
    if person_id is not None:
        return safety_plan.section_titles(safety_plan.sections_with_person(plan, person_id))
    if group_id is not None:
        return safety_plan.section_titles(safety_plan.sections_with_group(plan, group_id))
    return []


def coping_titles(owner: Any, limit: int) -> list[str]:
    """The member's most helpful coping strategies, to suggest for "things I can do on my own"."""
    return [strategy.title for strategy in coping.top_strategies(owner, limit)]


def crisis_context(country: str) -> dict[str, Any]:
    """The crisis lines for the member's country, each with its call and text links."""
    country = (country or "").upper()
    lines = [
        {"line": line, "sms": safety_plan.sms_href(line.text) if line.text else ""}
        for line in crisis.lines_for(country)
    ]
    return {
        "country": country,
        "country_name": country_name(country),
        "lines": lines,
        "emergency_number": crisis.emergency_number(country),
        "directory_url": crisis.DIRECTORY_URL,
        "last_checked": crisis.LAST_CHECKED,
    }


# Pages ----------------------------------------------------------------------------


def _owner(request: HttpRequest) -> User:
    return cast(User, request.user)


def _render(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return render(
        request,
        f"recovery/safety_plan/{template}",
        {"attribution": safety_plan.ATTRIBUTION, **context},
    )


def _plan_context(request: HttpRequest, version: SafetyPlanVersion) -> dict[str, Any]:
    owner = _owner(request)
    resolved = resolve_for(owner, current_plan(version))
    return {"version": version, "plan": resolved, "crisis": crisis_context(owner.country)}


@login_required
def plan(request: HttpRequest) -> HttpResponse:
    version = latest(request.user)
    if version is None:
        return _render(request, "empty.html", {})
    return _render(request, "plan.html", _plan_context(request, version))


@login_required
def edit(request: HttpRequest) -> HttpResponse:
    owner = _owner(request)
    version = latest(owner)
    plan_now = current_plan(version)
    # Archived people and groups stay choosable while they are on the plan.
    people_rows = queries.choosable_people(owner, keep=safety_plan.people_ids(plan_now)).only(
        "id", "owner", "name", "phone", "archived_at", "roles"
    )
    people = [_contact(person) for person in people_rows]
    groups = [
        (group.pk, group.name)
        for group in queries.choosable_groups(owner, keep=safety_plan.group_ids(plan_now)).only(
            "id", "owner", "name"
        )
    ]
    present = {contact.id for contact in people}
    removed = len(safety_plan.people_ids(plan_now) - present)
    suggested = safety_plan.suggestions(coping_titles(owner, SUGGESTIONS), plan_now, SUGGESTIONS)
    form = SafetyPlanForm(
        request.POST or None, plan=plan_now, people=people, groups=groups, suggested=suggested
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = save_plan(owner, form.plan())
        except PlanError:
            # Someone was removed in another tab between showing the form and saving it.
            form.add_error(None, "Someone you chose is no longer in your network.")
        else:
            if saved is not None:
                messages.success(request, SAVED)
            else:
                messages.info(request, UNCHANGED if version else NOTHING_YET)
            return redirect("recovery:safety-plan")
    return _render(
        request,
        "edit.html",
        {
            "form": form,
            "version": version,
            "removed": removed,
            "has_people": bool(people),
            "crisis": crisis_context(owner.country),
        },
    )


@login_required
def history(request: HttpRequest) -> HttpResponse:
    page = Paginator(numbered(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    start = max(page.start_index() - 1, 0)
    # One more than the page: the version before the page's oldest, to say what that one changed.
    rows = list(numbered(request.user)[start : page.end_index() + 1])
    entries = []
    for index, row in enumerate(rows[:PAGE_SIZE]):
        older = rows[index + 1] if index + 1 < len(rows) else None
        changes = safety_plan.diff(current_plan(older) if older else None, current_plan(row))
        number: int = getattr(row, "number")  # noqa: B009 (set by the query's annotation)
        entries.append(
            {
                "version": row,
                "number": number,
                "summary": safety_plan.summarise(changes, first=number == 1),
            }
        )
    return _render(request, "history.html", {"page": page, "entries": entries})


@login_required
def version_detail(request: HttpRequest, pk: int) -> HttpResponse:
    version = get_object_or_404(versions(request.user), pk=pk)
    newest = latest(request.user)
    return _render(
        request,
        "version.html",
        {
            "version": version,
            "number": version_number(request.user, version),
            "is_current": newest is not None and newest.pk == version.pk,
            "plan": resolve_for(request.user, current_plan(version)),
        },
    )


def _crisis_entries(crisis_lines: dict[str, Any]) -> int:
    """Entries the crisis part of the printed plan takes; the directory's sentence is about 3."""
    entries = len(crisis_lines["lines"]) or safety_plan.MEASURED_CRISIS_ENTRIES
    return entries + bool(crisis_lines["emergency_number"])


@login_required
def print_view(request: HttpRequest) -> HttpResponse:
    version = latest(request.user)
    if version is None:
        return redirect("recovery:safety-plan")
    context = _plan_context(request, version)
    size, fits = safety_plan.print_size(context["plan"], _crisis_entries(context["crisis"]))
    context.update({"size": size, "fits": fits})
    return _render(request, "print.html", context)


@login_required
def card(request: HttpRequest) -> HttpResponse:
    version = latest(request.user)
    if version is None:
        return redirect("recovery:safety-plan")
    context = _plan_context(request, version)
    resolved: ResolvedPlan = context["plan"]
    context.update(
        {
            "signs": resolved.by_slug["warning_signs"].items[:CARD_LINES],
            "callers": safety_plan.who_to_call(resolved, CARD_PEOPLE),
            "first_line": context["crisis"]["lines"][:1],
        }
    )
    return _render(request, "card.html", context)
