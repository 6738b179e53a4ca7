"""Every operation in the OpenAPI document, against three callers.

OPERATIONS maps each (method, path) of the document to how to call it. The tests
below run every entry without a token, with the member's token, with bad input and
with a stranger's token; and the first test fails when the document has an operation
that the table lacks, so a new endpoint cannot ship without its privacy tests.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from closeknit.accounts.models import User
from closeknit.circle import help, invitations
from closeknit.circle.models import Encouragement, Link
from closeknit.network.models import Person
from closeknit.notify.models import Channel
from closeknit.notify.outbox import enqueue
from closeknit.recovery.goals_forms import add_steps
from closeknit.recovery.models import Appointment, CopingStrategy, CopingUse, Goal
from closeknit.rhythms.models import Appreciation, Occasion, ReachOutPause
from closeknit.wellbeing import store
from closeknit.wellbeing.models import CheckIn, QuestionnaireSchedule
from tests.api.conftest import VCARD, Call, error_fields, network_state

HTTP_METHODS = {"get", "post", "put", "patch", "delete"}

# What a stranger's token gets when it reaches for the member's data.
NOT_FOUND = "404"  # an object URL of the member's: the same 404 as a missing id
EMPTY_LIST = "empty list"  # a list: the stranger's own rows only (none)
OWN_DATA = "own data"  # works, but on the stranger's own network only
REFUSED = "refused"  # a write that names the member's ids: 422 naming the field


@dataclass(frozen=True)
class Op:
    call: Callable[[dict[str, Any]], Call]  # a good request, given the member's network
    ok: int  # the member's answer to it
    stranger: str  # one of the four above
    # A request with bad input, and the field its 422 must name (None: there is no input).
    bad: Callable[[dict[str, Any]], tuple[Call, str]] | None = None
    refused_field: str = ""  # for REFUSED


def _id(name: str) -> Callable[[dict[str, Any]], int]:
    return lambda net: net[name].pk


PERSON = {"name": "Lee Chen", "circle": "outer", "roles": ["neighbour"]}
GROUP = {"name": "Book club", "kind": "club", "schedule": "FREQ=MONTHLY;BYDAY=1TH"}
CONTACT = {"occurred_at": "2024-07-01T09:30", "channel": "call", "feeling": 4}

APPOINTMENT = {"kind": "therapy", "starts_at": "2030-07-01T09:30"}
A = "/api/v1/appointments"


def _appointment(net):
    """The member's appointment two hours ago, made on first use."""
    owner = net["sam"].owner
    appointment = Appointment.objects.owned_by(owner).first() or Appointment.objects.create(
        owner=owner,
        kind="therapy",
        person=net["ada"],
        starts_at=timezone.now() - dt.timedelta(hours=2),
    )
    return appointment.pk


GOAL = {"title": "Go back to choir", "steps": [{"title": "Find the times"}]}
STRATEGY = {"title": "Music with headphones", "description": "Loud."}
G = "/api/v1/goals"
S = "/api/v1/coping-strategies"
CI = "/api/v1/checkins"
IN = "/api/v1/instruments"
AS = "/api/v1/assessments"
QS = "/api/v1/questionnaire-schedules"
CHECKIN_DAY = "2024-06-03"
PHQ9 = {"instrument": "phq9", "answers": [1, 0, 0, 0, 0, 0, 0, 0, 0]}
RO = "/api/v1/reach-out"
OC = "/api/v1/occasions"
TH = "/api/v1/appreciations"
OCCASION = {"kind": "anniversary", "title": "The day we met", "day": "2019-04-01"}


def _occasion(net):
    """The member's anniversary with Sam, made on first use."""
    owner = net["sam"].owner
    occasion = Occasion.objects.owned_by(owner).first() or Occasion.objects.create(
        owner=owner,
        kind="anniversary",
        title="The day we met",
        day=dt.date(2019, 4, 1),
        person=net["sam"],
    )
    return occasion.pk


def _appreciation(net):
    """The member's note of thanks to Sam, made on first use."""
    owner = net["sam"].owner
    note = Appreciation.objects.owned_by(owner).first() or Appreciation.objects.create(
        owner=owner, person=net["sam"], text="Thank you for the soup."
    )
    return note.pk


CH, OB, NP = "/api/v1/channels", "/api/v1/outbox", "/api/v1/notification-preferences"
INSIGHTS = "/api/v1/insights"
EMAIL_CHANNEL = {"kind": "email", "config": {"address": "robin@example.org"}}


def _channel(net):
    """The member's verified e-mail channel, made on first use."""
    owner = net["sam"].owner
    channel = Channel.objects.owned_by(owner).first() or Channel.objects.create(
        owner=owner,
        kind="email",
        config={"address": "robin@example.org"},
        verified_at=timezone.now(),
    )
    return channel.pk


def _message(net):
    owner = net["sam"].owner
    message, _ = enqueue(
        owner,
        key=f"ops:{owner.pk}",
        kind="reach_out",
        title="Hi",
        channel=Channel.objects.get(pk=_channel(net)),
    )
    return message.pk


SU, INV, HR = "/api/v1/supporters", "/api/v1/invitations", "/api/v1/help-requests"
RU, SP, EN = "/api/v1/rules", "/api/v1/supporting", "/api/v1/encouragements"
RULE = {
    "enabled": True,
    "threshold": 7,
    "days_needed": 3,
    "window_days": 5,
    "cooldown_days": 7,
    "nudge_supporters": False,
}


def _account(email: str, name: str) -> User:
    return User.objects.filter(email=email).first() or User.objects.create_user(
        email, "a-long-passphrase", display_name=name
    )


def _supporter(net):
    """Sam's account supports the member and hears their help requests; made on first use.

    It names the member's existing entry for Sam: the tables check the member has 2 people.
    """
    owner = net["sam"].owner
    link = Link.objects.filter(owner=owner).first() or Link.objects.create(
        owner=owner,
        supporter=_account("sam.rivera@example.org", "Sam"),
        person=net["sam"],
        scopes=["help_requests"],
    )
    return link.pk


