"""Forms for goals and coping strategies, and the writes they share with the API.

The forms only offer (and only accept) the member's own people: a forged id is a
form error, never a link. The writes below apply the rules of `goals.py` to the
database; the goal pages and /api/v1/goals both call them, so a step ticked in the
browser or through the API makes the same milestone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, cast
from zoneinfo import ZoneInfo

from django import forms
from django.db import transaction
from django.db.models import Max

from closeknit.lib.widgets import FastCheckboxSelectMultiple
from closeknit.network import queries
from closeknit.network.forms import EARLIEST_YEAR, OwnedForm
from closeknit.network.models import Person
from closeknit.recovery import goals
from closeknit.recovery.coping import HELPED_LABELS
from closeknit.recovery.models import (
    CopingStrategy,
    CopingUse,
    Goal,
    GoalReflection,
    GoalStep,
    Milestone,
)

DATE_INPUT = "%Y-%m-%d"
NOT_IN_NETWORK = "We couldn't find one of those people in your network."
ENCRYPTED_HINT = "Only you can read this; it is stored encrypted."


class GoalForm(OwnedForm):
    helpers = forms.ModelMultipleChoiceField(
        queryset=Person.objects.none(),
        required=False,
        widget=FastCheckboxSelectMultiple,
        label="Who is helping",
        help_text="The people cheering you on or lending a hand. "
        "When you reach the goal, we'll suggest celebrating with them.",
        error_messages={"invalid_choice": NOT_IN_NETWORK, "invalid_pk_value": NOT_IN_NETWORK},
    )
    steps = forms.CharField(
        required=False,
        label="First steps",
        help_text="Optional. One a line, small enough to tick off. You can add more later.",
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    class Meta:
        model = Goal
        fields = ["title", "why", "target_date", "helpers"]
        labels = {"title": "Your goal", "target_date": "Hoping to get there by"}
        widgets = {
            "why": forms.Textarea(attrs={"rows": 3}),
            "target_date": forms.DateInput(attrs={"type": "date"}, format=DATE_INPUT),
        }
        help_texts = {
            "title": "For example: Walk to the park twice a week.",
            "why": f"What reaching it would mean to you. {ENCRYPTED_HINT}",
            "target_date": "Optional. A gentle aim, not a deadline.",
        }

    def __init__(self, *args: Any, owner: Any, **kwargs: Any) -> None:
        super().__init__(*args, owner=owner, **kwargs)
        current: list[int] = []
        if self.instance.pk is not None:
            current = list(self.instance.helpers.values_list("pk", flat=True))
            # Steps are added and changed on the goal's own page once it exists.
            del self.fields["steps"]
        helpers = cast(forms.ModelMultipleChoiceField, self.fields["helpers"])
        helpers.queryset = queries.choosable_people(owner, keep=current)

    def clean_target_date(self) -> dt.date | None:
        target: dt.date | None = self.cleaned_data.get("target_date")
        if target is not None and target.year < EARLIEST_YEAR:
            raise forms.ValidationError(f"Please choose a date after {EARLIEST_YEAR}.")
        return target

    def clean_steps(self) -> list[str]:
        titles = goals.first_steps(self.cleaned_data.get("steps") or "")
        problem = goals.check_first_steps(titles)
        if problem:
            raise forms.ValidationError(problem)
        return titles

    def save(self, commit: bool = True) -> Goal:
        with transaction.atomic():
            goal = cast(Goal, super().save(commit=commit))
            add_steps(goal, self.cleaned_data.get("steps") or [])
        return goal


class StepForm(forms.ModelForm):
    class Meta:
        model = GoalStep
        fields = ["title"]
        labels = {"title": "Step"}


class ReflectionForm(forms.ModelForm):
    class Meta:
        model = GoalReflection
        fields = ["text"]
        labels = {"text": "A few words on how it's going"}
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"text": f"What went well, what was hard, what you noticed. {ENCRYPTED_HINT}"}


class CopingStrategyForm(OwnedForm):
    class Meta:
        model = CopingStrategy
        fields = ["title", "description"]
        labels = {"title": "What you do", "description": "How it goes, or what you need for it"}
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "title": "For example: A walk round the block, Music with headphones on.",
            "description": f"Optional. {ENCRYPTED_HINT}",
        }


class CopingUseForm(forms.ModelForm):
    helped = forms.TypedChoiceField(
        choices=list(HELPED_LABELS.items()),
        coerce=int,
        widget=forms.RadioSelect,
        label="How much did it help?",
        error_messages={"required": "Please choose how much it helped; any answer is fine."},
    )

    class Meta:
        model = CopingUse
        fields = ["helped", "note"]
        labels = {"note": "Anything to remember about it?"}
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"note": f"Optional. {ENCRYPTED_HINT}"}


# Writes shared with the API. Each takes rows already fetched through `owned_by`.


def add_steps(goal: Goal, titles: Sequence[str]) -> list[GoalStep]:
    """Add steps after the goal's last one; a reached goal with a new step is open again."""
    if not titles:
        return []
    last = goal.steps.aggregate(last=Max("position"))["last"]
    start = goals.next_position([] if last is None else [last])
    steps = GoalStep.objects.bulk_create(
        GoalStep(owner_id=goal.owner_id, goal=goal, title=title, position=start + n)
        for n, title in enumerate(titles)
    )
    refresh_reached(goal)
    return steps


