"""/api/v1/people: list, add, read, replace, change and delete the people in a network."""

from __future__ import annotations

import pytest

from closeknit.network.models import Person
from tests.api.conftest import error_fields, error_messages, network_state

PEOPLE = "/api/v1/people"


def url(person: Person) -> str:
    return f"{PEOPLE}/{person.pk}"


def names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["name"] for item in response.json()["items"]]


# Reading ------------------------------------------------------------------------


def test_list_shows_the_members_people_with_design_slugs(api, network):
    response = api.get(PEOPLE)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    sam = next(item for item in body["items"] if item["name"] == "Sam Rivera")
    assert sam == {
        "id": network["sam"].pk,
        "name": "Sam Rivera",
        "nickname": "Sam",
        "roles": ["friend"],
        "support_types": ["companionship", "emotional"],
        "circle": "inner",
        "rhythm_days": 14,
        "preferred_channels": [],
        "birthday": None,
        "birthday_year_known": True,
        "email": "sam@example.org",
        "phone": "+44 7700 900123",
        "notes": "Sam walked with me every Sunday in March.",
        "archived": False,
    }


def test_list_is_sorted_by_name(api, network):
    assert names(api.get(PEOPLE)) == ["Ada Okafor", "Sam Rivera"]


def test_strangers_list_never_shows_the_members_people(stranger_api, network):
    response = stranger_api.get(PEOPLE)
    assert response.json() == {"items": [], "count": 0}


def test_get_one_person(api, network):
    response = api.get(url(network["sam"]))
    assert response.status_code == 200
    assert response.json()["nickname"] == "Sam"


def test_stranger_gets_404_for_the_members_person(stranger_api, network):
    response = stranger_api.get(url(network["sam"]))
    assert response.status_code == 404
    assert "couldn't find" in response.json()["detail"]


def test_an_id_that_never_existed_gets_the_same_404(api, stranger_api, network):
    missing = api.get(f"{PEOPLE}/999999")
    theirs = stranger_api.get(url(network["sam"]))
    assert missing.status_code == theirs.status_code == 404
    assert missing.json() == theirs.json()


def test_an_id_too_large_for_the_database_gets_404(api, network):
    assert api.get(f"{PEOPLE}/{2**70}").status_code == 404


def test_an_id_that_is_not_a_number_gets_422_naming_it(api, network):
    assert error_fields(api.get(f"{PEOPLE}/sam")) == ["person_id"]


# Filters and pages --------------------------------------------------------------


@pytest.fixture
def crowd(member, network):
    Person.objects.create(
        owner=member, name="Lee Chen", circle="outer", roles=["neighbour"], email="lee@chen.example"
    )
    Person.objects.create(
        owner=member,
        name="Mo Patel",
        circle="inner",
        roles=["family", "support_group"],
        support_types=["practical"],
        archived_at="2024-01-01T00:00:00Z",
    )
    return network


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=sam", ["Sam Rivera"]),
        ("q=SAM", ["Sam Rivera"]),
        ("q=chen.example", ["Lee Chen"]),
        ("circle=inner", ["Mo Patel", "Sam Rivera"]),
        ("role=support_group", ["Mo Patel"]),
        ("role=peer", []),
        ("support_type=practical", ["Mo Patel"]),
        ("support_type=emotional", ["Sam Rivera"]),
        ("archived=true", ["Mo Patel"]),
        ("archived=false", ["Ada Okafor", "Lee Chen", "Sam Rivera"]),
        ("circle=inner&role=friend", ["Sam Rivera"]),
    ],
)
def test_list_filters(api, crowd, query, expected):
    assert names(api.get(f"{PEOPLE}?{query}")) == expected


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("circle=closest", "circle"),
        ("role=bestie", "role"),
        ("support_type=money", "support_type"),
        ("limit=0", "limit"),
        ("limit=501", "limit"),
        ("offset=-1", "offset"),
    ],
)
def test_bad_list_parameters_get_422_naming_them(api, network, query, field):
    assert error_fields(api.get(f"{PEOPLE}?{query}")) == [field]


def test_pages_default_to_50_and_count_everything(api, member):
    Person.objects.bulk_create(Person(owner=member, name=f"Person {n:03}") for n in range(120))
    first = api.get(PEOPLE).json()
    assert first["count"] == 120
    assert len(first["items"]) == 50
    last = api.get(f"{PEOPLE}?limit=50&offset=100").json()
    assert [item["name"] for item in last["items"]] == [f"Person {n:03}" for n in range(100, 120)]


def test_a_page_can_hold_up_to_500(api, member):
    Person.objects.bulk_create(Person(owner=member, name=f"P{n}") for n in range(501))
    assert len(api.get(f"{PEOPLE}?limit=500").json()["items"]) == 500


# Writing ------------------------------------------------------------------------