def _invitation(net):
    owner = net["sam"].owner
    found = invitations.Invitation.objects.filter(owner=owner).first()
    return (found or invitations.invite(owner, net["sam"], [])[0]).pk


def _help_request(net):
    owner = net["sam"].owner
    found = help.HelpRequest.objects.filter(owner=owner).first()
    return (found or help.ask(owner, "Rough night.", [_supporter(net)], "operations")[0]).pk


def _supported(net):
    """The member supports Kit, who shares everything with them; made on first use."""
    member = net["sam"].owner
    link = Link.objects.filter(supporter=member).first() or Link.objects.create(
        owner=_account("kit@example.org", "Kit"),
        supporter=member,
        scopes=["mood_trend", "safety_plan", "goals", "help_requests", "checkin_nudges"],
    )
    return link.pk


def _encouragement(net):
    owner = net["sam"].owner
    note = Encouragement.objects.filter(owner=owner).first() or Encouragement.objects.create(
        owner=owner, author_name="Sam", text="Proud of you."
    )
    return note.pk


@pytest.fixture
def network(network, member):
    """The shared network, a goal with a step, a coping strategy with a use, a check-in,
    a questionnaire result and a questionnaire schedule."""
    goal = Goal.objects.create(owner=member, title="Sleep before midnight")
    goal.helpers.set([network["sam"]])
    add_steps(goal, ["Phone off at ten"])
    strategy = CopingStrategy.objects.create(owner=member, title="Cold water on my face")
    CopingUse.objects.create(owner=member, strategy=strategy, helped=4)
    CheckIn.objects.create(
        owner=member, day=dt.date.fromisoformat(CHECKIN_DAY), mood=6, note="Talked it through."
    )
    assessment, _ = store.record_assessment(member, "phq9", [2] * 9)
    QuestionnaireSchedule.objects.create(owner=member, instrument="phq9", every_days=14)
    ReachOutPause.objects.create(
        owner=member,
        person=network["sam"],
        kind="snooze",
        until=timezone.localdate() + dt.timedelta(days=7),
    )
    return {**network, "goal": goal, "strategy": strategy, "assessment": assessment}