def goal_progress(goal: Goal) -> goals.Progress:
    done_at = goal.steps.values_list("done_at", flat=True)
    return goals.progress(when is not None for when in done_at)


def refresh_reached(goal: Goal) -> None:
    """Rule 4: a reached goal whose steps are no longer all done is open again."""
    if goal.completed_at is not None and not goals.stays_reached(goal_progress(goal)):
        goal.completed_at = None
        goal.save(update_fields=["completed_at"])


def _celebrate(goal: Goal, step: GoalStep | None, now: dt.datetime, zone: ZoneInfo) -> Milestone:
    milestone = Milestone.objects.create(
        owner_id=goal.owner_id,
        title=step.title if step is not None else goal.title,
        achieved_on=goals.local_day(now, zone),
        goal=goal,
        step=step,
    )
    milestone.people.set(goal.helpers.all())
    return milestone


def _undo(milestone: Milestone | None, now: dt.datetime, zone: ZoneInfo) -> None:
    if milestone is not None and goals.undo_removes_milestone(milestone.achieved_on, now, zone):
        milestone.delete()


@transaction.atomic
def delete_steps(goal: Goal, step_ids: Sequence[int]) -> None:
    """Delete some of a goal's steps; their milestones stay, as achievements of their own.

    A deleted step would leave its milestone linked to the goal without a step, which is
    how the goal's own milestone looks; so it is first detached from the goal too.
    """
    if not step_ids:
        return
    Milestone.objects.filter(goal=goal, step__in=step_ids).update(goal=None, step=None)
    goal.steps.filter(pk__in=step_ids).delete()


@transaction.atomic
def tick_step(step: GoalStep, now: dt.datetime, zone: ZoneInfo) -> Milestone | None:
    """Mark a step done; the new milestone, or None if it was done or celebrated before."""
    if step.done_at is not None:
        return None
    step.done_at = now
    step.save(update_fields=["done_at"])
    if not goals.creates_milestone(step.milestones.exists()):
        return None
    return _celebrate(step.goal, step, now, zone)


@transaction.atomic
def untick_step(step: GoalStep, now: dt.datetime, zone: ZoneInfo) -> None:
    """Mark a step not done: a same-day undo removes its milestone, and the goal reopens."""
    if step.done_at is None:
        return
    step.done_at = None
    step.save(update_fields=["done_at"])
    _undo(step.milestones.first(), now, zone)
    refresh_reached(step.goal)


@transaction.atomic
def reach_goal(goal: Goal, now: dt.datetime, zone: ZoneInfo) -> Milestone | None:
    """Mark a goal reached; its new milestone, or None if it had one from before.

    The caller checks `goals.can_be_reached` first: that is a message for the member.
    """
    if goal.completed_at is not None:
        return None
    goal.completed_at = now
    goal.save(update_fields=["completed_at"])
    own = goal.milestones.filter(step__isnull=True).exists()
    if not goals.creates_milestone(own):
        return None
    return _celebrate(goal, None, now, zone)


@transaction.atomic
def reopen_goal(goal: Goal, now: dt.datetime, zone: ZoneInfo) -> None:
    """ "Not reached after all": rule 5, a same-day reopening removes the goal's milestone."""
    if goal.completed_at is None:
        return
    goal.completed_at = None
    goal.save(update_fields=["completed_at"])
    _undo(goal.milestones.filter(step__isnull=True).first(), now, zone)
