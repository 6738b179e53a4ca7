"""/api/v1/interactions: the contact log, its filters, and times in the member's zone."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from closeknit.network.models import Group, Interaction, Person
from tests.api.conftest import error_fields, error_messages, network_state

LOG = "/api/v1/interactions"


def url(interaction: Interaction) -> str:
    return f"{LOG}/{interaction.pk}"


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


def test_list_shows_the_members_contact_newest_first(api, network):
    call, meeting = network["call"], network["meeting"]
    Interaction.objects.filter(pk=call.pk).update(
        occurred_at=datetime(2024, 7, 1, 8, 30, tzinfo=UTC)
    )
    body = api.get(LOG).json()
    assert body["count"] == 2
    assert [item["id"] for item in body["items"]] == [meeting.pk, call.pk]
    assert body["items"][1] == {
        "id": call.pk,
        "people": [network["sam"].pk],
        "group": None,
        "occurred_at": "2024-07-01T08:30:00+00:00",
        "channel": "call",
        "direction": "received",
        "support_types": [],
        "feeling": 4,
        "note": "Talked it through.",
    }
    assert body["items"][0]["group"] == network["group"].pk


def test_strangers_list_never_shows_the_members_contact(stranger_api, network):
    assert stranger_api.get(LOG).json() == {"items": [], "count": 0}


def test_stranger_gets_404_for_the_members_contact(stranger_api, network):
    assert stranger_api.get(url(network["call"])).status_code == 404


def test_log_contact_with_a_naive_time_in_the_members_zone(api, member, network):
    response = api.post(
        LOG,
        {
            "people": [network["sam"].pk, network["ada"].pk],
            "occurred_at": "2024-07-01T09:30:00",
            "channel": "video",
            "direction": "gave",
            "support_types": ["emotional", "emotional"],
            "feeling": 5,
            "note": "Helped Sam move.",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    # The member lives in London: 09:30 in July is 08:30 UTC.
    assert body["occurred_at"] == "2024-07-01T08:30:00+00:00"
    assert body["people"] == sorted([network["sam"].pk, network["ada"].pk])
    assert body["support_types"] == ["emotional"]
    saved = Interaction.objects.owned_by(member).get(pk=body["id"])
    assert saved.occurred_at == datetime(2024, 7, 1, 8, 30, tzinfo=UTC)
    assert saved.note == "Helped Sam move."


def test_a_time_with_an_offset_is_kept(api, network):
    body = api.post(
        LOG, {"people": [network["sam"].pk], "occurred_at": "2024-07-01T09:30:00-04:00"}
    ).json()
    assert body["occurred_at"] == "2024-07-01T13:30:00+00:00"


def test_the_members_own_zone_is_used(api, member, network):
    member.time_zone = "Asia/Tokyo"
    member.save()
    body = api.post(
        LOG, {"people": [network["sam"].pk], "occurred_at": "2024-07-01T09:30:00"}
    ).json()
    assert body["occurred_at"] == "2024-07-01T00:30:00+00:00"


@pytest.mark.parametrize("zone", ["Europe/London", "Asia/Tokyo", "America/Los_Angeles"])
def test_logging_without_a_time_means_now(api, member, network, zone):
    member.time_zone = zone
    member.save()
    before = datetime.now(UTC)
    body = api.post(LOG, {"group": network["group"].pk}).json()
    logged = datetime.fromisoformat(body["occurred_at"])
    assert before <= logged <= datetime.now(UTC)
    assert body["channel"] == "in_person" and body["direction"] == "mutual"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "people"),
        ({"people": []}, "people"),
        ({"people": ["sam"]}, "people"),
        ({"group": "tuesday"}, "group"),
        ({"group": 0}, "group"),
        ({"people": [1], "channel": "pigeon"}, "channel"),
        ({"people": [1], "direction": "sideways"}, "direction"),
        ({"people": [1], "support_types": ["money"]}, "support_types"),
        ({"people": [1], "feeling": 0}, "feeling"),
        ({"people": [1], "feeling": 6}, "feeling"),
        ({"people": [1], "occurred_at": "last tuesday"}, "occurred_at"),
        ({"people": [1], "mood": 3}, "mood"),
    ],
)
def test_bad_contact_gets_422_naming_the_field_and_logs_nothing(api, member, network, body, field):
    if body.get("people") == [1]:
        body = {**body, "people": [network["sam"].pk]}
    before = network_state(member)
    assert error_fields(api.post(LOG, body)) == [field]
    assert network_state(member) == before


def test_contact_needs_someone_and_says_so_kindly(api, network):
    response = api.post(LOG, {"note": "A quiet day."})
    assert error_messages(response) == "Please choose at least one person, or a group."


def test_a_strangers_person_is_refused(api, member, stranger, network):
    theirs = Person.objects.create(owner=stranger, name="Not yours")
    before = network_state(member)
    response = api.post(LOG, {"people": [network["sam"].pk, theirs.pk]})
    assert error_fields(response) == ["people"]
    assert network_state(member) == before
    assert not theirs.interactions.exists()


def test_a_strangers_group_is_refused(api, member, stranger, network):
    theirs = Group.objects.create(owner=stranger, name="Not yours")
    before = network_state(member)
    response = api.post(LOG, {"people": [network["sam"].pk], "group": theirs.pk})
    assert error_fields(response) == ["group"]
    assert network_state(member) == before


def test_put_replaces_the_contact(api, network):
    call = network["call"]
    response = api.put(
        url(call), {"group": network["group"].pk, "occurred_at": "2024-01-10T18:00:00"}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["people"] == [] and body["group"] == network["group"].pk
    assert body["occurred_at"] == "2024-01-10T18:00:00+00:00"
    assert body["feeling"] is None and body["note"] == "" and body["channel"] == "in_person"


def test_put_needs_the_time(api, member, network):
    before = network_state(member)
    response = api.put(url(network["call"]), {"people": [network["sam"].pk]})
    assert error_fields(response) == ["occurred_at"]
    assert network_state(member) == before


def test_patch_changes_only_the_fields_sent(api, network):
    call = network["call"]
    occurred_at = call.occurred_at
    response = api.patch(url(call), {"feeling": 2, "note": "Harder than I thought."})
    assert response.status_code == 200, response.content
    assert response.json()["people"] == [network["sam"].pk]
    call.refresh_from_db()
    assert call.feeling == 2 and call.note == "Harder than I thought."
    assert call.occurred_at == occurred_at and call.channel == "call"


def test_patch_can_clear_the_feeling_and_move_the_time(api, network):
    call = network["call"]
    body = api.patch(url(call), {"feeling": None, "occurred_at": "2024-12-24T20:00"}).json()
    assert body["feeling"] is None
    assert body["occurred_at"] == "2024-12-24T20:00:00+00:00"


def test_patch_that_would_leave_no_one_is_refused(api, member, network):
    # The group meeting has no people: taking away its group would leave no one.
    before = network_state(member)
    response = api.patch(url(network["meeting"]), {"group": None})
    assert error_fields(response) == ["people"]
    assert network_state(member) == before


def test_patch_moving_people_to_a_group_is_fine(api, network):
    body = api.patch(url(network["call"]), {"people": [], "group": network["group"].pk}).json()
    assert body["people"] == [] and body["group"] == network["group"].pk


@pytest.mark.parametrize(
    "body",
    [{"occurred_at": None}, {"channel": None}, {"people": None}, {"feeling": 9}],
)
def test_bad_patch_changes_nothing(api, member, network, body):
    before = network_state(member)
    assert api.patch(url(network["call"]), body).status_code == 422
    assert network_state(member) == before


def test_delete_contact(api, member, network):
    assert api.delete(url(network["call"])).status_code == 204
    assert not Interaction.objects.owned_by(member).filter(pk=network["call"].pk).exists()
    assert Person.objects.owned_by(member).filter(pk=network["sam"].pk).exists()


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_stranger_cannot_change_the_members_contact(stranger_api, member, network, method):
    before = network_state(member)
    target = url(network["call"])
    if method == "delete":
        response = stranger_api.delete(target)
    else:
        response = getattr(stranger_api, method)(target, {"occurred_at": "2024-01-01T00:00"})
    assert response.status_code == 404
    assert network_state(member) == before


# Filters --------------------------------------------------------------------------


@pytest.fixture
def around_midnight(member, network):
    """Contact either side of midnight, London time, at the start of July 2024."""
    sam, group = network["sam"], network["group"]

    def log(utc: str, **fields) -> Interaction:
        interaction = Interaction.objects.create(
            owner=member, occurred_at=datetime.fromisoformat(utc), **fields
        )
        return interaction

    rows = {
        # 23:30 on 30 June in London.
        "june_30": log("2024-06-30T22:30:00+00:00"),
        # 00:30 on 1 July in London, still 30 June in UTC.
        "july_1_early": log("2024-06-30T23:30:00+00:00", group=group),
        "july_1_late": log("2024-07-01T22:30:00+00:00"),
        # 00:30 on 2 July in London.
        "july_2": log("2024-07-01T23:30:00+00:00", group=group),
    }
    for name in ("june_30", "july_1_late", "july_2"):
        rows[name].people.add(sam)
    Interaction.objects.filter(pk__in=[network["call"].pk, network["meeting"].pk]).update(
        occurred_at=datetime(2023, 1, 1, tzinfo=UTC)
    )
    return rows


def _pks(rows, *names) -> list[int]:
    return [rows[name].pk for name in names]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("since=2024-07-01&until=2024-07-01", ["july_1_late", "july_1_early"]),
        ("since=2024-07-02", ["july_2"]),
        ("until=2024-06-30&since=2024-06-01", ["june_30"]),
        ("since=2024-06-30T23:30:00Z&until=2024-07-01T22:30:00Z", ["july_1_late", "july_1_early"]),
        ("since=2024-07-01T00:30:00&until=2024-07-01T00:30:00", ["july_1_early"]),
    ],
)
def test_since_and_until_use_the_members_days(api, around_midnight, query, expected):
    assert ids(api.get(f"{LOG}?{query}")) == _pks(around_midnight, *expected)


def test_filter_by_person(api, network, around_midnight):
    expected = [*_pks(around_midnight, "july_2", "july_1_late", "june_30"), network["call"].pk]
    assert ids(api.get(f"{LOG}?person={network['sam'].pk}")) == expected


def test_filter_by_group_and_date(api, network, around_midnight):
    query = f"group={network['group'].pk}&since=2024-07-02"
    assert ids(api.get(f"{LOG}?{query}")) == _pks(around_midnight, "july_2")


def test_filter_by_a_strangers_person_finds_nothing(stranger_api, network):
    assert ids(stranger_api.get(f"{LOG}?person={network['sam'].pk}")) == []


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("since=yesterday", "since"),
        ("until=2024-02-30", "until"),
        ("person=sam", "person"),
        ("group=-1", "group"),
        ("since=2024-07-02&until=2024-07-01", "until"),
        ("limit=1000", "limit"),
    ],
)
def test_bad_filters_get_422_naming_them(api, network, query, field):
    assert error_fields(api.get(f"{LOG}?{query}")) == [field]