OPERATIONS: dict[tuple[str, str], Op] = {
    ("GET", G): Op(
        call=lambda net: Call("GET", G),
        ok=200,
        stranger=EMPTY_LIST,
        bad=lambda net: (Call("GET", f"{G}?completed=maybe"), "completed"),
    ),
    ("POST", G): Op(
        call=lambda net: Call("POST", G, {**GOAL, "helpers": [net["sam"].pk]}),
        ok=201,
        stranger=REFUSED,
        refused_field="helpers",
        bad=lambda net: (Call("POST", G, {**GOAL, "completed": True}), "completed"),
    ),
    ("GET", f"{G}/{{goal_id}}"): Op(
        call=lambda net: Call("GET", f"{G}/{net['goal'].pk}"),
        ok=200,
        stranger=NOT_FOUND,
        bad=lambda net: (Call("GET", f"{G}/choir"), "goal_id"),
    ),
    ("PUT", f"{G}/{{goal_id}}"): Op(
        call=lambda net: Call("PUT", f"{G}/{net['goal'].pk}", GOAL),
        ok=200,
        stranger=NOT_FOUND,
        bad=lambda net: (
            Call("PUT", f"{G}/{net['goal'].pk}", {**GOAL, "steps": [{"id": 10**9, "title": "x"}]}),
            "steps",
        ),
    ),
    ("PATCH", f"{G}/{{goal_id}}"): Op(
        call=lambda net: Call("PATCH", f"{G}/{net['goal'].pk}", {"why": "Joy."}),
        ok=200,
        stranger=NOT_FOUND,
        bad=lambda net: (Call("PATCH", f"{G}/{net['goal'].pk}", {"helpers": [10**9]}), "helpers"),
    ),
    ("DELETE", f"{G}/{{goal_id}}"): Op(
        call=lambda net: Call("DELETE", f"{G}/{net['goal'].pk}"),
        ok=204,
        stranger=NOT_FOUND,
        bad=lambda net: (Call("DELETE", f"{G}/all"), "goal_id"),
    ),
    ("GET", S): Op(
        call=lambda net: Call("GET", S),
        ok=200,
        stranger=EMPTY_LIST,
        bad=lambda net: (Call("GET", f"{S}?archived=maybe"), "archived"),
    ),
    ("POST", S): Op(
        call=lambda net: Call("POST", S, STRATEGY),
        ok=201,
        stranger=OWN_DATA,
        bad=lambda net: (Call("POST", S, {"title": ""}), "title"),
    ),
    ("GET", f"{S}/{{strategy_id}}"): Op(
        call=lambda net: Call("GET", f"{S}/{net['strategy'].pk}"),
        ok=200,
        stranger=NOT_FOUND,
        bad=lambda net: (Call("GET", f"{S}/best"), "strategy_id"),
    ),
    ("PUT", f"{S}/{{strategy_id}}"): Op(
        call=lambda net: Call("PUT", f"{S}/{net['strategy'].pk}", STRATEGY),
        ok=200,
        stranger=NOT_FOUND,
        bad=lambda net: (Call("PUT", f"{S}/{net['strategy'].pk}", {"description": "x"}), "title"),
    ),
    ("PATCH", f"{S}/{{strategy_id}}"): Op(
        call=lambda net: Call("PATCH", f"{S}/{net['strategy'].pk}", {"archived": True}),
        ok=200,
        stranger=NOT_FOUND,
        bad=lambda net: (Call("PATCH", f"{S}/{net['strategy'].pk}", {"score": 5}), "score"),
    ),
    ("DELETE", f"{S}/{{strategy_id}}"): Op(
        call=lambda net: Call("DELETE", f"{S}/{net['strategy'].pk}"),
        ok=204,
        stranger=NOT_FOUND,
        bad=lambda net: (Call("DELETE", f"{S}/x"), "strategy_id"),
    ),
    ("POST", f"{S}/{{strategy_id}}/uses"): Op(
        call=lambda net: Call("POST", f"{S}/{net['strategy'].pk}/uses", {"helped": 4}),
        ok=201,
        stranger=NOT_FOUND,
        bad=lambda net: (Call("POST", f"{S}/{net['strategy'].pk}/uses", {"helped": 6}), "helped"),
    ),
    ("GET", "/api/v1/people"): Op(
        call=lambda net: Call("GET", "/api/v1/people"),
        ok=200,
        stranger=EMPTY_LIST,
        bad=lambda net: (Call("GET", "/api/v1/people?circle=closest"), "circle"),
    ),
    ("POST", "/api/v1/people"): Op(
        call=lambda net: Call("POST", "/api/v1/people", PERSON),
        ok=201,
        stranger=OWN_DATA,
        bad=lambda net: (Call("POST", "/api/v1/people", {**PERSON, "roles": ["x"]}), "roles"),
    ),
    ("GET", "/api/v1/people/{person_id}"): Op(
        call=lambda net: Call("GET", f"/api/v1/people/{net['sam'].pk}"),
        ok=200,
        stranger=NOT_FOUND,
        bad=lambda net: (Call("GET", "/api/v1/people/sam"), "person_id"),
    ),
    ("PUT", "/api/v1/people/{person_id}"): Op(
        call=lambda net: Call("PUT", f"/api/v1/people/{net['sam'].pk}", PERSON),
        ok=200,
        stranger=NOT_FOUND,
        bad=lambda net: (Call("PUT", f"/api/v1/people/{net['sam'].pk}", {"circle": "x"}), "name"),
    ),
    ("PATCH", "/api/v1/people/{person_id}"): Op(
        call=lambda net: Call("PATCH", f"/api/v1/people/{net['sam'].pk}", {"circle": "outer"}),
        ok=200,
        stranger=NOT_FOUND,
        bad=lambda net: (
            Call("PATCH", f"/api/v1/people/{net['sam'].pk}", {"rhythm_days": -1}),
            "rhythm_days",
        ),
    ),
    ("DELETE", "/api/v1/people/{person_id}"): Op(
        call=lambda net: Call("DELETE", f"/api/v1/people/{net['sam'].pk}"),
        ok=204,
        stranger=NOT_FOUND,
        bad=lambda net: (Call("DELETE", "/api/v1/people/all"), "person_id"),
    ),
    ("GET", "/api/v1/groups"): Op(
        call=lambda net: Call("GET", "/api/v1/groups"),
        ok=200,
        stranger=EMPTY_LIST,
        bad=lambda net: (Call("GET", "/api/v1/groups?kind=gang"), "kind"),
    ),
    ("POST", "/api/v1/groups"): Op(
        call=lambda net: Call("POST", "/api/v1/groups", {**GROUP, "members": [net["sam"].pk]}),
        ok=201,
        stranger=REFUSED,
        refused_field="members",
        bad=lambda net: (Call("POST", "/api/v1/groups", {**GROUP, "schedule": "x"}), "schedule"),
    ),
    ("GET", "/api/v1/groups/{group_id}"): Op(
        call=lambda net: Call("GET", f"/api/v1/groups/{net['group'].pk}"),
        ok=200,
        stranger=NOT_FOUND,
        bad=lambda net: (Call("GET", "/api/v1/groups/tuesday"), "group_id"),
    ),
    ("PUT", "/api/v1/groups/{group_id}"): Op(
        call=lambda net: Call("PUT", f"/api/v1/groups/{net['group'].pk}", GROUP),
        ok=200,
        stranger=NOT_FOUND,
        bad=lambda net: (
            Call("PUT", f"/api/v1/groups/{net['group'].pk}", {**GROUP, "kind": "gang"}),
            "kind",
        ),
    ),
    ("PATCH", "/api/v1/groups/{group_id}"): Op(
        call=lambda net: Call("PATCH", f"/api/v1/groups/{net['group'].pk}", {"notes": "Hi"}),
        ok=200,
        stranger=NOT_FOUND,
        bad=lambda net: (
            Call("PATCH", f"/api/v1/groups/{net['group'].pk}", {"members": [10**9]}),
            "members",
        ),
    ),
    ("DELETE", "/api/v1/groups/{group_id}"): Op(
        call=lambda net: Call("DELETE", f"/api/v1/groups/{net['group'].pk}"),
        ok=204,
        stranger=NOT_FOUND,
        bad=lambda net: (Call("DELETE", "/api/v1/groups/1.5"), "group_id"),
    ),
    ("GET", "/api/v1/interactions"): Op(
        call=lambda net: Call("GET", f"/api/v1/interactions?person={net['sam'].pk}"),
        ok=200,
        stranger=EMPTY_LIST,
        bad=lambda net: (Call("GET", "/api/v1/interactions?since=soon"), "since"),
    ),
    ("POST", "/api/v1/interactions"): Op(
        call=lambda net: Call(
            "POST", "/api/v1/interactions", {**CONTACT, "people": [net["sam"].pk]}
        ),
        ok=201,
        stranger=REFUSED,
        refused_field="people",
        bad=lambda net: (Call("POST", "/api/v1/interactions", CONTACT), "people"),
    ),
    ("GET", "/api/v1/interactions/{interaction_id}"): Op(
        call=lambda net: Call("GET", f"/api/v1/interactions/{net['call'].pk}"),
        ok=200,
        stranger=NOT_FOUND,
        bad=lambda net: (Call("GET", "/api/v1/interactions/latest"), "interaction_id"),
    ),
    ("PUT", "/api/v1/interactions/{interaction_id}"): Op(
        call=lambda net: Call(
            "PUT", f"/api/v1/interactions/{net['call'].pk}", {**CONTACT, "group": net["group"].pk}
        ),
        ok=200,
        stranger=NOT_FOUND,
        bad=lambda net: (
            Call("PUT", f"/api/v1/interactions/{net['call'].pk}", {**CONTACT, "feeling": 7}),
            "feeling",
        ),
    ),
    ("PATCH", "/api/v1/interactions/{interaction_id}"): Op(
        call=lambda net: Call("PATCH", f"/api/v1/interactions/{net['call'].pk}", {"feeling": 5}),
        ok=200,
        stranger=NOT_FOUND,
        bad=lambda net: (
            Call("PATCH", f"/api/v1/interactions/{net['call'].pk}", {"channel": "pigeon"}),
            "channel",
        ),
    ),
    ("DELETE", "/api/v1/interactions/{interaction_id}"): Op(
        call=lambda net: Call("DELETE", f"/api/v1/interactions/{net['call'].pk}"),
        ok=204,
        stranger=NOT_FOUND,
        bad=lambda net: (Call("DELETE", "/api/v1/interactions/x"), "interaction_id"),
    ),
    ("GET", "/api/v1/export"): Op(
        call=lambda net: Call("GET", "/api/v1/export"),
        ok=200,
        stranger=OWN_DATA,
    ),
    ("POST", "/api/v1/import/vcard"): Op(
        call=lambda net: Call("POST", "/api/v1/import/vcard", files={"file": VCARD}),
        ok=200,
        stranger=OWN_DATA,
        bad=lambda net: (
            Call("POST", "/api/v1/import/vcard", files={"file": b"BEGIN:VCARD\nnot a line\n"}),
            "file",
        ),
    ),
    ("GET", "/api/v1/safety-plan"): Op(
        call=lambda net: Call("GET", "/api/v1/safety-plan"), ok=404, stranger=NOT_FOUND
    ),
    ("PUT", "/api/v1/safety-plan"): Op(
        call=lambda net: Call(
            "PUT",
            "/api/v1/safety-plan",
            {"sections": {"ask_for_help": {"items": ["Call Sam"], "people": [net["sam"].pk]}}},
        ),
        ok=201,
        stranger=REFUSED,
        refused_field="sections",
        bad=lambda net: (
            Call("PUT", "/api/v1/safety-plan", {"sections": {"bogus": {"items": ["x"]}}}),
            "sections",
        ),
    ),
    ("GET", "/api/v1/safety-plan/versions"): Op(
        call=lambda net: Call("GET", "/api/v1/safety-plan/versions"),
        ok=200,
        stranger=EMPTY_LIST,
        bad=lambda net: (Call("GET", "/api/v1/safety-plan/versions?limit=0"), "limit"),
    ),
    ("GET", "/api/v1/safety-plan/versions/{version}"): Op(
        call=lambda net: Call("GET", "/api/v1/safety-plan/versions/1"),
        ok=404,
        stranger=NOT_FOUND,
        bad=lambda net: (Call("GET", "/api/v1/safety-plan/versions/first"), "version"),
    ),
    ("GET", "/api/v1/crisis-lines"): Op(
        call=lambda net: Call("GET", "/api/v1/crisis-lines?country=GB"),
        ok=200,
        stranger=OWN_DATA,
        bad=lambda net: (Call("GET", "/api/v1/crisis-lines?country=GBR"), "country"),
    ),
    ("GET", A): Op(
        call=lambda net: Call("GET", f"{A}?status=scheduled&since=2024-01-01"),
        ok=200,
        stranger=EMPTY_LIST,
        bad=lambda net: (Call("GET", f"{A}?status=lost"), "status"),
    ),
    ("POST", A): Op(
        call=lambda net: Call("POST", A, {**APPOINTMENT, "person": net["ada"].pk}),
        ok=201,
        stranger=REFUSED,
        refused_field="person",
        bad=lambda net: (Call("POST", A, {**APPOINTMENT, "repeat": "FREQ=HOURLY"}), "repeat"),
    ),
    ("GET", f"{A}/attendance"): Op(
        call=lambda net: Call("GET", f"{A}/attendance"),
        ok=200,
        stranger=OWN_DATA,
        bad=lambda net: (Call("GET", f"{A}/attendance?window_days=0"), "window_days"),
    ),
    ("GET", f"{A}/{{appointment_id}}"): Op(
        call=lambda net: Call("GET", f"{A}/{_appointment(net)}"),
        ok=200,
        stranger=NOT_FOUND,
        bad=lambda net: (Call("GET", f"{A}/next"), "appointment_id"),
    ),
    ("PUT", f"{A}/{{appointment_id}}"): Op(
        call=lambda net: Call("PUT", f"{A}/{_appointment(net)}", APPOINTMENT),
        ok=200,
        stranger=NOT_FOUND,
        bad=lambda net: (
            Call("PUT", f"{A}/{_appointment(net)}", {**APPOINTMENT, "kind": "dentist"}),
            "kind",
        ),
    ),
    ("PATCH", f"{A}/{{appointment_id}}"): Op(
        call=lambda net: Call("PATCH", f"{A}/{_appointment(net)}", {"status": "attended"}),
        ok=200,
        stranger=NOT_FOUND,
        bad=lambda net: (Call("PATCH", f"{A}/{_appointment(net)}", {"person": 10**9}), "person"),
    ),
    ("DELETE", f"{A}/{{appointment_id}}"): Op(
        call=lambda net: Call("DELETE", f"{A}/{_appointment(net)}"),
        ok=204,
        stranger=NOT_FOUND,
        bad=lambda net: (Call("DELETE", f"{A}/{_appointment(net)}?scope=everything"), "scope"),
    ),
    ("POST", CI): Op(
        # A day the member has no check-in for, so both callers create one.
        call=lambda net: Call("POST", CI, {"date": "2024-06-04", "mood": 4}),
        ok=201,
        stranger=OWN_DATA,
        bad=lambda net: (Call("POST", CI, {"date": CHECKIN_DAY, "mood": 11}), "mood"),
    ),
    ("GET", CI): Op(
        call=lambda net: Call("GET", f"{CI}?from=2024-06-01&to=2024-06-30"),
        ok=200,
        stranger=EMPTY_LIST,
        bad=lambda net: (Call("GET", f"{CI}?from=soon"), "from"),
    ),
    ("GET", f"{CI}/{{day}}"): Op(
        call=lambda net: Call("GET", f"{CI}/{CHECKIN_DAY}"),
        ok=200,
        stranger=NOT_FOUND,
        bad=lambda net: (Call("GET", f"{CI}/today"), "day"),
    ),
    ("DELETE", f"{CI}/{{day}}"): Op(
        call=lambda net: Call("DELETE", f"{CI}/{CHECKIN_DAY}"),
        ok=204,
        stranger=NOT_FOUND,
        bad=lambda net: (Call("DELETE", f"{CI}/2024-02-30"), "day"),
    ),
    ("GET", IN): Op(
        call=lambda net: Call("GET", IN),
        ok=200,
        stranger=OWN_DATA,
        bad=lambda net: (Call("GET", f"{IN}?limit=0"), "limit"),
    ),
    ("GET", f"{IN}/{{code}}"): Op(
        call=lambda net: Call("GET", f"{IN}/phq9"), ok=200, stranger=OWN_DATA
    ),
    ("POST", AS): Op(
        call=lambda net: Call("POST", AS, PHQ9),
        ok=201,
        stranger=OWN_DATA,
        bad=lambda net: (Call("POST", AS, {**PHQ9, "answers": [0] * 8}), "answers"),
    ),
    ("GET", AS): Op(
        call=lambda net: Call("GET", f"{AS}?instrument=phq9"),
        ok=200,
        stranger=EMPTY_LIST,
        bad=lambda net: (Call("GET", f"{AS}?instrument=phq10"), "instrument"),
    ),
    ("GET", f"{AS}/{{assessment_id}}"): Op(
        call=lambda net: Call("GET", f"{AS}/{net['assessment'].pk}"),
        ok=200,
        stranger=NOT_FOUND,
        bad=lambda net: (Call("GET", f"{AS}/latest"), "assessment_id"),
    ),
    ("DELETE", f"{AS}/{{assessment_id}}"): Op(
        call=lambda net: Call("DELETE", f"{AS}/{net['assessment'].pk}"),
        ok=204,
        stranger=NOT_FOUND,
        bad=lambda net: (Call("DELETE", f"{AS}/all"), "assessment_id"),
    ),
    ("GET", QS): Op(
        call=lambda net: Call("GET", QS),
        ok=200,
        stranger=EMPTY_LIST,
        bad=lambda net: (Call("GET", f"{QS}?offset=-1"), "offset"),
    ),
    ("PUT", f"{QS}/{{code}}"): Op(
        call=lambda net: Call("PUT", f"{QS}/phq9", {"every_days": 7}),
        ok=200,
        stranger=OWN_DATA,
        bad=lambda net: (Call("PUT", f"{QS}/phq9", {"every_days": 0}), "every_days"),
    ),
    ("DELETE", f"{QS}/{{code}}"): Op(
        call=lambda net: Call("DELETE", f"{QS}/phq9"),
        ok=204,
        stranger=NOT_FOUND,
        bad=lambda net: (Call("DELETE", f"{QS}/phq10"), "code"),
    ),
    ("GET", RO): Op(
        call=lambda net: Call("GET", RO),
        ok=200,
        stranger=EMPTY_LIST,
        bad=lambda net: (Call("GET", f"{RO}?limit=0"), "limit"),
    ),
    ("POST", f"{RO}/{{person_id}}/pause"): Op(
        call=lambda net: Call("POST", f"{RO}/{net['sam'].pk}/pause", {"kind": "snooze", "days": 7}),
        ok=200,
        stranger=NOT_FOUND,
        bad=lambda net: (
            Call("POST", f"{RO}/{net['sam'].pk}/pause", {"kind": "snooze", "days": 5}),
            "days",
        ),
    ),
    ("DELETE", f"{RO}/{{person_id}}/pause"): Op(
        call=lambda net: Call("DELETE", f"{RO}/{net['sam'].pk}/pause"),
        ok=204,
        stranger=NOT_FOUND,
        bad=lambda net: (Call("DELETE", f"{RO}/sam/pause"), "person_id"),
    ),
    ("GET", CH): Op(
        call=lambda net: Call("GET", CH),
        ok=200,
        stranger=EMPTY_LIST,
        bad=lambda net: (Call("GET", f"{CH}?limit=0"), "limit"),
    ),
    ("POST", CH): Op(
        call=lambda net: Call("POST", CH, EMAIL_CHANNEL),
        ok=201,
        stranger=OWN_DATA,
        bad=lambda net: (Call("POST", CH, {"kind": "email", "config": {"address": "x"}}), "config"),
    ),
    ("GET", f"{CH}/{{channel_id}}"): Op(
        call=lambda net: Call("GET", f"{CH}/{_channel(net)}"),
        ok=200,
        stranger=NOT_FOUND,
        bad=lambda net: (Call("GET", f"{CH}/inbox"), "channel_id"),
    ),
    ("PATCH", f"{CH}/{{channel_id}}"): Op(
        call=lambda net: Call("PATCH", f"{CH}/{_channel(net)}", {"label": "Inbox"}),
        ok=200,
        stranger=NOT_FOUND,
        bad=lambda net: (
            Call("PATCH", f"{CH}/{_channel(net)}", {"quiet_from": "22:00"}),
            "quiet_until",
        ),
    ),
    ("DELETE", f"{CH}/{{channel_id}}"): Op(
        call=lambda net: Call("DELETE", f"{CH}/{_channel(net)}"),
        ok=204,
        stranger=NOT_FOUND,
        bad=lambda net: (Call("DELETE", f"{CH}/all"), "channel_id"),
    ),
    ("POST", f"{CH}/{{channel_id}}/verify"): Op(
        call=lambda net: Call("POST", f"{CH}/{_channel(net)}/verify", {"code": "123456"}),
        ok=200,
        stranger=NOT_FOUND,
        bad=lambda net: (
            Call("POST", f"{CH}/{_channel(net)}/verify", {"code": "1" * 30}),
            "code",
        ),
    ),
    ("POST", f"{CH}/{{channel_id}}/test"): Op(
        call=lambda net: Call("POST", f"{CH}/{_channel(net)}/test"),
        ok=200,
        stranger=NOT_FOUND,
        bad=lambda net: (Call("POST", f"{CH}/inbox/test"), "channel_id"),
    ),
    ("GET", OB): Op(
        call=lambda net: Call("GET", f"{OB}?status=pending"),
        ok=200,
        stranger=EMPTY_LIST,
        bad=lambda net: (Call("GET", f"{OB}?status=lost"), "status"),
    ),
    ("GET", f"{OB}/{{message_id}}"): Op(
        call=lambda net: Call("GET", f"{OB}/{_message(net)}"),
        ok=200,
        stranger=NOT_FOUND,
        bad=lambda net: (Call("GET", f"{OB}/latest"), "message_id"),
    ),
    ("GET", NP): Op(call=lambda net: Call("GET", NP), ok=200, stranger=OWN_DATA),
    ("PUT", NP): Op(
        call=lambda net: Call("PUT", NP, {"digest": "weekly", "digest_weekday": 6}),
        ok=200,
        stranger=OWN_DATA,
        bad=lambda net: (Call("PUT", NP, {"digest": "hourly"}), "digest"),
    ),
    ("GET", OC): Op(
        call=lambda net: Call("GET", OC),
        ok=200,
        stranger=EMPTY_LIST,
        bad=lambda net: (Call("GET", f"{OC}?limit=0"), "limit"),
    ),
    ("POST", OC): Op(
        call=lambda net: Call("POST", OC, {**OCCASION, "person": net["sam"].pk}),
        ok=201,
        stranger=REFUSED,
        refused_field="person",
        bad=lambda net: (Call("POST", OC, {**OCCASION, "kind": "birthday"}), "kind"),
    ),
    ("GET", f"{OC}/upcoming"): Op(
        call=lambda net: Call("GET", f"{OC}/upcoming"),
        ok=200,
        stranger=OWN_DATA,
        bad=lambda net: (Call("GET", f"{OC}/upcoming?from=2026-01-01&to=2027-06-01"), "to"),
    ),
    ("GET", f"{OC}/{{occasion_id}}"): Op(
        call=lambda net: Call("GET", f"{OC}/{_occasion(net)}"),
        ok=200,
        stranger=NOT_FOUND,
        bad=lambda net: (Call("GET", f"{OC}/someday"), "occasion_id"),
    ),
    ("PUT", f"{OC}/{{occasion_id}}"): Op(
        call=lambda net: Call("PUT", f"{OC}/{_occasion(net)}", OCCASION),
        ok=200,
        stranger=NOT_FOUND,
        bad=lambda net: (
            Call("PUT", f"{OC}/{_occasion(net)}", {**OCCASION, "day": "1850-01-01"}),
            "day",
        ),
    ),
    ("PATCH", f"{OC}/{{occasion_id}}"): Op(
        call=lambda net: Call("PATCH", f"{OC}/{_occasion(net)}", {"title": "When we met"}),
        ok=200,
        stranger=NOT_FOUND,
        bad=lambda net: (Call("PATCH", f"{OC}/{_occasion(net)}", {"person": 10**9}), "person"),
    ),
    ("DELETE", f"{OC}/{{occasion_id}}"): Op(
        call=lambda net: Call("DELETE", f"{OC}/{_occasion(net)}"),
        ok=204,
        stranger=NOT_FOUND,
        bad=lambda net: (Call("DELETE", f"{OC}/all"), "occasion_id"),
    ),
    ("GET", TH): Op(
        call=lambda net: Call("GET", TH),
        ok=200,
        stranger=EMPTY_LIST,
        bad=lambda net: (Call("GET", f"{TH}?limit=0"), "limit"),
    ),
    ("POST", TH): Op(
        call=lambda net: Call("POST", TH, {"person": net["sam"].pk, "text": "Thank you."}),
        ok=201,
        stranger=REFUSED,
        refused_field="person",
        bad=lambda net: (Call("POST", TH, {"text": "  "}), "text"),
    ),
    ("GET", f"{TH}/{{appreciation_id}}"): Op(
        call=lambda net: Call("GET", f"{TH}/{_appreciation(net)}"),
        ok=200,
        stranger=NOT_FOUND,
        bad=lambda net: (Call("GET", f"{TH}/soup"), "appreciation_id"),
    ),
    ("PUT", f"{TH}/{{appreciation_id}}"): Op(
        call=lambda net: Call("PUT", f"{TH}/{_appreciation(net)}", {"text": "Thank you, truly."}),
        ok=200,
        stranger=NOT_FOUND,
        bad=lambda net: (
            Call(
                "PUT",
                f"{TH}/{_appreciation(net)}",
                {"text": "Hi", "send_to": "sam@example.org"},
            ),
            "send_at",
        ),
    ),
    ("DELETE", f"{TH}/{{appreciation_id}}"): Op(
        call=lambda net: Call("DELETE", f"{TH}/{_appreciation(net)}"),
        ok=204,
        stranger=NOT_FOUND,
        bad=lambda net: (Call("DELETE", f"{TH}/all"), "appreciation_id"),
    ),
    ("GET", f"{INSIGHTS}/network"): Op(
        call=lambda net: Call("GET", f"{INSIGHTS}/network"),
        ok=200,
        stranger=OWN_DATA,
    ),
    ("GET", f"{INSIGHTS}/connection"): Op(
        call=lambda net: Call("GET", f"{INSIGHTS}/connection?from=2026-01-01&to=2026-06-30"),
        ok=200,
        stranger=OWN_DATA,
        bad=lambda net: (Call("GET", f"{INSIGHTS}/connection?from=2026-06-30&to=2026-01-01"), "to"),
    ),
    ("GET", SU): Op(
        call=lambda net: Call("GET", SU),
        ok=200,
        stranger=EMPTY_LIST,
        bad=lambda net: (Call("GET", f"{SU}?limit=0"), "limit"),
    ),
    ("GET", f"{SU}/{{supporter_id}}"): Op(
        call=lambda net: Call("GET", f"{SU}/{_supporter(net)}"),
        ok=200,
        stranger=NOT_FOUND,
        bad=lambda net: (Call("GET", f"{SU}/sam"), "supporter_id"),
    ),
    ("PATCH", f"{SU}/{{supporter_id}}"): Op(
        call=lambda net: Call("PATCH", f"{SU}/{_supporter(net)}", {"scopes": ["safety_plan"]}),
        ok=200,
        stranger=NOT_FOUND,
        bad=lambda net: (Call("PATCH", f"{SU}/{_supporter(net)}", {"scopes": ["notes"]}), "scopes"),
    ),
    ("DELETE", f"{SU}/{{supporter_id}}"): Op(
        call=lambda net: Call("DELETE", f"{SU}/{_supporter(net)}"),
        ok=204,
        stranger=NOT_FOUND,
        bad=lambda net: (Call("DELETE", f"{SU}/all"), "supporter_id"),
    ),
    ("GET", INV): Op(
        call=lambda net: Call("GET", INV),
        ok=200,
        stranger=EMPTY_LIST,
        bad=lambda net: (Call("GET", f"{INV}?limit=0"), "limit"),
    ),
    ("POST", INV): Op(
        call=lambda net: Call("POST", INV, {"person_id": net["sam"].pk, "scopes": ["goals"]}),
        ok=201,
        stranger=REFUSED,
        refused_field="person_id",
        bad=lambda net: (
            Call("POST", INV, {"person_id": net["sam"].pk, "scopes": ["notes"]}),
            "scopes",
        ),
    ),
    ("DELETE", f"{INV}/{{invitation_id}}"): Op(
        call=lambda net: Call("DELETE", f"{INV}/{_invitation(net)}"),
        ok=204,
        stranger=NOT_FOUND,
        bad=lambda net: (Call("DELETE", f"{INV}/all"), "invitation_id"),
    ),
    # A made-up token: accepting a real one is tests/api/test_invitations.py's.
    ("POST", f"{INV}/accept"): Op(
        call=lambda net: Call("POST", f"{INV}/accept", {"token": "A" * 43}),
        ok=404,
        stranger=NOT_FOUND,
        bad=lambda net: (Call("POST", f"{INV}/accept", {}), "token"),
    ),
    ("GET", HR): Op(
        call=lambda net: Call("GET", HR),
        ok=200,
        stranger=EMPTY_LIST,
        bad=lambda net: (Call("GET", f"{HR}?limit=0"), "limit"),
    ),
    ("POST", HR): Op(
        call=lambda net: Call(
            "POST", HR, {"message": "Rough night.", "supporter_ids": [_supporter(net)]}
        ),
        ok=201,
        stranger=REFUSED,
        refused_field="supporter_ids",
        bad=lambda net: (Call("POST", HR, {"message": "  "}), "message"),
    ),
    ("GET", f"{HR}/{{help_request_id}}"): Op(
        call=lambda net: Call("GET", f"{HR}/{_help_request(net)}"),
        ok=200,
        stranger=NOT_FOUND,
        bad=lambda net: (Call("GET", f"{HR}/soup"), "help_request_id"),
    ),
    ("GET", RU): Op(
        call=lambda net: Call("GET", RU),
        ok=200,
        stranger=OWN_DATA,
        bad=lambda net: (Call("GET", f"{RU}?offset=-1"), "offset"),
    ),
    ("GET", f"{RU}/firings"): Op(
        call=lambda net: Call("GET", f"{RU}/firings"),
        ok=200,
        stranger=EMPTY_LIST,
        bad=lambda net: (Call("GET", f"{RU}/firings?limit=0"), "limit"),
    ),
    ("PUT", f"{RU}/{{kind}}"): Op(
        call=lambda net: Call("PUT", f"{RU}/stress_high", RULE),
        ok=200,
        stranger=OWN_DATA,
        bad=lambda net: (
            Call("PUT", f"{RU}/stress_high", {**RULE, "days_needed": 6}),
            "days_needed",
        ),
    ),
    ("GET", SP): Op(
        call=lambda net: Call("GET", SP),
        ok=200,
        stranger=EMPTY_LIST,
        bad=lambda net: (Call("GET", f"{SP}?limit=0"), "limit"),
    ),
    ("GET", f"{SP}/{{link_id}}"): Op(
        call=lambda net: Call("GET", f"{SP}/{_supported(net)}"),
        ok=200,
        stranger=NOT_FOUND,
        bad=lambda net: (Call("GET", f"{SP}/kit"), "link_id"),
    ),
    ("GET", f"{SP}/{{link_id}}/mood-trend"): Op(
        call=lambda net: Call("GET", f"{SP}/{_supported(net)}/mood-trend"),
        ok=200,
        stranger=NOT_FOUND,
        bad=lambda net: (Call("GET", f"{SP}/{_supported(net)}/mood-trend?weeks=0"), "weeks"),
    ),
    ("GET", f"{SP}/{{link_id}}/safety-plan"): Op(
        call=lambda net: Call("GET", f"{SP}/{_supported(net)}/safety-plan"),
        ok=200,
        stranger=NOT_FOUND,
        bad=lambda net: (Call("GET", f"{SP}/kit/safety-plan"), "link_id"),
    ),
    ("GET", f"{SP}/{{link_id}}/goals"): Op(
        call=lambda net: Call("GET", f"{SP}/{_supported(net)}/goals"),
        ok=200,
        stranger=NOT_FOUND,
        bad=lambda net: (Call("GET", f"{SP}/{_supported(net)}/goals?limit=0"), "limit"),
    ),
    ("GET", f"{SP}/{{link_id}}/help-requests"): Op(
        call=lambda net: Call("GET", f"{SP}/{_supported(net)}/help-requests"),
        ok=200,
        stranger=NOT_FOUND,
        bad=lambda net: (Call("GET", f"{SP}/{_supported(net)}/help-requests?offset=-1"), "offset"),
    ),
    ("POST", f"{SP}/{{link_id}}/encouragements"): Op(
        call=lambda net: Call("POST", f"{SP}/{_supported(net)}/encouragements", {"text": "Hi."}),
        ok=201,
        stranger=NOT_FOUND,
        bad=lambda net: (
            Call("POST", f"{SP}/{_supported(net)}/encouragements", {"text": " "}),
            "text",
        ),
    ),
    ("GET", EN): Op(
        call=lambda net: Call("GET", EN),
        ok=200,
        stranger=EMPTY_LIST,
        bad=lambda net: (Call("GET", f"{EN}?favourite=maybe"), "favourite"),
    ),
    ("PATCH", f"{EN}/{{encouragement_id}}"): Op(
        call=lambda net: Call("PATCH", f"{EN}/{_encouragement(net)}", {"favourite": True}),
        ok=200,
        stranger=NOT_FOUND,
        bad=lambda net: (
            Call("PATCH", f"{EN}/{_encouragement(net)}", {"favourite": "often"}),
            "favourite",
        ),
    ),
    ("DELETE", f"{EN}/{{encouragement_id}}"): Op(
        call=lambda net: Call("DELETE", f"{EN}/{_encouragement(net)}"),
        ok=204,
        stranger=NOT_FOUND,
        bad=lambda net: (Call("DELETE", f"{EN}/all"), "encouragement_id"),
    ),
    ("GET", "/api/v1/access-log"): Op(
        call=lambda net: Call("GET", "/api/v1/access-log"),
        ok=200,
        stranger=EMPTY_LIST,
        bad=lambda net: (Call("GET", "/api/v1/access-log?supporter=kit"), "supporter"),
    ),
}

