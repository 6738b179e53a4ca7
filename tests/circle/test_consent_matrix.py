"""THE consent matrix: a supporter sees exactly what the member grants, and 404 otherwise.

Every supporter-facing page (the `/supporting/...` routes, in SUPPORTER_ROUTES) and every
`/api/v1/supporting/...` operation (in SUPPORTER_OPERATIONS) is walked for each scope
combination that matters (nothing, each single scope, everything):

- granted → 200, showing that part's data and no other part's, and never what is never
  shared (check-in notes, reflections, "why it matters", archived or reached goals);
- not granted, an ended link, a stranger, another member's link id → 404, logging nothing
  and changing nothing;
- signed out → the sign-in page (pages) or 401 (API);
- a revoke takes effect on the very next request;
- each look writes exactly one line to the member's access log, with its part and "via".

The first tests fail when a route or an operation is missing from the tables, so a new
supporter-facing page cannot ship without its row here.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import pytest
from django.urls import get_resolver, reverse
from django.utils import timezone

from closeknit.accounts.models import ApiToken, User
from closeknit.circle import grants, trend
from closeknit.circle.models import (
    OVERVIEW,
    AccessEntry,
    Encouragement,
    HelpAnswer,
    HelpRequest,
    Link,
)
from closeknit.circle.sharing import SUPPORTER_LABELS
from closeknit.circle.vocab import AccessAction, EndedBy, Scope, Via
from closeknit.lib.days import local_day
from closeknit.network.models import Person
from closeknit.recovery.goals_forms import add_steps
from closeknit.recovery.models import Goal, GoalReflection, SafetyPlanVersion
from closeknit.wellbeing.models import CheckIn
from tests.api.conftest import ApiClient
from tests.test_tenancy import walk

pytestmark = pytest.mark.django_db

ALL = tuple(Scope.values)
COMBOS = [(), *[(scope,) for scope in ALL], ALL]
COMBO_IDS = ["none", *ALL, "all"]

# What each scope shows, as words that appear only where that scope's data is.
MOOD_MARK = "mood 3.5 and stress 8.5"  # last week's means, in the chart's words
MOOD_JSON = {"mood": 3.5, "mood_days": 2, "stress": 8.5, "stress_days": 2}
PLAN_MARK = "Hold the cat and breathe slowly"
GOAL_MARK = "Walk to the river twice a week"
STEP_MARK = "Find my walking shoes"
HELP_MARK = "Could you call me tonight"
MARKS = {
    Scope.MOOD_TREND: MOOD_MARK,
    Scope.SAFETY_PLAN: PLAN_MARK,
    Scope.GOALS: GOAL_MARK,
    Scope.HELP_REQUESTS: HELP_MARK,
}
# What is never shared, whatever the scopes.
NEVER = (
    "Cried at the bus stop",  # a check-in's note
    "Slept badly again",  # another
    "Because I miss the water",  # a goal's "why it matters"
    "The first walk was hard",  # a reflection
    "Learn the guitar",  # an archived goal
    "Go back to choir",  # a goal already reached
    "ada@example.org",  # an e-mail address of someone on the plan
    "Ada's notes about her sister",  # the member's notes about that person
    "member@example.org",  # the member's own address
)


@dataclass(frozen=True)
class Route:
    """A supporter-facing page that names one object (`pk`)."""

    scope: str | None  # the scope it needs; None: any active link will do
    logs: str | None  # the part a look writes to the access log; None: it shows no data
    mark: str | None = None  # words it shows when granted
    target: str = "link"  # what the pk is: the link, or a help request's "answer"
    post: dict[str, str] | None = None  # a POST that would change something, if it has one


SUPPORTER_HOME = "circle:supporting"  # no object: it lists the caller's own links
SUPPORTER_ROUTES: dict[str, Route] = {
    "circle:supporting-member": Route(None, OVERVIEW),
    "circle:supporting-mood": Route(Scope.MOOD_TREND, Scope.MOOD_TREND, MOOD_MARK),
    "circle:supporting-safety-plan": Route(Scope.SAFETY_PLAN, Scope.SAFETY_PLAN, PLAN_MARK),
    "circle:supporting-goals": Route(Scope.GOALS, Scope.GOALS, GOAL_MARK),
    "circle:supporting-encourage": Route(None, None, post={"text": "Thinking of you."}),
    "circle:supporting-answer": Route(
        Scope.HELP_REQUESTS, None, HELP_MARK, target="answer", post={"choice": "reaching_out"}
    ),
    # Helper A's: leaving the circle, from the supporter's side.
    "circle:supporting-leave": Route(None, None, post={}),
}
ROUTE_NAMES = sorted(SUPPORTER_ROUTES)


@dataclass(frozen=True)
class Operation:
    scope: str | None
    logs: str | None
    ok: int = 200
    body: dict[str, Any] | None = None
    check: Callable[[Any], None] | None = None  # what a granted answer must hold


def _mood_weeks(body: Any) -> None:
    last_week = body["weeks"][-1]
    assert {key: last_week[key] for key in MOOD_JSON} == MOOD_JSON
    assert len(body["weeks"]) == trend.WEEKS


def _plan(body: Any) -> None:
    sections = {section["slug"]: section for section in body["sections"]}
    assert sections["on_my_own"]["items"] == [PLAN_MARK]
    assert sections["ask_for_help"]["people"] == [
        {"name": "Ada Okafor", "phone": "+44 7700 900456", "removed": False}
    ]


def _goals(body: Any) -> None:
    assert [goal["title"] for goal in body["items"]] == [GOAL_MARK]
    assert body["items"][0]["steps"] == [{"title": STEP_MARK, "done": False}]


def _help(body: Any) -> None:
    assert [item["message"] for item in body["items"]] == [f"{HELP_MARK}?"]


SUPPORTING = "/api/v1/supporting"
SUPPORTER_LIST = ("GET", SUPPORTING)  # no object: the caller's own links
SUPPORTER_OPERATIONS: dict[tuple[str, str], Operation] = {
    ("GET", f"{SUPPORTING}/{{link_id}}"): Operation(None, OVERVIEW),
    ("GET", f"{SUPPORTING}/{{link_id}}/mood-trend"): Operation(
        Scope.MOOD_TREND, Scope.MOOD_TREND, check=_mood_weeks
    ),
    ("GET", f"{SUPPORTING}/{{link_id}}/safety-plan"): Operation(
        Scope.SAFETY_PLAN, Scope.SAFETY_PLAN, check=_plan
    ),
    ("GET", f"{SUPPORTING}/{{link_id}}/goals"): Operation(Scope.GOALS, Scope.GOALS, check=_goals),
    ("GET", f"{SUPPORTING}/{{link_id}}/help-requests"): Operation(
        Scope.HELP_REQUESTS, Scope.HELP_REQUESTS, check=_help
    ),
    ("POST", f"{SUPPORTING}/{{link_id}}/encouragements"): Operation(
        None, None, ok=201, body={"text": "Thinking of you."}
    ),
}
OPERATION_KEYS = sorted(SUPPORTER_OPERATIONS)
OPERATION_IDS = [f"{method} {path}" for method, path in OPERATION_KEYS]


# The world: Robin (the member), Sam (their supporter) and what Robin could share ----------


@pytest.fixture
def member_data(member: User) -> SimpleNamespace:
    """Robin's check-ins, safety plan and goals, with everything that is never shared."""
    today = local_day(timezone.now(), member.zone)
    last_monday = trend.monday(today) - dt.timedelta(weeks=1)
    CheckIn.objects.create(
        owner=member, day=last_monday, mood=3, stress=8, note="Cried at the bus stop"
    )
    CheckIn.objects.create(
        owner=member,
        day=last_monday + dt.timedelta(days=1),
        mood=4,
        stress=9,
        sleep_hours=4,
        note="Slept badly again",
    )
    ada = Person.objects.create(
        owner=member,
        name="Ada Okafor",
        phone="+44 7700 900456",
        email="ada@example.org",
        notes="Ada's notes about her sister",
    )
    SafetyPlanVersion.objects.create(
        owner=member,
        sections={"on_my_own": {"items": [PLAN_MARK]}, "ask_for_help": {"people": [ada.pk]}},
    )
    goal = Goal.objects.create(owner=member, title=GOAL_MARK, why="Because I miss the water")
    add_steps(goal, [STEP_MARK])
    GoalReflection.objects.create(owner=member, goal=goal, text="The first walk was hard")
    now = timezone.now()
    Goal.objects.create(owner=member, title="Learn the guitar", archived_at=now)
    Goal.objects.create(owner=member, title="Go back to choir", completed_at=now)
    return SimpleNamespace(goal=goal, ada=ada)


