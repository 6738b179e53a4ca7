"""/api/v1/groups: groups and communities, their members and meeting schedule."""

from __future__ import annotations

import pytest

from closeknit.network.models import Group, Person
from tests.api.conftest import error_fields, error_messages, network_state

GROUPS = "/api/v1/groups"


def url(group: Group) -> str:
    return f"{GROUPS}/{group.pk}"


def test_list_shows_the_members_groups_with_member_ids(api, network):
    response = api.get(GROUPS)
    assert response.status_code == 200
    assert response.json() == {
        "items": [
            {
                "id": network["group"].pk,
                "name": "Tuesday peer group",
                "kind": "support_group",
                "members": [network["sam"].pk],
                "meets_from": None,
                "schedule": "FREQ=WEEKLY;BYDAY=TU",
                "notes": "",
                "archived": False,
            }
        ],
        "count": 1,
    }


def test_strangers_list_never_shows_the_members_groups(stranger_api, network):
    assert stranger_api.get(GROUPS).json() == {"items": [], "count": 0}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=peer", ["Tuesday peer group"]),
        ("kind=club", ["Book club"]),
        ("kind=support_group", ["Tuesday peer group"]),
        ("archived=true", ["Old choir"]),
        ("archived=false", ["Book club", "Tuesday peer group"]),
    ],
)
def test_list_filters(api, member, network, query, expected):
    Group.objects.create(owner=member, name="Book club", kind="club")
    Group.objects.create(owner=member, name="Old choir", archived_at="2023-01-01T00:00:00Z")
    response = api.get(f"{GROUPS}?{query}")
    assert [item["name"] for item in response.json()["items"]] == expected


def test_bad_kind_filter_gets_422(api, network):
    assert error_fields(api.get(f"{GROUPS}?kind=gang")) == ["kind"]


def test_get_one_group(api, network):
    assert api.get(url(network["group"])).json()["name"] == "Tuesday peer group"


def test_stranger_gets_404_for_the_members_group(stranger_api, network):
    assert stranger_api.get(url(network["group"])).status_code == 404


def test_create_a_group(api, member, network):
    sam, ada = network["sam"], network["ada"]
    response = api.post(
        GROUPS,
        {
            "name": "Saturday walkers",
            "kind": "sports",
            "members": [ada.pk, sam.pk, ada.pk],
            "meets_from": "2024-07-06T10:00:00",
            "schedule": "rrule:freq=weekly;byday=sa",
            "notes": "Meet at the park gate.",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["members"] == sorted([sam.pk, ada.pk])
    # Naive times are the member's (London, summer time); answers are in UTC.
    assert body["meets_from"] == "2024-07-06T09:00:00+00:00"
    assert body["schedule"] == "FREQ=WEEKLY;BYDAY=SA"
    group = Group.objects.owned_by(member).get(pk=body["id"])
    assert set(group.members.all()) == {sam, ada}
    assert group.notes == "Meet at the park gate."


def test_meets_from_with_an_offset_is_kept(api, network):
    body = api.post(GROUPS, {"name": "G", "meets_from": "2024-07-06T10:00:00+02:00"}).json()
    assert body["meets_from"] == "2024-07-06T08:00:00+00:00"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "name"),
        ({"name": "G", "kind": "gang"}, "kind"),
        ({"name": "G", "members": ["sam"]}, "members"),
        ({"name": "G", "members": [0]}, "members"),
        ({"name": "G", "schedule": "every tuesday"}, "schedule"),
        ({"name": "G", "schedule": "FREQ=WEEKLY;BYDAY=XX"}, "schedule"),
        ({"name": "G", "schedule": "FREQ=MINUTELY"}, "schedule"),
        ({"name": "G", "meets_from": "next week"}, "meets_from"),
        ({"name": "G", "colour": "blue"}, "colour"),
    ],
)
def test_bad_group_gets_422_naming_the_field_and_adds_nothing(api, member, network, body, field):
    before = network_state(member)
    assert error_fields(api.post(GROUPS, body)) == [field]
    assert network_state(member) == before


def test_schedule_errors_say_what_to_write(api, network):
    response = api.post(GROUPS, {"name": "G", "schedule": "every tuesday"})
    assert "FREQ=WEEKLY;BYDAY=TU" in error_messages(response)


def test_someone_from_another_network_cannot_be_a_member(api, member, stranger, network):
    theirs = Person.objects.create(owner=stranger, name="Not yours")
    before = network_state(member)
    response = api.post(GROUPS, {"name": "G", "members": [network["sam"].pk, theirs.pk]})
    assert error_fields(response) == ["members"]
    assert str(theirs.pk) in error_messages(response)
    assert network_state(member) == before
    assert not Group.objects.filter(name="G").exists()


def test_put_replaces_members_and_schedule(api, network):
    group, ada = network["group"], network["ada"]
    response = api.put(url(group), {"name": "Peer group", "members": [ada.pk]})
    assert response.status_code == 200, response.content
    assert response.json()["members"] == [ada.pk]
    group.refresh_from_db()
    assert group.schedule == "" and group.kind == "other"
    assert list(group.members.all()) == [ada]


def test_patch_changes_only_the_fields_sent(api, network):
    group = network["group"]
    response = api.patch(url(group), {"notes": "Room 4 now."})
    assert response.status_code == 200
    assert response.json()["members"] == [network["sam"].pk]
    group.refresh_from_db()
    assert group.notes == "Room 4 now."
    assert group.schedule == "FREQ=WEEKLY;BYDAY=TU"


def test_patch_members_answers_with_the_new_members(api, network):
    group, sam, ada = network["group"], network["sam"], network["ada"]
    response = api.patch(url(group), {"members": [ada.pk, sam.pk]})
    assert response.json()["members"] == sorted([sam.pk, ada.pk])
    assert api.patch(url(group), {"members": []}).json()["members"] == []


def test_patch_with_a_strangers_person_changes_nothing(api, member, stranger, network):
    theirs = Person.objects.create(owner=stranger, name="Not yours")
    before = network_state(member)
    response = api.patch(url(network["group"]), {"name": "Renamed", "members": [theirs.pk]})
    assert error_fields(response) == ["members"]
    assert network_state(member) == before


def test_delete_a_group_keeps_its_logged_contact(api, member, network):
    meeting = network["meeting"]
    assert api.delete(url(network["group"])).status_code == 204
    assert not Group.objects.owned_by(member).exists()
    meeting.refresh_from_db()
    assert meeting.group is None


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_stranger_cannot_change_the_members_group(stranger_api, member, network, method):
    before = network_state(member)
    target = url(network["group"])
    if method == "delete":
        response = stranger_api.delete(target)
    else:
        response = getattr(stranger_api, method)(target, {"name": "Taken"})
    assert response.status_code == 404
    assert network_state(member) == before


def test_every_unknown_member_id_is_named(api, member, network):
    response = api.post(GROUPS, {"name": "G", "members": [10**9 + 2, 10**9 + 1]})
    assert error_messages(response) == (
        f"No one with these ids is in your network: {10**9 + 1}, {10**9 + 2}."
    )
