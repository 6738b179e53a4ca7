"""Pages of the recovery plan: goals (steps, reflections, milestones) and coping strategies.

Thin: the rules are in `goals.py` and `coping.py`, the writes they need in
`goals_forms.py`. Every object is fetched through `owned_by`, so another member's
id answers 404.
"""

from __future__ import annotations

from typing import Any, cast
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from closeknit.accounts.models import User
from closeknit.network.models import Person
from closeknit.recovery import coping, goals
from closeknit.recovery.goals_forms import (
    CopingStrategyForm,
    CopingUseForm,
    GoalForm,
    ReflectionForm,
    StepForm,
    add_steps,
    delete_steps,
    reach_goal,
    reopen_goal,
    tick_step,
    untick_step,
)
from closeknit.recovery.models import CopingStrategy, CopingUse, Goal, GoalStep, Milestone

PAGE_SIZE = 50
RECENT_MILESTONES = 5
SAVED = "Saved."
ARCHIVED = "archived"


def _zone(request: HttpRequest) -> ZoneInfo:
    return cast(User, request.user).zone


def _page(request: HttpRequest, rows: Any) -> Page[Any]:
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _archived_view(request: HttpRequest) -> bool:
    return request.GET.get("status") == ARCHIVED


def _people() -> Any:
    # Names for links; a member's notes about someone are never needed here.
    return Prefetch("people", queryset=Person.objects.only("id", "name", "nickname"))


def _goal_url(goal: Goal, celebrate: Milestone | None = None, anchor: str = "") -> str:
    url = reverse("recovery:goal", args=[goal.pk])
    if celebrate is not None:
        url += f"?celebrate={celebrate.pk}"
        anchor = anchor or "celebrate"
    return f"{url}#{anchor}" if anchor else url


# Goals


def _with_progress(queryset: QuerySet[Goal]) -> QuerySet[Goal]:
    return queryset.defer("why").annotate(
        step_count=Count("steps"),
        done_count=Count("steps", filter=Q(steps__done_at__isnull=False)),
    )


def _set_progress(rows: Any) -> list[Goal]:
    """`progress` on each goal of one page, from the counts annotated by `_with_progress`."""
    page_goals = list(rows)
    for goal in page_goals:
        goal.progress = goals.Progress(goal.done_count, goal.step_count)
    return page_goals


def recent_milestones(owner: Any, limit: int = RECENT_MILESTONES) -> list[Milestone]:
    newest = Milestone.objects.owned_by(owner).select_related("goal").defer("goal__why")
    return list(newest.prefetch_related(_people()).order_by("-achieved_on", "-id")[:limit])


@login_required
def goal_list(request: HttpRequest) -> HttpResponse:
    archived = _archived_view(request)
    rows = _with_progress(
        Goal.objects.owned_by(request.user).filter(archived_at__isnull=not archived)
    ).order_by(
        # Open goals (no completion date) first, soonest aim first; then reached ones, newest.
        F("completed_at").desc(nulls_first=True),
        F("target_date").asc(nulls_last=True),
        "created_at",
        "id",
    )
    page = _page(request, rows)
    page.object_list = _set_progress(page.object_list)
    return render(
        request,
        "recovery/goals/list.html",
        {
            "page": page,
            "open_goals": [g for g in page.object_list if g.completed_at is None],
            "reached_goals": [g for g in page.object_list if g.completed_at is not None],
            "archived": archived,
            "milestones": [] if archived else recent_milestones(request.user),
        },
    )


def _goal(request: HttpRequest, pk: int) -> Goal:
    return get_object_or_404(Goal.objects.owned_by(request.user), pk=pk)