TABLE = sorted(OPERATIONS)
TABLE_IDS = [f"{method} {path}" for method, path in TABLE]
WITH_BAD_INPUT = [key for key in TABLE if OPERATIONS[key].bad is not None]

# What the member owns that no stranger may ever see in an answer.
MEMBERS_WORDS = ["Sam Rivera", "Ada Okafor", "Tuesday peer group", "Talked it through."]


def test_every_operation_in_the_openapi_document_is_in_the_table(client, db):
    document = client.get("/api/v1/openapi.json").json()
    documented = {
        (method.upper(), path)
        for path, item in document["paths"].items()
        for method in item
        if method in HTTP_METHODS
    }
    assert documented == set(OPERATIONS)


@pytest.mark.parametrize("key", TABLE, ids=TABLE_IDS)
def test_without_a_token_every_operation_gets_401_and_changes_nothing(
    anonymous_api, member, network, key
):
    before = network_state(member)
    response = anonymous_api.send(OPERATIONS[key].call(network))
    assert response.status_code == 401
    assert "API token" in response.json()["detail"]
    assert network_state(member) == before
    assert Person.objects.count() == 2


@pytest.mark.parametrize("key", TABLE, ids=TABLE_IDS)
def test_the_member_can_call_every_operation(api, network, key):
    op = OPERATIONS[key]
    response = api.send(op.call(network))
    assert response.status_code == op.ok, response.content