def ask(link: Any) -> HelpAnswer:
    """Robin asks for support, and the request is addressed to the link's supporter."""
    request = HelpRequest.objects.create(
        owner=link.owner, message=f"{HELP_MARK}?", client_key=f"key-{link.pk}"
    )
    return HelpAnswer.objects.create(
        owner=link.owner,
        request=request,
        link=link,
        supporter=link.supporter,
        supporter_name=grants.supporter_name(link),
    )


@pytest.fixture
def share(make_link: Any, member: User, supporter: User, member_data: Any) -> Callable[..., Any]:
    """Sam's link to Robin with `scopes`, and Robin's open request to Sam."""

    def make(scopes: tuple[str, ...]) -> SimpleNamespace:
        link = make_link(member, supporter, scopes)
        return SimpleNamespace(link=link, answer=ask(link))

    return make


def url(name: str, world: SimpleNamespace) -> str:
    target = world.answer if SUPPORTER_ROUTES[name].target == "answer" else world.link
    return reverse(name, kwargs={"pk": target.pk})


def granted(needed: str | None, scopes: tuple[str, ...]) -> bool:
    return needed is None or needed in scopes


def log_lines(member: User) -> list[tuple[str, str, str]]:
    return list(
        AccessEntry.objects.filter(owner=member, action=AccessAction.VIEWED)
        .order_by("id")
        .values_list("part", "via", "supporter_name")
    )