def _goal_page(
    request: HttpRequest,
    goal: Goal,
    step_form: StepForm | None = None,
    reflection_form: ReflectionForm | None = None,
) -> HttpResponse:
    steps = list(goal.steps.all())
    current = goals.progress(step.done_at is not None for step in steps)
    milestones = list(goal.milestones.prefetch_related(_people()).order_by("-achieved_on", "-id"))
    # ?celebrate=<id> after a tick: only one of this goal's milestones, so a forged id shows nothing.
    wanted = _int_or_none(request.GET.get("celebrate"))
    celebrate = next((m for m in milestones if m.pk == wanted), None)
    helpers = list(goal.helpers.only("id", "name", "nickname"))
    return render(
        request,
        "recovery/goals/detail.html",
        {
            "goal": goal,
            "steps": steps,
            "progress": current,
            "can_reach": goal.completed_at is None and goals.can_be_reached(current),
            "helpers": helpers,
            "milestones": milestones,
            "celebrate": celebrate,
            "reflections": _page(request, goal.reflections.all()),
            "step_form": step_form or StepForm(),
            "reflection_form": reflection_form or ReflectionForm(),
        },
    )


@login_required
def goal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _goal_page(request, _goal(request, pk))


@login_required
def goal_new(request: HttpRequest) -> HttpResponse:
    form = GoalForm(request.POST or None, owner=request.user)
    if request.method == "POST" and form.is_valid():
        goal = form.save()
        messages.success(request, "Your goal is saved. Small steps count.")
        return redirect(_goal_url(goal))
    return render(request, "recovery/goals/form.html", {"form": form, "goal": None})


@login_required
def goal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    goal = _goal(request, pk)
    form = GoalForm(request.POST or None, instance=goal, owner=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, SAVED)
        return redirect(_goal_url(goal))
    return render(request, "recovery/goals/form.html", {"form": form, "goal": goal})


@login_required
@require_POST
def goal_archive(request: HttpRequest, pk: int) -> HttpResponse:
    goal = _goal(request, pk)
    archive = request.POST.get("action", "archive") != "unarchive"
    goal.archived_at = timezone.now() if archive else None
    goal.save(update_fields=["archived_at"])
    if archive:
        messages.success(
            request,
            f"Archived “{goal.title}”, with its steps and reflections. "
            "You can bring it back at any time.",
        )
    else:
        messages.success(request, f"“{goal.title}” is back with your goals.")
    return redirect(_goal_url(goal))


@login_required
def goal_delete(request: HttpRequest, pk: int) -> HttpResponse:
    goal = _goal(request, pk)
    milestone_count = goal.milestones.count()
    if request.method == "POST":
        with transaction.atomic():
            goal.delete()
        message = f"Removed “{goal.title}”."
        if milestone_count:
            message += " What you reached along the way stays in your milestones."
        messages.success(request, message)
        return redirect("recovery:goals")
    return render(
        request,
        "recovery/goals/confirm_delete.html",
        {"goal": goal, "milestone_count": milestone_count, "step_count": goal.steps.count()},
    )


@login_required
@require_POST
def goal_reach(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Mark the goal as reached" (action=reach) or "Not reached after all" (action=reopen)."""
    goal = _goal(request, pk)
    now = timezone.now()
    if request.POST.get("action") == "reopen":
        reopen_goal(goal, now, _zone(request))
        messages.success(request, goals.reopened_message(goal.title))
        return redirect(_goal_url(goal))
    current = goals.progress(done_at is not None for done_at in _done_at(goal))
    if not goals.can_be_reached(current):
        left = current.total - current.done
        messages.info(
            request,
            f"{'One step is' if left == 1 else f'{left} steps are'} still open. "
            "Tick them off first, or remove any that no longer fit.",
        )
        return redirect(_goal_url(goal))
    milestone = reach_goal(goal, now, _zone(request))
    if milestone is None:  # reached before: celebrate the milestone it already has
        milestone = goal.milestones.filter(step__isnull=True).first()
    messages.success(request, goals.reached_message(goal.title))
    return redirect(_goal_url(goal, celebrate=milestone))


def _done_at(goal: Goal) -> list[Any]:
    return list(goal.steps.values_list("done_at", flat=True))


# Steps


def _step(request: HttpRequest, pk: int) -> GoalStep:
    return get_object_or_404(GoalStep.objects.owned_by(request.user).select_related("goal"), pk=pk)


@login_required
@require_POST
def step_new(request: HttpRequest, pk: int) -> HttpResponse:
    goal = _goal(request, pk)
    form = StepForm(request.POST)
    if not form.is_valid():
        return _goal_page(request, goal, step_form=form)
    add_steps(goal, [form.cleaned_data["title"]])
    messages.success(request, f"Added “{form.cleaned_data['title']}”.")
    return redirect(_goal_url(goal, anchor="steps"))


@login_required
def step_edit(request: HttpRequest, pk: int) -> HttpResponse:
    step = _step(request, pk)
    form = StepForm(request.POST or None, instance=step)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, SAVED)
        return redirect(_goal_url(step.goal, anchor=f"step-{step.pk}"))
    return render(request, "recovery/goals/step_form.html", {"form": form, "step": step})


