"""/api/v1/help-requests: "I need support" over the API, sent once, to supporters who share
requests, with each answer as it comes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
import time_machine

from closeknit.accounts.models import User
from closeknit.circle import grants
from closeknit.circle import help as store
from closeknit.circle.models import HelpAnswer, HelpRequest, Link
from closeknit.circle.vocab import Scope
from closeknit.notify.models import Message
from tests.api.conftest import error_fields, error_messages, queries_for

HELP = "/api/v1/help-requests"
NOW = dt.datetime(2026, 3, 18, 14, 2, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def supporter(make_user: Callable[..., User]) -> User:
    return make_user("sam@example.org", display_name="Sam")


@pytest.fixture
def alex(make_user: Callable[..., User]) -> User:
    return make_user("alex@example.org", display_name="Alex")


def make_link(member: User, supporter: User, scopes: list[str]) -> Link:
    return Link.objects.create(owner=member, supporter=supporter, scopes=scopes)


@pytest.fixture
def sam_link(member, supporter) -> Link:
    return make_link(member, supporter, [Scope.HELP_REQUESTS])


@pytest.fixture
def alex_link(member, alex) -> Link:
    return make_link(member, alex, [Scope.HELP_REQUESTS])


def state() -> list[object]:
    return [
        list(HelpRequest.objects.values_list("pk", "client_key").order_by("pk")),
        list(HelpAnswer.objects.values_list("pk", "answer").order_by("pk")),
        list(Message.objects.values_list("dedup_key", flat=True).order_by("pk")),
    ]


def test_a_request_goes_to_everyone_who_shares_by_default(
    api, member, sam_link, alex_link, make_user
):
    make_link(member, make_user("jo@example.org"), [Scope.GOALS])  # shares no requests
    response = api.post(HELP, {"message": "  Rough night.  ", "client_key": "tap-1"})
    assert response.status_code == 201, response.content
    request = HelpRequest.objects.get()
    answers = list(request.answers.order_by("id"))
    assert response.json() == {
        "id": request.pk,
        "message": "Rough night.",
        "created_at": "2026-03-18T14:02:00+00:00",
        "answers": [
            {
                "id": answers[0].pk,
                "supporter_id": sam_link.pk,
                "supporter_name": "Sam",
                "answer": None,
                "answered_at": None,
            },
            {
                "id": answers[1].pk,
                "supporter_id": alex_link.pk,
                "supporter_name": "Alex",
                "answer": None,
                "answered_at": None,
            },
        ],
        "sent": True,
        "why": "",
    }
    assert request.client_key == "tap-1"
    assert sorted(m.to_address for m in Message.objects.all()) == [
        "alex@example.org",
        "sam@example.org",
    ]


def test_only_the_chosen_are_asked(api, sam_link, alex_link):
    response = api.post(HELP, {"message": "Hi", "supporter_ids": [alex_link.pk]})
    assert response.status_code == 201
    assert [a["supporter_id"] for a in response.json()["answers"]] == [alex_link.pk]
    assert HelpRequest.objects.get().client_key  # one was made


def test_the_same_key_again_sends_nothing_and_says_why(api, sam_link, frozen):
    first = api.post(HELP, {"message": "Hi", "client_key": "tap"}).json()
    before = state()
    frozen.shift(dt.timedelta(hours=2))
    again = api.post(HELP, {"message": "Hi again", "client_key": "tap"})
    assert again.status_code == 200
    body = again.json()
    assert (body["id"], body["message"], body["sent"]) == (first["id"], "Hi", False)
    assert body["why"] == "Your request went out at 14:02; we didn't send it twice."
    assert state() == before


def test_a_second_request_within_minutes_is_not_sent(api, sam_link, frozen, settings):
    settings.CIRCLE_HELP_REQUEST_MINUTES = 2
    first = api.post(HELP, {"message": "Hi"}).json()
    frozen.shift(dt.timedelta(seconds=119))
    again = api.post(HELP, {"message": "Anyone?"})
    assert (again.status_code, again.json()["id"], again.json()["sent"]) == (
        200,
        first["id"],
        False,
    )
    frozen.shift(dt.timedelta(seconds=1))
    later = api.post(HELP, {"message": "Anyone?"})
    assert later.status_code == 201
    assert HelpRequest.objects.count() == 2


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({}, "message", "required"),
        ({"message": "   "}, "message", store.NO_WORDS),
        ({"message": "x" * 501}, "message", "Please keep it to 500 characters"),
        ({"message": "Hi", "supporter_ids": []}, "supporter_ids", store.NO_ONE_CHOSEN),
        ({"message": "Hi", "supporter_ids": [10**9]}, "supporter_ids", store.NOT_IN_CIRCLE),
        ({"message": "Hi", "supporter_ids": [0]}, "supporter_ids", "greater than or equal"),
        ({"message": "Hi", "client_key": "k" * 65}, "client_key", "at most 64"),
        ({"message": "Hi", "urgent": True}, "urgent", "Extra inputs"),
    ],
)
def test_bad_input_is_422_naming_the_field_and_sends_nothing(api, sam_link, body, field, words):
    response = api.post(HELP, body)
    assert error_fields(response) == [field]
    assert words in error_messages(response)
    assert state() == [[], [], []]


def test_a_supporter_without_the_scope_is_named(api, member, sam_link, alex):
    quiet = make_link(member, alex, [Scope.GOALS])
    response = api.post(HELP, {"message": "Hi", "supporter_ids": [sam_link.pk, quiet.pk]})
    assert error_fields(response) == ["supporter_ids"]
    assert error_messages(response).startswith("Alex doesn't get your")
    assert state() == [[], [], []]


def test_with_no_one_to_ask_it_says_how(api, member, supporter):
    make_link(member, supporter, [Scope.GOALS])
    response = api.post(HELP, {"message": "Hi"})
    assert error_fields(response) == ["supporter_ids"]
    assert "No one in your circle gets your" in error_messages(response)
    # Words come first: a blank message is named on its own.
    assert error_fields(api.post(HELP, {"message": " "})) == ["message"]


def test_a_strangers_supporter_cannot_be_asked(stranger_api, sam_link):
    response = stranger_api.post(HELP, {"message": "Hi", "supporter_ids": [sam_link.pk]})
    assert error_fields(response) == ["supporter_ids"]
    assert error_messages(response) == store.NOT_IN_CIRCLE
    assert state() == [[], [], []]


def test_list_and_get_show_answers_as_they_come(api, member, sam_link, supporter, frozen):
    first = api.post(HELP, {"message": "First", "client_key": "a"}).json()
    frozen.shift(dt.timedelta(hours=1))
    second = api.post(HELP, {"message": "Second", "client_key": "b"}).json()
    store.answer_as(supporter, second["answers"][0]["id"], "reaching_out")
    listed = api.get(HELP).json()
    assert listed["count"] == 2
    assert [r["id"] for r in listed["items"]] == [second["id"], first["id"]]
    answer = listed["items"][0]["answers"][0]
    assert (answer["answer"], answer["answered_at"]) == (
        "reaching_out",
        "2026-03-18T15:02:00+00:00",
    )
    one = api.get(f"{HELP}/{second['id']}")
    assert one.status_code == 200
    assert one.json() == listed["items"][0]
    assert api.get(f"{HELP}?limit=1&offset=1").json()["items"][0]["id"] == first["id"]


def test_a_strangers_request_is_404(api, stranger_api, sam_link):
    created = api.post(HELP, {"message": "Hi"}).json()
    assert stranger_api.get(f"{HELP}/{created['id']}").status_code == 404
    assert stranger_api.get(HELP).json() == {"items": [], "count": 0}
    assert api.get(f"{HELP}/999999").status_code == 404


def test_a_supporter_sees_none_of_the_members_requests(api, sam_link, supporter):
    from closeknit.accounts.models import ApiToken
    from tests.api.conftest import ApiClient

    api.post(HELP, {"message": "Hi"})
    theirs = ApiClient(ApiToken.issue(supporter, "tests")[1])
    assert theirs.get(HELP).json()["count"] == 0


def test_the_list_takes_the_same_queries_for_one_or_many(api, member, make_user, sam_link, frozen):
    api.post(HELP, {"message": "Hi", "client_key": "0"})
    small = queries_for(api, HELP)
    links = [
        make_link(member, make_user(f"s{n}@example.org"), [Scope.HELP_REQUESTS]) for n in range(5)
    ]
    for n in range(1, 8):
        frozen.shift(dt.timedelta(hours=1))
        api.post(HELP, {"message": f"Hi {n}", "client_key": str(n)})
    grants.set_scopes(links[0], [])
    assert HelpAnswer.objects.count() > 30
    assert queries_for(api, HELP) == small