def state(member: User) -> dict[str, Any]:
    """Everything a supporter's request could change, fresh from the database."""
    return {
        "log": list(AccessEntry.objects.filter(owner=member).values_list("pk", flat=True)),
        "notes": Encouragement.objects.filter(owner=member).count(),
        "answers": list(
            HelpAnswer.objects.filter(owner=member).values_list("answer", "answered_at")
        ),
        "links": list(Link.objects.filter(owner=member).values_list("ended_at", "scopes", "pk")),
    }


def text(response: Any) -> str:
    """The answer's text as a reader sees it (entities such as &#x27; unescaped)."""
    return html.unescape(response.content.decode())


def assert_never_shared(body: str) -> None:
    for words in NEVER:
        assert words not in body, words


# The tables are complete -----------------------------------------------------------------


def test_every_supporter_page_is_in_the_table():
    names = {name for name, _pattern in walk(get_resolver().url_patterns)}
    supporting = {name for name in names if name.startswith("circle:supporting")}
    assert supporting == {SUPPORTER_HOME, *SUPPORTER_ROUTES}


def test_every_supporting_operation_is_in_the_table(client):
    document = client.get("/api/v1/openapi.json").json()
    documented = {
        (method.upper(), path)
        for path, item in document["paths"].items()
        for method in item
        if path.startswith(SUPPORTING) and method in {"get", "post", "put", "patch", "delete"}
    }
    assert documented == {SUPPORTER_LIST, *SUPPORTER_OPERATIONS}


# Pages ------------------------------------------------------------------------------------