def test_create_a_person(api, member):
    response = api.post(
        PEOPLE,
        {
            "name": "  Lee Chen ",
            "roles": ["neighbour", "friend", "friend"],
            "support_types": ["practical"],
            "circle": "outer",
            "rhythm_days": 30,
            "preferred_channels": ["message"],
            "birthday": "1990-05-17",
            "email": "lee@example.org",
            "notes": "Lends tools.",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["name"] == "Lee Chen"
    assert body["roles"] == ["friend", "neighbour"]
    lee = Person.objects.owned_by(member).get(pk=body["id"])
    assert lee.roles == ["friend", "neighbour"]
    assert lee.birthday.isoformat() == "1990-05-17"
    assert lee.notes == "Lends tools."
    assert api.get(url(lee)).json() == body


def test_create_with_only_a_name_uses_the_defaults(api):
    body = api.post(PEOPLE, {"name": "Lee"}).json()
    assert body["circle"] == "middle"
    assert body["roles"] == [] and body["rhythm_days"] is None and body["archived"] is False


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"name": "Lee", "circle": "closest"}, "circle"),
        ({"name": "Lee", "roles": ["friend", "bestie"]}, "roles"),
        ({"name": "Lee", "support_types": ["money"]}, "support_types"),
        ({"name": "Lee", "preferred_channels": ["pigeon"]}, "preferred_channels"),
        ({"name": "Lee", "rhythm_days": 0}, "rhythm_days"),
        ({"name": "Lee", "rhythm_days": 4000}, "rhythm_days"),
        ({"name": "Lee", "birthday": "17 May"}, "birthday"),
        ({"name": "Lee", "email": "lee@"}, "email"),
        ({"name": "Lee", "archived": "sometimes"}, "archived"),
        ({"name": "Lee", "nick_name": "L"}, "nick_name"),
    ],
)
def test_bad_person_gets_422_naming_the_field_and_adds_no_one(api, member, network, body, field):
    before = network_state(member)
    response = api.post(PEOPLE, body)
    assert error_fields(response) == [field]
    assert network_state(member) == before


def test_unknown_slug_message_lists_the_valid_ones(api, network):
    response = api.post(PEOPLE, {"name": "Lee", "circle": "closest"})
    assert "'inner', 'middle' or 'outer'" in error_messages(response)


def test_put_replaces_every_field(api, member, network):
    sam = network["sam"]
    response = api.put(url(sam), {"name": "Samira Rivera", "circle": "outer"})
    assert response.status_code == 200, response.content
    sam.refresh_from_db()
    assert sam.name == "Samira Rivera"
    assert sam.circle == "outer"
    # Left out of a PUT means back to the default.
    assert sam.nickname == "" and sam.roles == [] and sam.rhythm_days is None
    assert sam.notes == ""


def test_put_needs_a_name(api, member, network):
    before = network_state(member)
    assert error_fields(api.put(url(network["sam"]), {"circle": "outer"})) == ["name"]
    assert network_state(member) == before


def test_patch_changes_only_the_fields_sent(api, network):
    sam = network["sam"]
    response = api.patch(url(sam), {"nickname": "Sammy", "rhythm_days": None})
    assert response.status_code == 200, response.content
    sam.refresh_from_db()
    assert sam.nickname == "Sammy"
    assert sam.rhythm_days is None
    assert sam.name == "Sam Rivera" and sam.roles == ["friend"] and sam.circle == "inner"
    assert sam.notes == "Sam walked with me every Sunday in March."


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": None}, "name"),
        ({"name": ""}, "name"),
        ({"circle": None}, "circle"),
        ({"roles": None}, "roles"),
        ({"roles": ["bestie"]}, "roles"),
        ({"id": 5}, "id"),
    ],
)
def test_bad_patch_gets_422_and_changes_nothing(api, member, network, body, field):
    before = network_state(member)
    assert error_fields(api.patch(url(network["sam"]), body)) == [field]
    assert network_state(member) == before


def test_archiving_keeps_the_first_archive_date(api, network):
    sam = network["sam"]
    assert api.patch(url(sam), {"archived": True}).json()["archived"] is True
    sam.refresh_from_db()
    first = sam.archived_at
    assert first is not None
    api.patch(url(sam), {"archived": True, "nickname": "S"})
    sam.refresh_from_db()
    assert sam.archived_at == first
    assert api.patch(url(sam), {"archived": False}).json()["archived"] is False
    sam.refresh_from_db()
    assert sam.archived_at is None


def test_delete_a_person(api, member, network):
    response = api.delete(url(network["ada"]))
    assert response.status_code == 204
    assert not Person.objects.owned_by(member).filter(pk=network["ada"].pk).exists()
    assert api.get(url(network["ada"])).status_code == 404


def test_deleting_someone_keeps_the_contact_logged_with_others(api, network):
    call = network["call"]
    api.delete(url(network["sam"]))
    call.refresh_from_db()
    assert list(call.people.all()) == []


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_stranger_cannot_change_the_members_person(stranger_api, member, network, method):
    before = network_state(member)
    sam = url(network["sam"])
    if method == "delete":
        response = stranger_api.delete(sam)
    else:
        response = getattr(stranger_api, method)(sam, {"name": "Taken"})
    assert response.status_code == 404
    assert network_state(member) == before