@login_required
def step_delete(request: HttpRequest, pk: int) -> HttpResponse:
    step = _step(request, pk)
    if request.method == "POST":
        delete_steps(step.goal, [step.pk])
        messages.success(request, f"Removed the step “{step.title}”.")
        return redirect(_goal_url(step.goal, anchor="steps"))
    return render(
        request,
        "recovery/goals/step_confirm_delete.html",
        {"step": step, "has_milestone": step.milestones.exists()},
    )


@login_required
@require_POST
def step_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    """One tap: done=1 ticks the step, done=0 unticks it (the state wanted, so a double tap is safe)."""
    step = _step(request, pk)
    now, zone = timezone.now(), _zone(request)
    if request.POST.get("done") == "0":
        untick_step(step, now, zone)
        messages.success(request, goals.step_undone_message(step.title))
        return redirect(_goal_url(step.goal, anchor=f"step-{step.pk}"))
    milestone = tick_step(step, now, zone)
    current = goals.progress(done_at is not None for done_at in _done_at(step.goal))
    messages.success(request, goals.step_done_message(step.title, current))
    return redirect(_goal_url(step.goal, celebrate=milestone, anchor=f"step-{step.pk}"))


@login_required
@require_POST
def step_move(request: HttpRequest, pk: int) -> HttpResponse:
    step = _step(request, pk)
    offset = {"up": -1, "down": 1}.get(request.POST.get("direction", ""), 0)
    with transaction.atomic():
        siblings = list(step.goal.steps.select_for_update().only("id", "position"))
        order = goals.move([s.pk for s in siblings], step.pk, offset)
        changed = []
        for position, sibling_pk in enumerate(order):
            sibling = next(s for s in siblings if s.pk == sibling_pk)
            if sibling.position != position:
                sibling.position = position
                changed.append(sibling)
        GoalStep.objects.bulk_update(changed, ["position"])
    return redirect(_goal_url(step.goal, anchor=f"step-{step.pk}"))


# Reflections and milestones


@login_required
@require_POST
def reflection_new(request: HttpRequest, pk: int) -> HttpResponse:
    goal = _goal(request, pk)
    form = ReflectionForm(request.POST)
    if not form.is_valid():
        return _goal_page(request, goal, reflection_form=form)
    reflection = form.save(commit=False)
    reflection.owner_id = goal.owner_id
    reflection.goal = goal
    reflection.save()
    messages.success(request, "Thank you for writing that down.")
    return redirect(_goal_url(goal, anchor="reflections"))


@login_required
def milestones(request: HttpRequest) -> HttpResponse:
    rows = (
        Milestone.objects.owned_by(request.user)
        .select_related("goal")
        .defer("goal__why")
        .prefetch_related(_people())
        .order_by("-achieved_on", "-id")
    )
    return render(request, "recovery/goals/milestones.html", {"page": _page(request, rows)})


# Coping strategies