@pytest.mark.parametrize("scopes", COMBOS, ids=COMBO_IDS)
@pytest.mark.parametrize("name", ROUTE_NAMES)
def test_a_supporter_sees_exactly_what_is_granted(name, scopes, share, member, supporter_client):
    route = SUPPORTER_ROUTES[name]
    world = share(scopes)
    response = supporter_client.get(url(name, world))
    if not granted(route.scope, scopes):
        assert response.status_code == 404
        assert log_lines(member) == []
        return
    assert response.status_code == 200
    body = text(response)
    assert_never_shared(body)
    if route.mark:
        assert route.mark in body
    for scope, mark in MARKS.items():
        if mark != route.mark and not (name == "circle:supporting-member" and scope in scopes):
            assert mark not in body, (scope, name)
    expected = [(route.logs, Via.WEB, "Sam")] if route.logs else []
    assert log_lines(member) == expected


@pytest.mark.parametrize("scopes", COMBOS, ids=COMBO_IDS)
def test_the_member_page_shows_only_the_granted_parts(scopes, share, supporter_client):
    world = share(scopes)
    body = text(supporter_client.get(url("circle:supporting-member", world)))
    for scope in ALL:
        assert (SUPPORTER_LABELS[scope] in body) == (scope in scopes), scope
    part_links = {
        Scope.MOOD_TREND: "circle:supporting-mood",
        Scope.SAFETY_PLAN: "circle:supporting-safety-plan",
        Scope.GOALS: "circle:supporting-goals",
    }
    for scope, part in part_links.items():
        assert (f'href="{url(part, world)}"' in body) == (scope in scopes), scope
    # Only their requests to Sam show, and only while Robin shares them; no other data.
    assert (HELP_MARK in body) == (Scope.HELP_REQUESTS in scopes)
    for mark in (MOOD_MARK, PLAN_MARK, GOAL_MARK):
        assert mark not in body
    assert_never_shared(body)


@pytest.mark.parametrize("scopes", COMBOS, ids=COMBO_IDS)
def test_the_supporter_home_lists_names_and_granted_scopes_only(
    scopes, share, member, supporter_client
):
    share(scopes)
    body = text(supporter_client.get(reverse(SUPPORTER_HOME)))
    assert "Robin" in body
    for scope in ALL:
        assert (SUPPORTER_LABELS[scope] in body) == (scope in scopes), scope
    assert (HELP_MARK in body) == (Scope.HELP_REQUESTS in scopes)
    for mark in (MOOD_MARK, PLAN_MARK, GOAL_MARK):
        assert mark not in body
    assert_never_shared(body)
    assert log_lines(member) == []  # names and scopes only: nothing to log


@pytest.mark.parametrize("scopes", COMBOS, ids=COMBO_IDS)
def test_the_supporters_own_home_page_names_them_and_requests_only_when_shared(
    scopes, share, member, supporter_client
):
    share(scopes)
    body = text(supporter_client.get(reverse("network:home")))
    assert "People you support" in body and "Robin" in body
    assert (HELP_MARK in body) == (Scope.HELP_REQUESTS in scopes)
    for mark in (MOOD_MARK, PLAN_MARK, GOAL_MARK):
        assert mark not in body
    assert_never_shared(body)
    assert log_lines(member) == []


@pytest.mark.parametrize("by", [EndedBy.MEMBER, EndedBy.SUPPORTER])
@pytest.mark.parametrize("name", ROUTE_NAMES)
def test_an_ended_link_gets_404(name, by, share, member, supporter_client):
    world = share(ALL)
    grants.end(world.link, by)
    before = state(member)
    assert supporter_client.get(url(name, world)).status_code == 404
    post = SUPPORTER_ROUTES[name].post
    if post is not None:
        assert supporter_client.post(url(name, world), post).status_code == 404
    assert state(member) == before
    for home in (SUPPORTER_HOME, "network:home"):
        assert "Robin" not in text(supporter_client.get(reverse(home)))


