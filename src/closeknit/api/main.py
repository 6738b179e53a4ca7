"""The NinjaAPI behind /api/v1/: its routers, its security scheme and its error answers."""

from __future__ import annotations

from ninja import NinjaAPI, Swagger
from ninja.operation import Operation

from closeknit.api import (
    access_log,
    appointments,
    appreciations,
    assessments,
    channels,
    checkins,
    coping,
    crisis_lines,
    encouragements,
    errors,
    goals,
    groups,
    help_requests,
    insights,
    instruments,
    interactions,
    invitations,
    occasions,
    outbox,
    people,
    questionnaire_schedules,
    reach_out,
    rules,
    safety_plan,
    supporters,
    supporting,
    transfer,
)
from closeknit.api.auth import BearerToken

DESCRIPTION = """\
Your Closeknit as JSON: the people in your network, your groups and the log of contact;
your recovery plan (goals, appointments, coping strategies, the safety plan and crisis
lines); your daily check-ins and questionnaires with their scores; keeping in touch (the
reach-out list, occasions, notes of thanks); and your notification channels, reminder
preferences and the outbox of what was sent; and insights: your network's health and
what connection does for your stress and mood.

Every call needs an API token, sent as `Authorization: Bearer <token>`. Create one
under Settings → API tokens, or with `closeknit token create EMAIL`. A token reaches
only its owner's data.

Lists come in pages (`limit`, at most 500, and `offset`) as `{"items": [...], "count": n}`.
Date-times without an offset are read in your time zone; answers are in UTC.
"""


class CloseknitAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        # "list_people" rather than the module path: the names clients generate from.
        return operation.view_func.__name__


api = CloseknitAPI(
    title="Closeknit API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    auth=BearerToken(),
    docs=Swagger(),  # served from ninja's own static files, never a CDN
    docs_url="/docs",
)
errors.install(api)
api.add_router("/people", people.router)
api.add_router("/groups", groups.router)
api.add_router("/interactions", interactions.router)
api.add_router("", transfer.router)
api.add_router("/goals", goals.router)
api.add_router("/appointments", appointments.router)
api.add_router("/coping-strategies", coping.router)
api.add_router("/safety-plan", safety_plan.router)
api.add_router("/crisis-lines", crisis_lines.router)
api.add_router("/checkins", checkins.router)
api.add_router("/instruments", instruments.router)
api.add_router("/assessments", assessments.router)
api.add_router("/questionnaire-schedules", questionnaire_schedules.router)
api.add_router("/reach-out", reach_out.router)
api.add_router("/occasions", occasions.router)
api.add_router("/appreciations", appreciations.router)
api.add_router("/channels", channels.router)
api.add_router("/notification-preferences", channels.preferences_router)
api.add_router("/outbox", outbox.router)
api.add_router("/insights", insights.router)
api.add_router("/supporters", supporters.router)
api.add_router("/invitations", invitations.router)
api.add_router("/help-requests", help_requests.router)
api.add_router("/rules", rules.router)
api.add_router("/encouragements", encouragements.router)
api.add_router("/supporting", supporting.router)
api.add_router("/access-log", access_log.router)
