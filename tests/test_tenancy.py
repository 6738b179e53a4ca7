"""Nobody reaches another member's data: every URL and every API operation, walked one by one.

Each URL pattern of the project and each operation of the OpenAPI document
must have a row in one of the tables below, or the first two tests fail:
a route added later cannot slip through without a stranger test.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from closeknit.accounts.models import ApiToken, User
from closeknit.circle import grants, help, invitations
from closeknit.circle.models import Encouragement, HelpRequest, Invitation, Link, RuleFiring
from closeknit.network.models import Group, Interaction, Person
from closeknit.notify.models import Attempt, Channel, Message, Preferences
from closeknit.notify.outbox import enqueue
from closeknit.recovery import appointments
from closeknit.recovery.goals_forms import add_steps, tick_step
from closeknit.recovery.models import (
    Appointment,
    AppointmentSeries,
    CopingStrategy,
    CopingUse,
    Goal,
    GoalReflection,
    GoalStep,
    Milestone,
    SafetyPlanVersion,
)
from closeknit.rhythms import appreciations_store
from closeknit.rhythms.models import Appreciation, CalendarFeed, Occasion, ReachOutPause
from closeknit.wellbeing.models import Assessment, CheckIn, QuestionnaireSchedule
from closeknit.wellbeing.store import record_assessment

Net = dict[str, Any]

# URLs that name one of the member's objects: a stranger gets 404 for GET and POST.
OBJECT_ROUTES: dict[str, Callable[[Net], dict[str, Any]]] = {
    "network:person": lambda n: {"pk": n["sam"].pk},
    "network:person-edit": lambda n: {"pk": n["sam"].pk},
    "network:person-archive": lambda n: {"pk": n["sam"].pk},
    "network:person-delete": lambda n: {"pk": n["sam"].pk},
    "network:group": lambda n: {"pk": n["group"].pk},
    "network:group-edit": lambda n: {"pk": n["group"].pk},
    "network:group-archive": lambda n: {"pk": n["group"].pk},
    "network:group-delete": lambda n: {"pk": n["group"].pk},
    "network:interaction-edit": lambda n: {"pk": n["call"].pk},
    "network:interaction-delete": lambda n: {"pk": n["call"].pk},
    "accounts:token-revoke": lambda n: {"pk": n["token"].pk},
    "recovery:safety-plan-version": lambda n: {"pk": n["plan_version"].pk},
    "recovery:appointment-edit": lambda n: {"pk": n["appointment"].pk},
    "recovery:appointment-delete": lambda n: {"pk": n["appointment"].pk},
    "recovery:appointment-status": lambda n: {"pk": n["appointment"].pk},
    "recovery:appointment-series-edit": lambda n: {"pk": n["appointment"].series_id},
    "recovery:appointment-series-delete": lambda n: {"pk": n["appointment"].series_id},
    "recovery:goal": lambda n: {"pk": n["goal"].pk},
    "recovery:goal-edit": lambda n: {"pk": n["goal"].pk},
    "recovery:goal-archive": lambda n: {"pk": n["goal"].pk},
    "recovery:goal-delete": lambda n: {"pk": n["goal"].pk},
    "recovery:goal-reach": lambda n: {"pk": n["goal"].pk},
    "recovery:goal-step-new": lambda n: {"pk": n["goal"].pk},
    "recovery:goal-reflection-new": lambda n: {"pk": n["goal"].pk},
    "recovery:goal-step-edit": lambda n: {"pk": n["step"].pk},
    "recovery:goal-step-delete": lambda n: {"pk": n["step"].pk},
    "recovery:goal-step-toggle": lambda n: {"pk": n["step"].pk},
    "recovery:goal-step-move": lambda n: {"pk": n["step"].pk},
    "recovery:coping-strategy": lambda n: {"pk": n["strategy"].pk},
    "recovery:coping-edit": lambda n: {"pk": n["strategy"].pk},
    "recovery:coping-archive": lambda n: {"pk": n["strategy"].pk},
    "recovery:coping-delete": lambda n: {"pk": n["strategy"].pk},
    "recovery:coping-use": lambda n: {"pk": n["strategy"].pk},
    "wellbeing:checkin-delete": lambda n: {"day": n["checkin"].day.isoformat()},
    "wellbeing:assessment": lambda n: {"pk": n["assessment"].pk},
    "wellbeing:assessment-support": lambda n: {"pk": n["assessment"].pk},
    "wellbeing:assessment-delete": lambda n: {"pk": n["assessment"].pk},
    "rhythms:reach-out-pause": lambda n: {"pk": n["sam"].pk},
    "rhythms:reach-out-resume": lambda n: {"pk": n["sam"].pk},
    "notify:channel": lambda n: {"pk": n["channel"].pk},
    "notify:channel-edit": lambda n: {"pk": n["channel"].pk},
    "notify:channel-delete": lambda n: {"pk": n["channel"].pk},
    "notify:channel-verify": lambda n: {"pk": n["channel"].pk},
    "notify:channel-test": lambda n: {"pk": n["channel"].pk},
    "rhythms:occasion-edit": lambda n: {"pk": n["occasion"].pk},
    "rhythms:occasion-delete": lambda n: {"pk": n["occasion"].pk},
    "rhythms:appreciation-edit": lambda n: {"pk": n["appreciation"].pk},
    "rhythms:appreciation-delete": lambda n: {"pk": n["appreciation"].pk},
    "circle:supporter": lambda n: {"pk": n["link"].pk},
    "circle:supporter-end": lambda n: {"pk": n["link"].pk},
    "circle:invitation-withdraw": lambda n: {"pk": n["invitation"].pk},
    "circle:help-request": lambda n: {"pk": n["help_request"].pk},
    "circle:help-answers": lambda n: {"pk": n["help_request"].pk},
    "circle:firing-cancel": lambda n: {"pk": n["firing"].pk},
    "circle:encouragement-favourite": lambda n: {"pk": n["encouragement"].pk},
    "circle:encouragement-delete": lambda n: {"pk": n["encouragement"].pk},
    # The supporter's side: Sam's link to the member; a stranger is nobody's supporter here.
    "circle:supporting-member": lambda n: {"pk": n["link"].pk},
    "circle:supporting-mood": lambda n: {"pk": n["link"].pk},
    "circle:supporting-safety-plan": lambda n: {"pk": n["link"].pk},
    "circle:supporting-goals": lambda n: {"pk": n["link"].pk},
    "circle:supporting-encourage": lambda n: {"pk": n["link"].pk},
    "circle:supporting-leave": lambda n: {"pk": n["link"].pk},
    "circle:supporting-answer": lambda n: {"pk": n["help_answer"].pk},
}

# The signed-in member's own pages (no object in the URL): a stranger sees their own, empty
# version. Query strings name the member's objects, as a forged link would.
OWN_PAGES: dict[str, Callable[[Net], tuple[dict[str, Any], str]]] = {
    "network:home": lambda n: ({}, ""),
    "network:people": lambda n: ({}, "?q=Sam"),
    "network:person-new": lambda n: ({}, ""),
    "network:groups": lambda n: ({}, ""),
    "network:group-new": lambda n: ({}, ""),
    "network:interactions": lambda n: ({}, f"?person={n['sam'].pk}"),
    "network:interaction-new": lambda n: ({}, f"?person={n['sam'].pk}&group={n['group'].pk}"),
    "transfer:import": lambda n: ({}, ""),
    "transfer:export": lambda n: ({}, ""),
    "transfer:export-download": lambda n: ({"fmt": "json"}, ""),
    "accounts:settings": lambda n: ({}, ""),
    "accounts:password-change": lambda n: ({}, ""),
    "accounts:token-create": lambda n: ({}, ""),
    "accounts:delete": lambda n: ({}, ""),
    "recovery:safety-plan": lambda n: ({}, ""),
    "recovery:safety-plan-edit": lambda n: ({}, ""),
    "recovery:safety-plan-print": lambda n: ({}, ""),
    "recovery:safety-plan-card": lambda n: ({}, ""),
    "recovery:safety-plan-history": lambda n: ({}, ""),
    "recovery:appointments": lambda n: ({}, ""),
    "recovery:goals": lambda n: ({}, "?status=archived"),
    "recovery:goal-new": lambda n: ({}, ""),
    "recovery:milestones": lambda n: ({}, ""),
    "recovery:coping": lambda n: ({}, "?status=archived"),
    "recovery:coping-new": lambda n: ({}, ""),
    "recovery:appointments-past": lambda n: ({}, "?status=scheduled"),
    "recovery:appointment-new": lambda n: (
        {},
        f"?again={n['appointment'].pk}&person={n['ada'].pk}&group={n['group'].pk}",
    ),
    "wellbeing:checkin": lambda n: ({}, ""),
    "wellbeing:checkin-day": lambda n: ({"day": n["checkin"].day.isoformat()}, ""),
    "wellbeing:checkins": lambda n: ({}, f"?month={n['checkin'].day:%Y-%m}"),
    "wellbeing:questionnaires": lambda n: ({}, ""),
    "wellbeing:questionnaire-schedules": lambda n: ({}, ""),
    "wellbeing:questionnaire": lambda n: ({"code": "phq9"}, ""),
    "wellbeing:questionnaire-history": lambda n: ({"code": "phq9"}, ""),
    "rhythms:reach-out": lambda n: ({}, ""),
    "notify:channels": lambda n: ({}, ""),
    "notify:channel-new": lambda n: ({"kind": "email"}, ""),
    "notify:push-subscribe": lambda n: ({}, ""),
    "notify:preferences": lambda n: ({}, ""),
    "notify:outbox": lambda n: ({}, "?status=failed"),
    "rhythms:occasions": lambda n: ({}, ""),
    "rhythms:occasion-new": lambda n: ({}, f"?kind=recovery&person={n['sam'].pk}"),
    "rhythms:appreciations": lambda n: ({}, ""),
    "rhythms:appreciation-new": lambda n: ({}, f"?person={n['sam'].pk}"),
    "rhythms:calendar": lambda n: ({}, ""),
    "rhythms:calendar-replace": lambda n: ({}, ""),
    "rhythms:calendar-revoke": lambda n: ({}, ""),
    "insights:network": lambda n: ({}, ""),
    "insights:wellbeing": lambda n: ({}, "?from=2020-01-01&to=2021-12-31"),
    "circle:supporters": lambda n: ({}, "?page=1&invitations=1"),
    "circle:invite": lambda n: ({}, f"?person={n['sam'].pk}"),
    "circle:help": lambda n: ({}, ""),
    "circle:help-requests": lambda n: ({}, ""),
    "circle:rules": lambda n: ({}, ""),
    "circle:rule": lambda n: ({"kind": "stress_high"}, ""),
    "circle:firings": lambda n: ({}, ""),
    "circle:encouragements": lambda n: ({}, "?favourites=1"),
    "circle:access-log": lambda n: ({}, f"?supporter={n['link'].pk}"),
    "circle:supporting": lambda n: ({}, ""),
}

# Pages with no personal data: sign-in, sign-up, password reset, crisis lines, the demo.
PUBLIC_ROUTES = {
    "accounts:signup",
    "accounts:login",
    "accounts:logout",
    "accounts:password-reset",
    "accounts:password-reset-sent",
    "accounts:password-reset-confirm",
    "accounts:password-reset-complete",
    "recovery:get-help",
    "demo:start",
    "notify:service-worker",
    # No sign-in: the secret in its address is the key (tests/rhythms/test_calendar_views.py).
    "rhythms:calendar-feed",
    # No sign-in: the token in the address is the key (tests/circle/test_invitation_views.py,
    # tests/circle/test_help_views.py).
    "circle:join",
    "circle:answer",
}

# The API is covered operation by operation below; these are its non-operation routes.
API_NAMESPACE = "api-v1"
API_PUBLIC_ROUTES = {"api-v1:openapi-json", "api-v1:openapi-view", "api-v1:api-root"}

VALID_BODIES = {
    "goals": {"title": "Changed by a stranger"},
    "coping-strategies": {"title": "Changed by a stranger"},
    "appointments": {"kind": "other", "starts_at": "2026-01-01T10:00:00Z", "status": "cancelled"},
    "people": {"name": "Changed by a stranger"},
    "groups": {"name": "Changed by a stranger", "kind": "club"},
    "channels": {"label": "Changed by a stranger"},
    "occasions": {"kind": "custom", "title": "Changed by a stranger", "day": "2026-01-01"},
    "appreciations": {"text": "Changed by a stranger"},
    "supporters": {"scopes": []},
    "encouragements": {"favourite": True},
    "interactions": {
        "people": [],
        "group": None,
        "occurred_at": "2026-01-01T10:00:00Z",
        "channel": "call",
        "direction": "mutual",
        "support_types": [],
        "feeling": None,
        "note": "",
    },
}
# Operations on one object: the path parameter is filled with the member's object.
API_OBJECT_PARAMS = {
    "person_id": "sam",
    "group_id": "group",
    "interaction_id": "call",
    "version": "plan_number",
    "appointment_id": "appointment",
    "goal_id": "goal",
    "strategy_id": "strategy",
    "day": "checkin_day",
    "assessment_id": "assessment",
    "code": "schedule_code",
    "channel_id": "channel",
    "message_id": "message",
    "occasion_id": "occasion",
    "appreciation_id": "appreciation",
    "supporter_id": "link",
    "invitation_id": "invitation",
    "help_request_id": "help_request",
    "link_id": "link",
    "encouragement_id": "encouragement",
}
# Object operations whose body is needed to reach the handler (else ninja answers 422 first).
API_OPERATION_BODIES = {
    ("post", "/api/v1/coping-strategies/{strategy_id}/uses"): {"helped": 5, "note": "Taken"},
    ("post", "/api/v1/reach-out/{person_id}/pause"): {"kind": "snooze", "days": 7},
    ("post", "/api/v1/channels/{channel_id}/verify"): {"code": "123456"},
    ("post", "/api/v1/supporting/{link_id}/encouragements"): {"text": "Hello from a stranger"},
}
# Operations on a collection: the stranger works in their own account only.
API_COLLECTION_OPERATIONS = {
    ("get", "/api/v1/people"),
    ("post", "/api/v1/people"),
    ("get", "/api/v1/groups"),
    ("post", "/api/v1/groups"),
    ("get", "/api/v1/interactions"),
    ("post", "/api/v1/interactions"),
    ("get", "/api/v1/export"),
    ("post", "/api/v1/import/vcard"),
    ("get", "/api/v1/safety-plan"),
    ("put", "/api/v1/safety-plan"),
    ("get", "/api/v1/safety-plan/versions"),
    ("get", "/api/v1/crisis-lines"),
    ("get", "/api/v1/appointments"),
    ("post", "/api/v1/appointments"),
    ("get", "/api/v1/appointments/attendance"),
    ("get", "/api/v1/goals"),
    ("post", "/api/v1/goals"),
    ("get", "/api/v1/coping-strategies"),
    ("post", "/api/v1/coping-strategies"),
    ("get", "/api/v1/checkins"),
    ("post", "/api/v1/checkins"),
    ("get", "/api/v1/instruments"),
    ("get", "/api/v1/instruments/{code}"),  # the same definitions for everyone, no one's data
    ("get", "/api/v1/assessments"),
    ("post", "/api/v1/assessments"),
    ("get", "/api/v1/questionnaire-schedules"),
    ("put", "/api/v1/questionnaire-schedules/{code}"),  # sets the stranger's own schedule
    ("get", "/api/v1/reach-out"),
    ("get", "/api/v1/channels"),
    ("post", "/api/v1/channels"),
    ("get", "/api/v1/outbox"),
    ("get", "/api/v1/notification-preferences"),
    ("put", "/api/v1/notification-preferences"),
    ("get", "/api/v1/occasions"),
    ("post", "/api/v1/occasions"),
    ("get", "/api/v1/occasions/upcoming"),
    ("get", "/api/v1/appreciations"),
    ("post", "/api/v1/appreciations"),
    ("get", "/api/v1/insights/network"),
    ("get", "/api/v1/insights/connection"),
    ("get", "/api/v1/supporters"),
    ("get", "/api/v1/invitations"),
    ("post", "/api/v1/invitations"),
    ("post", "/api/v1/invitations/accept"),  # makes the caller someone's supporter, by token
    ("get", "/api/v1/help-requests"),
    ("post", "/api/v1/help-requests"),
    ("get", "/api/v1/rules"),
    ("get", "/api/v1/rules/firings"),
    ("put", "/api/v1/rules/{kind}"),  # sets the stranger's own rule
    ("get", "/api/v1/encouragements"),
    ("get", "/api/v1/access-log"),
    ("get", "/api/v1/supporting"),
}

MEMBER_SECRETS = (
    "Sam Rivera",
    "Ada Okafor",
    "Tuesday peer group",
    "Talked it through",
    "member@example.org",
    "+44 7700 900123",
    "Sleep before midnight on weekdays",
    "Phone off at ten",
    "Cold water on my face",
    "Cried at the bus stop",
    "robin.reminders@example.org",
    "First walk on the Downs",
    "Thank you for the soup",
    "Rough night, could you call?",
    "Keep going, you are doing well",
    "Your stress has been 7 or more today",
)


def walk(patterns: list[Any], namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from walk(pattern.url_patterns, inner)
        else:
            name = f"{namespace}:{pattern.name}" if namespace else str(pattern.name)
            yield name, pattern


def all_route_names() -> set[str]:
    return {name for name, _pattern in walk(get_resolver().url_patterns)}


@pytest.fixture
def net(network: Net, member: Any) -> Net:
    token, _secret = ApiToken.issue(member, "member's token")
    plan = SafetyPlanVersion.objects.create(
        owner=member,
        sections={
            "ask_for_help": {"items": ["Talked it through"], "people": [network["sam"].pk]},
            "distractions": {"groups": [network["group"].pk]},
        },
    )
    now = timezone.now()
    appointment = appointments.create(
        Appointment(
            owner=member,
            kind="therapy",
            person=network["ada"],
            starts_at=now - dt.timedelta(days=1),
            notes="Talked it through.",
        ),
        "FREQ=WEEKLY",
        now=now,
        zone=member.zone,
    )
    goal = Goal.objects.create(owner=member, title="Sleep before midnight on weekdays")
    goal.helpers.set([network["sam"]])
    [step] = add_steps(goal, ["Phone off at ten"])
    tick_step(step, now, member.zone)
    GoalReflection.objects.create(owner=member, goal=goal, text="Slow start.")
    strategy = CopingStrategy.objects.create(owner=member, title="Cold water on my face")
    CopingUse.objects.create(owner=member, strategy=strategy, helped=4)
    checkin = CheckIn.objects.create(
        owner=member,
        day=timezone.localdate() - dt.timedelta(days=1),
        mood=2,
        note="Cried at the bus stop",
    )
    assessment, _score = record_assessment(member, "phq9", [3] * 9)
    QuestionnaireSchedule.objects.create(owner=member, instrument="phq9", every_days=14)
    ReachOutPause.objects.create(
        owner=member,
        person=network["sam"],
        kind="snooze",
        until=timezone.localdate() + dt.timedelta(days=7),
    )
    channel, message = notify_objects(member)
    occasion, appreciation, feed = rhythms_objects(member, network["sam"])
    circle = circle_objects(member, network)
    return {
        **circle,
        "occasion": occasion,
        "appreciation": appreciation,
        "calendar_feed": feed,
        "channel": channel,
        "message": message,
        **network,
        "goal": goal,
        "step": step,
        "strategy": strategy,
        "token": token,
        "plan_version": plan,
        # The API numbers a member's plan versions 1, 2, …; the stranger asks for the first.
        "plan_number": SimpleNamespace(pk=1),
        "appointment": appointment,
        "checkin": checkin,
        # The API names a check-in by its day and a schedule by its questionnaire.
        "checkin_day": SimpleNamespace(pk=checkin.day.isoformat()),
        "assessment": assessment,
        "schedule_code": SimpleNamespace(pk="phq9"),
    }


def notify_objects(member: Any) -> tuple[Channel, Message]:
    """A verified e-mail channel with quiet hours, a message that failed once, preferences."""
    channel = Channel.objects.create(
        owner=member,
        kind="email",
        label="Robin's inbox",
        config={"address": "robin.reminders@example.org"},
        verified_at=timezone.now(),
        quiet_from=dt.time(22, 0),
        quiet_until=dt.time(7, 0),
    )
    message, _created = enqueue(
        member,
        key="tenancy:reach-out",
        kind="reach_out",
        title="It's been a while since you and Sam talked",
        channel=channel,
    )
    Attempt.objects.create(owner=member, message=message, error="Connection refused")
    Preferences.objects.create(owner=member, digest="daily")
    return channel, message


def rhythms_objects(member: Any, sam: Person) -> tuple[Occasion, Appreciation, CalendarFeed]:
    """An anniversary with Sam, a note of thanks waiting to be sent to Sam, a calendar feed."""
    occasion = Occasion.objects.create(
        owner=member,
        kind="anniversary",
        title="First walk on the Downs",
        day=dt.date(2019, 4, 1),
        person=sam,
    )
    appreciation = Appreciation(owner=member, person=sam, text="Thank you for the soup.")
    appreciations_store.save_note(
        member, appreciation, send=True, send_at=timezone.now() + dt.timedelta(days=3)
    )
    return occasion, appreciation, CalendarFeed.issue(member)


def circle_objects(member: Any, network: Net) -> Net:
    """Sam supports the member and sees everything; Ada is invited; a request, a note, a firing."""
    sam = User.objects.create_user(
        "sam.rivera@example.org", "a-long-passphrase", display_name="Sam"
    )
    link = Link.objects.create(
        owner=member, supporter=sam, person=network["sam"], scopes=list(grants.SCOPES)
    )
    invitation, _token = invitations.invite(member, network["ada"], ["goals"])
    help_request, _sent = help.ask(member, "Rough night, could you call?", [link.pk], "tenancy")
    grants.record_view(link)
    encouragement = Encouragement.objects.create(
        owner=member,
        link=link,
        supporter=sam,
        author_name="Sam",
        text="Keep going, you are doing well",
    )
    firing = RuleFiring.objects.create(
        owner=member,
        kind="stress_high",
        day=timezone.localdate(),
        reason="Your stress has been 7 or more today.",
    )
    return {
        "link": link,
        "invitation": invitation,
        "help_request": help_request,
        "help_answer": help_request.answers.get(),
        "encouragement": encouragement,
        "firing": firing,
    }


def circle_state(net: Net) -> tuple[Any, ...]:
    owner = net["link"].owner_id
    return (
        list(
            Link.objects.filter(owner_id=owner)
            .order_by("pk")
            .values_list("pk", "supporter_id", "person_id", "scopes", "ended_at")
        ),
        list(
            Invitation.objects.filter(owner_id=owner)
            .order_by("pk")
            .values_list("pk", "accepted_at", "withdrawn_at", "expires_at")
        ),
        [
            (r.pk, r.message, sorted(r.answers.values_list("pk", "answer", "answered_at")))
            for r in HelpRequest.objects.filter(owner_id=owner).order_by("pk")
        ],
        [
            (e.pk, e.text, e.favourite)
            for e in Encouragement.objects.filter(owner_id=owner).order_by("pk")
        ],
        list(
            RuleFiring.objects.filter(owner_id=owner).values_list(
                "pk", "supporters_due_at", "supporters_cancelled_at"
            )
        ),
    )


def rhythms_state(net: Net) -> tuple[Any, ...]:
    owner = net["occasion"].owner_id
    return (
        list(
            Occasion.objects.filter(owner_id=owner)
            .order_by("pk")
            .values_list("pk", "kind", "title", "day", "repeats_yearly", "person_id")
        ),
        [
            (a.pk, a.person_id, a.text, a.written_at, a.send_to, a.send_at)
            for a in Appreciation.objects.filter(owner_id=owner).order_by("pk")
        ],
        [
            (m.dedup_key, m.status, m.title, m.body, m.to_address, m.due_at)
            for m in Message.objects.filter(owner_id=owner, kind="appreciation").order_by("pk")
        ],
        list(CalendarFeed.objects.filter(owner_id=owner).values_list("pk", "digest")),
    )


def assert_no_member_data(body: bytes) -> None:
    text = body.decode(errors="replace")
    for secret in MEMBER_SECRETS:
        assert secret not in text


def member_state(net: Net) -> tuple[Any, ...]:
    """Everything a stranger's request could have changed about the member's objects."""
    sam = Person.objects.get(pk=net["sam"].pk)
    group = Group.objects.get(pk=net["group"].pk)
    call = Interaction.objects.get(pk=net["call"].pk)
    return (
        sam.name,
        sam.archived_at,
        group.name,
        group.archived_at,
        call.channel,
        call.note,
        sorted(call.people.values_list("pk", flat=True)),
        ApiToken.objects.filter(pk=net["token"].pk).exists(),
        [
            v.sections
            for v in SafetyPlanVersion.objects.filter(owner_id=sam.owner_id).order_by("pk")
        ],
        *appointment_state(net),
        *plan_state(net),
        *wellbeing_state(net),
        list(
            ReachOutPause.objects.filter(owner_id=sam.owner_id).values_list(
                "person_id", "kind", "until"
            )
        ),
        *notify_state(net),
        *rhythms_state(net),
        *circle_state(net),
    )


def notify_state(net: Net) -> tuple[Any, ...]:
    owner = net["channel"].owner_id
    return (
        [
            (c.pk, c.kind, c.label, c.config, c.verified_at, c.quiet_from, c.quiet_until)
            for c in Channel.objects.filter(owner_id=owner).order_by("pk")
        ],
        list(
            Channel.objects.filter(owner_id=owner)
            .order_by("pk")
            .values_list("verification_digest", "verification_tries", "last_error")
        ),
        list(
            Message.objects.filter(owner_id=owner)
            .order_by("pk")
            .values_list("pk", "dedup_key", "status", "attempts", "channel_id")
        ),
        Attempt.objects.filter(owner_id=owner).count(),
        list(
            Preferences.objects.filter(owner_id=owner).values_list("remind_at", "kinds", "digest")
        ),
    )


def wellbeing_state(net: Net) -> tuple[Any, ...]:
    owner = net["checkin"].owner_id
    return (
        list(CheckIn.objects.filter(owner_id=owner).values_list("day", "mood", "stress", "note")),
        [
            (a.pk, a.instrument, a.answers, a.total, a.flags)
            for a in Assessment.objects.filter(owner_id=owner)
        ],
        list(
            QuestionnaireSchedule.objects.filter(owner_id=owner).values_list(
                "instrument", "every_days"
            )
        ),
    )


def appointment_state(net: Net) -> tuple[Any, ...]:
    appointment = Appointment.objects.get(pk=net["appointment"].pk)
    series = AppointmentSeries.objects.get(pk=appointment.series_id)
    return (
        appointment.kind,
        appointment.starts_at,
        appointment.status,
        appointment.notes,
        appointment.person_id,
        series.schedule,
        series.ended_at,
        sorted(series.appointments.values_list("pk", "starts_at", "status")),
    )


def plan_state(net: Net) -> tuple[Any, ...]:
    goal = Goal.objects.get(pk=net["goal"].pk)
    strategy = CopingStrategy.objects.get(pk=net["strategy"].pk)
    return (
        (goal.title, goal.why, goal.archived_at, goal.completed_at),
        sorted(goal.helpers.values_list("pk", flat=True)),
        list(GoalStep.objects.filter(goal=goal).values_list("pk", "title", "position", "done_at")),
        GoalReflection.objects.filter(goal=goal).count(),
        list(Milestone.objects.filter(owner=goal.owner).values_list("pk", "achieved_on")),
        (strategy.title, strategy.description, strategy.archived_at),
        CopingUse.objects.filter(strategy=strategy).count(),
    )


def test_every_url_pattern_is_in_a_tenancy_table():
    covered = set(OBJECT_ROUTES) | set(OWN_PAGES) | PUBLIC_ROUTES | API_PUBLIC_ROUTES
    api_operations = {name for name in all_route_names() if name.startswith(f"{API_NAMESPACE}:")}
    missing = all_route_names() - covered - api_operations
    assert not missing, f"add these routes to a table in tests/test_tenancy.py: {sorted(missing)}"
    stale = covered - all_route_names()
    assert not stale, f"these routes no longer exist: {sorted(stale)}"


def openapi_operations(client: Client) -> set[tuple[str, str]]:
    schema = client.get("/api/v1/openapi.json").json()
    return {(method, path) for path, item in schema["paths"].items() for method in item}


def test_every_api_operation_is_in_a_tenancy_table(client):
    for method, path in openapi_operations(client):
        params = {part[1:-1] for part in path.split("/") if part.startswith("{")}
        assert (method, path) in API_COLLECTION_OPERATIONS or (
            params and params <= set(API_OBJECT_PARAMS)
        ), f"add {method.upper()} {path} to a table in tests/test_tenancy.py"


@pytest.mark.parametrize("name", sorted(OBJECT_ROUTES))
def test_stranger_gets_404_for_the_members_objects(name, net, stranger_client):
    url = reverse(name, kwargs=OBJECT_ROUTES[name](net))
    before = member_state(net)
    # POST-only routes answer GET with 405, which says nothing about the object.
    assert stranger_client.get(url).status_code in (404, 405)
    assert stranger_client.post(url, {"name": "Changed by a stranger"}).status_code == 404
    assert member_state(net) == before


@pytest.mark.parametrize("name", sorted(OBJECT_ROUTES))
def test_signed_out_visitor_never_sees_the_members_objects(name, net, client):
    url = reverse(name, kwargs=OBJECT_ROUTES[name](net))
    before = member_state(net)
    response = client.get(url)
    assert response.status_code in (302, 404, 405)
    assert_no_member_data(response.content)
    client.post(url, {"name": "Changed by a stranger"})
    assert member_state(net) == before


@pytest.mark.parametrize("name", sorted(OWN_PAGES))
def test_stranger_sees_only_their_own_version_of_each_page(name, net, stranger_client):
    kwargs, query = OWN_PAGES[name](net)
    response = stranger_client.get(reverse(name, kwargs=kwargs) + query)
    assert response.status_code in (200, 302, 404, 405)
    body = (
        response.content
        if not hasattr(response, "streaming_content")
        else b"".join(response.streaming_content)
    )
    assert_no_member_data(body)


@pytest.mark.parametrize("name", sorted(OWN_PAGES))
def test_own_pages_need_signing_in(name, net, client):
    kwargs, query = OWN_PAGES[name](net)
    response = client.get(reverse(name, kwargs=kwargs) + query)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def api_object_operations(client: Client) -> list[tuple[str, str]]:
    return sorted(op for op in openapi_operations(client) if op not in API_COLLECTION_OPERATIONS)


@pytest.mark.django_db
def test_api_object_operations_answer_404_to_a_stranger(net, client, stranger_token):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {stranger_token}"}
    operations = api_object_operations(client)
    assert len(operations) >= 12
    for method, path in operations:
        resource = path.split("/")[3]
        url = path
        for param, key in API_OBJECT_PARAMS.items():
            url = url.replace("{" + param + "}", str(net[key].pk))
        before = member_state(net)
        payload = API_OPERATION_BODIES.get((method, path))
        if payload is None and method in ("put", "patch"):
            payload = VALID_BODIES[resource]
        body = json.dumps(payload) if payload is not None else ""
        response = client.generic(
            method.upper(), url, data=body, content_type="application/json", **auth
        )
        assert response.status_code == 404, (method, path, response.status_code, response.content)
        assert_no_member_data(response.content)
        assert member_state(net) == before


@pytest.mark.django_db
def test_api_collections_show_a_stranger_only_their_own_rows(net, client, stranger_token):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {stranger_token}"}
    for path in (
        "/api/v1/people?q=Sam",
        "/api/v1/groups",
        "/api/v1/interactions",
        "/api/v1/export",
    ):
        response = client.get(path, **auth)
        assert response.status_code == 200, path
        assert_no_member_data(response.content)
    forged = {"people": [net["sam"].pk], "channel": "call"}
    response = client.post(
        "/api/v1/interactions", data=json.dumps(forged), content_type="application/json", **auth
    )
    assert response.status_code == 422
    assert net["sam"].interactions.count() == 1
    forged_group = {"name": "Mine", "kind": "club", "members": [net["sam"].pk]}
    response = client.post(
        "/api/v1/groups", data=json.dumps(forged_group), content_type="application/json", **auth
    )
    assert response.status_code == 422
    assert not Group.objects.filter(name="Mine").exists()
    before = member_state(net)
    forged_plan = {"sections": {"ask_for_help": {"people": [net["sam"].pk]}}}
    response = client.put(
        "/api/v1/safety-plan", data=json.dumps(forged_plan), content_type="application/json", **auth
    )
    assert response.status_code == 422
    assert member_state(net) == before
    assert client.get("/api/v1/safety-plan", **auth).status_code == 404
    forged_goal = {"title": "Mine", "helpers": [net["sam"].pk]}
    response = client.post(
        "/api/v1/goals", data=json.dumps(forged_goal), content_type="application/json", **auth
    )
    assert response.status_code == 422
    assert not Goal.objects.filter(title="Mine").exists()


@pytest.mark.django_db
def test_api_occasions_and_thanks_refuse_the_members_person_to_a_stranger(
    net, client, stranger_token
):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {stranger_token}"}
    before = member_state(net)
    for path, body in (
        ("/api/v1/occasions", {"kind": "custom", "title": "Mine", "day": "2026-01-01"}),
        ("/api/v1/appreciations", {"text": "Mine", "send_at": "2030-01-01T09:00"}),
    ):
        forged = {**body, "person": net["sam"].pk}
        response = client.post(
            path, data=json.dumps(forged), content_type="application/json", **auth
        )
        assert response.status_code == 422, path
        assert_no_member_data(response.content)
    assert member_state(net) == before
    assert not Occasion.objects.filter(title="Mine").exists()
    assert not Appreciation.objects.exclude(owner=net["sam"].owner).exists()