@pytest.mark.parametrize("name", ROUTE_NAMES)
def test_a_member_whose_account_is_closed_is_404(name, share, member, supporter_client):
    world = share(ALL)
    User.objects.filter(pk=member.pk).update(is_active=False)
    assert supporter_client.get(url(name, world)).status_code == 404


@pytest.mark.parametrize("name", ROUTE_NAMES)
def test_a_stranger_gets_404_and_changes_nothing(name, share, member, stranger_client):
    world = share(ALL)
    before = state(member)
    assert stranger_client.get(url(name, world)).status_code == 404
    post = SUPPORTER_ROUTES[name].post
    if post is not None:
        assert stranger_client.post(url(name, world), post).status_code == 404
    assert state(member) == before
    for name in (SUPPORTER_HOME, "network:home"):
        home = text(stranger_client.get(reverse(name)))
        assert "Robin" not in home and HELP_MARK not in home


@pytest.mark.parametrize("name", ROUTE_NAMES)
def test_the_member_themselves_gets_404_on_the_supporter_side(name, share, member, member_client):
    world = share(ALL)
    assert member_client.get(url(name, world)).status_code == 404


@pytest.mark.parametrize("name", ROUTE_NAMES)
def test_another_members_link_id_is_404(
    name, share, make_link, make_user, member, supporter_client
):
    share(ALL)
    other = make_user("kit@example.org", display_name="Kit")
    their_supporter = make_user("lee@example.org", display_name="Lee")
    other_world = SimpleNamespace(link=make_link(other, their_supporter, ALL))
    other_world.answer = ask(other_world.link)
    before = state(other)
    assert supporter_client.get(url(name, other_world)).status_code == 404
    post = SUPPORTER_ROUTES[name].post
    if post is not None:
        assert supporter_client.post(url(name, other_world), post).status_code == 404
    assert state(other) == before


@pytest.mark.parametrize("name", [SUPPORTER_HOME, *ROUTE_NAMES])
def test_signed_out_is_sent_to_sign_in(name, share, member, client):
    world = share(ALL)
    target = reverse(name) if name == SUPPORTER_HOME else url(name, world)
    response = client.get(target)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert log_lines(member) == []


@pytest.mark.parametrize(
    "name", [name for name in ROUTE_NAMES if SUPPORTER_ROUTES[name].scope is not None]
)
def test_revoking_takes_effect_on_the_very_next_request(name, share, supporter_client):
    world = share(ALL)
    assert supporter_client.get(url(name, world)).status_code == 200
    scope = SUPPORTER_ROUTES[name].scope
    grants.set_scopes(world.link, [other for other in ALL if other != scope])
    assert supporter_client.get(url(name, world)).status_code == 404
    grants.set_scopes(world.link, ALL)
    assert supporter_client.get(url(name, world)).status_code == 200


def test_each_look_is_one_line_in_the_members_log(share, member, supporter_client):
    world = share(ALL)
    for name in ROUTE_NAMES:
        supporter_client.get(url(name, world))
    assert log_lines(member) == [
        (SUPPORTER_ROUTES[name].logs, Via.WEB, "Sam")
        for name in ROUTE_NAMES
        if SUPPORTER_ROUTES[name].logs
    ]


# The API ----------------------------------------------------------------------------------


@pytest.fixture
def supporter_api(supporter: User) -> ApiClient:
    return ApiClient(ApiToken.issue(supporter, "tests")[1])


def call(api: ApiClient, key: tuple[str, str], link_id: int) -> Any:
    method, path = key
    operation = SUPPORTER_OPERATIONS[key]
    target = path.replace("{link_id}", str(link_id))
    if method == "POST":
        return api.post(target, operation.body)
    return api.get(target)