@pytest.mark.parametrize("key", WITH_BAD_INPUT, ids=[f"{m} {p}" for m, p in WITH_BAD_INPUT])
def test_bad_input_gets_422_naming_the_field_and_changes_nothing(api, member, network, key):
    call, field = OPERATIONS[key].bad(network)
    before = network_state(member)
    response = api.send(call)
    assert field in error_fields(response)
    assert network_state(member) == before


@pytest.mark.parametrize("key", TABLE, ids=TABLE_IDS)
def test_a_stranger_never_reaches_the_members_data(stranger_api, member, network, key):
    op = OPERATIONS[key]
    before = network_state(member)
    response = stranger_api.send(op.call(network))
    if op.stranger == NOT_FOUND:
        assert response.status_code == 404
    elif op.stranger == EMPTY_LIST:
        assert response.status_code == 200
        assert response.json() == {"items": [], "count": 0}
    elif op.stranger == REFUSED:
        assert op.refused_field in error_fields(response)
    else:
        assert op.stranger == OWN_DATA
        assert response.status_code == op.ok, response.content
    for word in MEMBERS_WORDS:
        assert word not in response.content.decode()
    assert network_state(member) == before


def test_the_stranger_table_covers_every_kind_of_answer():
    # Guards the table itself: a typo in a `stranger` value would skip its checks.
    kinds = {op.stranger for op in OPERATIONS.values()}
    assert kinds == {NOT_FOUND, EMPTY_LIST, OWN_DATA, REFUSED}