def _strategy(request: HttpRequest, pk: int) -> CopingStrategy:
    return get_object_or_404(CopingStrategy.objects.owned_by(request.user), pk=pk)


def _summarise(strategy: CopingStrategy) -> CopingStrategy:
    """`mean` and `helped_words` for showing, from the counts `coping.with_uses` added."""
    uses = coping.uses_of(strategy)
    mean = coping.mean_helped(uses.helped_total, uses.count)
    strategy.mean = mean  # type: ignore[attr-defined]
    strategy.helped_words = coping.helped_words(mean)  # type: ignore[attr-defined]
    return strategy


@login_required
def coping_list(request: HttpRequest) -> HttpResponse:
    archived = _archived_view(request)
    mine = CopingStrategy.objects.owned_by(request.user).filter(archived_at__isnull=not archived)
    page = _page(request, coping.ranked(mine.defer("description")))
    page.object_list = [_summarise(strategy) for strategy in page.object_list]
    return render(request, "recovery/coping/list.html", {"page": page, "archived": archived})


@login_required
def coping_detail(request: HttpRequest, pk: int) -> HttpResponse:
    strategy = _summarise(
        get_object_or_404(coping.with_uses(CopingStrategy.objects.owned_by(request.user)), pk=pk)
    )
    return render(
        request,
        "recovery/coping/detail.html",
        {
            "strategy": strategy,
            "page": _page(request, strategy.uses.all()),
            "form": CopingUseForm(),
            "labels": coping.HELPED_LABELS,
        },
    )


@login_required
def coping_new(request: HttpRequest) -> HttpResponse:
    form = CopingStrategyForm(request.POST or None, owner=request.user)
    if request.method == "POST" and form.is_valid():
        strategy = form.save()
        messages.success(request, f"Added “{strategy.title}” to your coping strategies.")
        return redirect("recovery:coping-strategy", pk=strategy.pk)
    return render(request, "recovery/coping/form.html", {"form": form, "strategy": None})


@login_required
def coping_edit(request: HttpRequest, pk: int) -> HttpResponse:
    strategy = _strategy(request, pk)
    form = CopingStrategyForm(request.POST or None, instance=strategy, owner=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, SAVED)
        return redirect("recovery:coping-strategy", pk=strategy.pk)
    return render(request, "recovery/coping/form.html", {"form": form, "strategy": strategy})


@login_required
@require_POST
def coping_archive(request: HttpRequest, pk: int) -> HttpResponse:
    strategy = _strategy(request, pk)
    archive = request.POST.get("action", "archive") != "unarchive"
    strategy.archived_at = timezone.now() if archive else None
    strategy.save(update_fields=["archived_at"])
    if archive:
        messages.success(
            request, f"Archived “{strategy.title}”. You can bring it back at any time."
        )
    else:
        messages.success(request, f"“{strategy.title}” is back with your coping strategies.")
    return redirect("recovery:coping-strategy", pk=strategy.pk)


@login_required
def coping_delete(request: HttpRequest, pk: int) -> HttpResponse:
    strategy = _strategy(request, pk)
    if request.method == "POST":
        strategy.delete()
        messages.success(request, f"Removed “{strategy.title}”.")
        return redirect("recovery:coping")
    return render(
        request,
        "recovery/coping/confirm_delete.html",
        {"strategy": strategy, "use_count": strategy.uses.count()},
    )


@login_required
def coping_use(request: HttpRequest, pk: int) -> HttpResponse:
    """ "I used this": how much it helped (1-5) and a note."""
    strategy = _strategy(request, pk)
    form = CopingUseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        use: CopingUse = form.save(commit=False)
        use.owner_id = strategy.owner_id
        use.strategy = strategy
        use.save()
        messages.success(request, "Noted. Looking after yourself like this matters.")
        return redirect("recovery:coping-strategy", pk=strategy.pk)
    return render(request, "recovery/coping/use_form.html", {"form": form, "strategy": strategy})