@pytest.mark.parametrize("scopes", COMBOS, ids=COMBO_IDS)
@pytest.mark.parametrize("key", OPERATION_KEYS, ids=OPERATION_IDS)
def test_the_api_answers_exactly_what_is_granted(key, scopes, share, member, supporter_api):
    operation = SUPPORTER_OPERATIONS[key]
    world = share(scopes)
    response = call(supporter_api, key, world.link.pk)
    if not granted(operation.scope, scopes):
        assert response.status_code == 404
        assert log_lines(member) == []
        return
    assert response.status_code == operation.ok, response.content
    body = text(response)
    assert_never_shared(body)
    own = MARKS.get(operation.scope) if operation.scope else None
    for mark in (PLAN_MARK, GOAL_MARK, HELP_MARK):
        if mark != own:
            assert mark not in body
    if operation.check is not None:
        operation.check(json.loads(body))
    expected = [(operation.logs, Via.API, "Sam")] if operation.logs else []
    assert log_lines(member) == expected


@pytest.mark.parametrize("scopes", COMBOS, ids=COMBO_IDS)
def test_the_api_list_gives_names_and_granted_scopes_only(
    scopes, share, member, supporter_api, stranger_token
):
    world = share(scopes)
    body = supporter_api.get(SUPPORTING).json()
    assert body["count"] == 1
    [item] = body["items"]
    assert item["id"] == world.link.pk
    assert item["member_name"] == "Robin"
    assert item["scopes"] == list(scopes)
    assert set(item) == {"id", "member_name", "scopes", "since"}
    assert log_lines(member) == []
    assert ApiClient(stranger_token).get(SUPPORTING).json() == {"items": [], "count": 0}


@pytest.mark.parametrize("key", OPERATION_KEYS, ids=OPERATION_IDS)
def test_the_api_refuses_strangers_ended_links_and_other_members_links(
    key, share, make_link, make_user, member, supporter, supporter_api, stranger_token
):
    world = share(ALL)
    before = state(member)
    assert call(ApiClient(stranger_token), key, world.link.pk).status_code == 404
    assert call(ApiClient(None), key, world.link.pk).status_code == 401
    other = make_user("kit@example.org", display_name="Kit")
    theirs = make_link(other, make_user("lee@example.org"), ALL)
    assert call(supporter_api, key, theirs.pk).status_code == 404
    assert call(supporter_api, key, 10**9).status_code == 404
    assert state(member) == before
    grants.end(world.link, EndedBy.MEMBER)
    assert call(supporter_api, key, world.link.pk).status_code == 404
    assert log_lines(member) == []


@pytest.mark.parametrize(
    "key", [key for key in OPERATION_KEYS if SUPPORTER_OPERATIONS[key].scope], ids=str
)
def test_the_api_sees_a_revoke_on_the_very_next_request(key, share, supporter_api):
    world = share(ALL)
    assert call(supporter_api, key, world.link.pk).status_code == 200
    scope = SUPPORTER_OPERATIONS[key].scope
    grants.set_scopes(world.link, [other for other in ALL if other != scope])
    assert call(supporter_api, key, world.link.pk).status_code == 404


def test_a_supporter_of_two_members_sees_each_only_through_its_own_link(
    share, make_link, make_user, supporter, supporter_client
):
    world = share((Scope.GOALS,))
    kit = make_user("kit@example.org", display_name="Kit")
    Goal.objects.create(owner=kit, title="Kit's own goal")
    kits = make_link(kit, supporter, (Scope.MOOD_TREND,))
    robin_goals = text(supporter_client.get(url("circle:supporting-goals", world)))
    assert GOAL_MARK in robin_goals and "Kit's own goal" not in robin_goals
    kit_world = SimpleNamespace(link=kits, answer=None)
    assert supporter_client.get(url("circle:supporting-goals", kit_world)).status_code == 404
    assert supporter_client.get(url("circle:supporting-mood", kit_world)).status_code == 200
    assert AccessEntry.objects.filter(owner=kit, part=Scope.MOOD_TREND).count() == 1
    assert not AccessEntry.objects.filter(owner=kit, part=Scope.GOALS).exists()
