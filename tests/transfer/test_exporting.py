"""Exporting everything a member owns, and bringing an export back in."""

from __future__ import annotations

import copy
import csv
import io
import json
from datetime import UTC, date, datetime, timedelta

import pytest
import vobject
from django.db import connection
from django.test.utils import CaptureQueriesContext

from closeknit.network.exporting import (
    INTERACTION_COLUMNS,
    PEOPLE_COLUMNS,
    export_document,
    interactions_csv,
    people_csv,
    people_vcard,
)
from closeknit.network.importing import (
    ImportFileError,
    ImportResult,
    import_csv,
    import_document,
    import_vcard,
)
from closeknit.network.models import Group, Interaction, Person
from closeknit.network.vcard import YEAR_UNKNOWN

PERSON_FIELDS = {
    "id",
    "name",
    "nickname",
    "roles",
    "support_types",
    "circle",
    "rhythm_days",
    "preferred_channels",
    "birthday",
    "birthday_year_known",
    "email",
    "phone",
    "notes",
    "archived_at",
}
GROUP_FIELDS = {"id", "name", "kind", "members", "meets_from", "schedule", "notes", "archived_at"}
INTERACTION_FIELDS = {
    "id",
    "people",
    "group",
    "occurred_at",
    "channel",
    "direction",
    "support_types",
    "feeling",
    "note",
}


@pytest.fixture
def rich_network(network, member):
    """The shared network, plus the awkward cases an export must carry."""
    moment = datetime(2024, 3, 1, 9, 30, tzinfo=UTC)
    ada = network["ada"]
    alex_one = Person.objects.create(owner=member, name="Alex", roles=["peer"])
    alex_two = Person.objects.create(owner=member, name="Alex", roles=["colleague"], circle="outer")
    gran = Person.objects.create(
        owner=member,
        name="Gran",
        roles=["family"],
        birthday=date(YEAR_UNKNOWN, 2, 29),
        birthday_year_known=False,
        preferred_channels=["letter", "call"],
        notes="Zoë's gran too. Loves “proper” letters; =SUM(A1) is not a formula.",
    )
    Person.objects.create(
        owner=member,
        name="Old neighbour",
        roles=["neighbour"],
        birthday=date(1950, 6, 1),
        archived_at=moment,
    )
    choir = Group.objects.create(
        owner=member,
        name="Choir",
        kind="club",
        meets_from=moment,
        schedule="FREQ=WEEKLY;BYDAY=WE",
        notes="Bring water.",
    )
    choir.members.add(gran, alex_two, ada)
    walk = Interaction.objects.create(
        owner=member,
        occurred_at=moment - timedelta(days=3),
        channel="in_person",
        direction="mutual",
        support_types=["companionship", "emotional"],
        feeling=5,
        note="Long walk, then tea.\nFelt lighter.",
        group=choir,
    )
    walk.people.add(gran, alex_one, network["sam"])
    Interaction.objects.create(owner=member, occurred_at=moment, channel="message", note="Just me.")
    return network


def normalised(document: dict) -> dict:
    """The document with ids replaced by positions, and without its export time."""
    document = copy.deepcopy(document)
    del document["exported_at"]
    people = {person["id"]: n for n, person in enumerate(document["people"])}
    groups = {group["id"]: n for n, group in enumerate(document["groups"])}
    for n, person in enumerate(document["people"]):
        person["id"] = n
    for n, group in enumerate(document["groups"]):
        group["id"] = n
        group["members"] = [people[pk] for pk in group["members"]]
    for n, interaction in enumerate(document["interactions"]):
        interaction["id"] = n
        interaction["people"] = [people[pk] for pk in interaction["people"]]
        interaction["group"] = groups.get(interaction["group"])
    return document


# The JSON document ------------------------------------------------------------------


def test_document_has_the_agreed_shape(rich_network, member):
    document = export_document(member)
    assert document["format"] == "closeknit-export"
    assert document["version"] == 1
    assert datetime.fromisoformat(document["exported_at"]).utcoffset() == timedelta(0)
    assert document["profile"] == {
        "display_name": "Robin",
        "time_zone": "Europe/London",
        "country": "GB",
        "language": "en",
    }
    assert all(set(person) == PERSON_FIELDS for person in document["people"])
    assert all(set(group) == GROUP_FIELDS for group in document["groups"])
    assert all(set(item) == INTERACTION_FIELDS for item in document["interactions"])
    json.dumps(document)  # serialisable as it is


def test_person_uses_slugs_and_decrypted_notes(rich_network, member):
    sam = next(p for p in export_document(member)["people"] if p["name"] == "Sam Rivera")
    assert sam == {
        "id": rich_network["sam"].pk,
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
        "archived_at": None,
    }


def test_year_less_birthday_and_archived_person(rich_network, member):
    people = {p["name"]: p for p in export_document(member)["people"]}
    assert (people["Gran"]["birthday"], people["Gran"]["birthday_year_known"]) == (
        "1904-02-29",
        False,
    )
    assert people["Old neighbour"]["archived_at"] == "2024-03-01T09:30:00+00:00"


def test_groups_and_interactions_link_by_id(rich_network, member):
    document = export_document(member)
    ids = {p["name"]: p["id"] for p in document["people"] if p["name"] != "Alex"}
    choir = next(g for g in document["groups"] if g["name"] == "Choir")
    assert choir["kind"] == "club"
    assert choir["meets_from"] == "2024-03-01T09:30:00+00:00"
    assert choir["schedule"] == "FREQ=WEEKLY;BYDAY=WE"
    assert choir["notes"] == "Bring water."
    assert ids["Ada Okafor"] in choir["members"]
    assert ids["Gran"] in choir["members"]
    walk = document["interactions"][0]
    assert walk["group"] == choir["id"]
    assert walk["occurred_at"] == "2024-02-27T09:30:00+00:00"
    assert walk["note"] == "Long walk, then tea.\nFelt lighter."
    assert walk["feeling"] == 5
    assert walk["support_types"] == ["companionship", "emotional"]
    assert len(walk["people"]) == 3


def test_document_is_sorted_by_name_and_time(rich_network, member):
    document = export_document(member)
    names = [p["name"] for p in document["people"]]
    assert names == ["Ada Okafor", "Alex", "Alex", "Gran", "Old neighbour", "Sam Rivera"]
    times = [i["occurred_at"] for i in document["interactions"]]
    assert times == sorted(times)
    # Lists of people follow the order of "people".
    positions = {p["id"]: n for n, p in enumerate(document["people"])}
    for group in document["groups"]:
        assert [positions[pk] for pk in group["members"]] == sorted(
            positions[pk] for pk in group["members"]
        )


def test_export_holds_only_the_members_own_data(rich_network, member, stranger):
    Person.objects.create(owner=stranger, name="Stranger's friend", notes="private")
    mine = json.dumps(export_document(member))
    assert "Stranger's friend" not in mine
    theirs = export_document(stranger)
    assert [p["name"] for p in theirs["people"]] == ["Stranger's friend"]
    assert theirs["groups"] == theirs["interactions"] == []


def test_export_round_trips_into_a_new_account(rich_network, member, new_account):
    before = export_document(member)
    result = import_document(new_account, json.loads(json.dumps(before)))
    assert result == ImportResult(created=len(before["people"]) + 2 + 4, merged=0, skipped=0)
    after = export_document(new_account)
    assert normalised(after) == normalised(before)
    # Nothing was moved or shared: the original account is as it was.
    assert normalised(export_document(member)) == normalised(before)


def test_export_of_an_empty_account_round_trips(member, new_account):
    before = export_document(member)
    assert import_document(new_account, before) == ImportResult(0, 0, 0)
    assert normalised(export_document(new_account)) == normalised(before)


def test_importing_an_export_twice_changes_nothing(rich_network, member, new_account):
    document = export_document(member)
    import_document(new_account, document)
    once = normalised(export_document(new_account))
    total = len(document["people"]) + len(document["groups"]) + len(document["interactions"])
    assert import_document(new_account, document) == ImportResult(0, 0, total)
    assert normalised(export_document(new_account)) == once


def test_importing_an_export_back_into_its_own_account_changes_nothing(rich_network, member):
    document = export_document(member)
    total = len(document["people"]) + len(document["groups"]) + len(document["interactions"])
    assert import_document(member, document) == ImportResult(0, 0, total)
    assert normalised(export_document(member)) == normalised(document)


def test_export_fills_in_people_already_in_the_new_account(rich_network, member, new_account):
    Person.objects.create(owner=new_account, name="Sam", phone="+447700900123", nickname="Sammy")
    import_document(new_account, export_document(member))
    sam = Person.objects.owned_by(new_account).get(phone="+447700900123")
    assert (sam.name, sam.nickname, sam.email) == ("Sam", "Sammy", "sam@example.org")
    assert Person.objects.owned_by(new_account).filter(name__startswith="Sam").count() == 1


def test_profile_fills_only_values_still_at_their_defaults(member, make_user):
    settled = make_user(
        "settled@example.org", display_name="Kit", time_zone="Asia/Tokyo", country="JP"
    )
    import_document(settled, export_document(member))
    settled.refresh_from_db()
    assert (settled.display_name, settled.time_zone, settled.country) == ("Kit", "Asia/Tokyo", "JP")


def test_progress_covers_people_groups_and_the_log(rich_network, member, new_account):
    calls = []
    import_document(new_account, export_document(member), progress=lambda *call: calls.append(call))
    assert calls[0] == (0, 12)
    assert calls[-1] == (12, 12)
    assert [done for done, _total in calls] == sorted(done for done, _total in calls)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(format="something-else"), "isn't a Closeknit export"),
        (lambda d: d.update(version=2), "version 2"),
        (lambda d: d.update(people="nobody"), "“people” should be a list"),
        (lambda d: d["people"][1].update(name=" "), "Person 2: its “name” is empty"),
        (lambda d: d["people"][1].update(circle="closest"), "“closest” isn't a circle"),
        (lambda d: d["people"][1].update(roles=["wizard"]), "“wizard” isn't one of the roles"),
        (lambda d: d["people"][1].update(rhythm_days=0), "from 1 to 3650"),
        (lambda d: d["people"][1].update(birthday="12/04/1985"), "a date like 1985-04-12"),
        (lambda d: d["people"][1].update(email="not-an-address"), "isn't an e-mail address"),
        (lambda d: d["people"][1].pop("id"), "Person 2: it has no id"),
        (lambda d: d["people"][1].update(id=d["people"][0]["id"]), "the same person id"),
        (lambda d: d["groups"][0]["members"].append(999999), "isn't in the export"),
        (lambda d: d["groups"][0].update(kind="band"), "“band” isn't a kind"),
        (lambda d: d["interactions"][-1].update(group=999999), "names a group"),
        (lambda d: d["interactions"][-1].update(occurred_at="yesterday"), "should be a time"),
        (lambda d: d["interactions"][-1].update(feeling=6), "from 1 to 5"),
        (lambda d: d["interactions"][-1].update(channel="fax"), "“fax” isn't a channel"),
        (lambda d: d["profile"].update(time_zone="Mars/Olympus"), "isn't a time zone"),
    ],
)
def test_damaged_export_is_refused_and_changes_nothing(
    rich_network, member, new_account, change, message
):
    document = export_document(member)
    change(document)
    with pytest.raises(ImportFileError, match=message):
        import_document(new_account, document)
    assert not Person.objects.owned_by(new_account).exists()
    assert not Group.objects.owned_by(new_account).exists()
    assert not Interaction.objects.owned_by(new_account).exists()


def test_export_needs_the_same_number_of_queries_for_any_amount_of_data(member, make_user):
    def queries(user) -> int:
        with CaptureQueriesContext(connection) as context:
            export_document(user)
            people_csv(user)
            interactions_csv(user)
            people_vcard(user)
        return len(context.captured_queries)

    small = make_user("small@example.org")
    _populate(small, people=2, groups=1, interactions=2)
    large = make_user("large@example.org")
    _populate(large, people=60, groups=10, interactions=120)
    assert queries(large) == queries(small)


def _populate(user, *, people: int, groups: int, interactions: int) -> None:
    persons = [
        Person.objects.create(owner=user, name=f"Person {n}", notes="note") for n in range(people)
    ]
    made = [Group.objects.create(owner=user, name=f"Group {n}") for n in range(groups)]
    for group in made:
        group.members.add(*persons[:3])
    for n in range(interactions):
        interaction = Interaction.objects.create(owner=user, group=made[n % groups], note="hi")
        interaction.people.add(persons[n % people], persons[(n + 1) % people])


# CSV --------------------------------------------------------------------------------


def rows_of(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_people_csv_has_one_row_per_person(rich_network, member):
    text = people_csv(member)
    assert text.splitlines()[0].split(",") == PEOPLE_COLUMNS
    rows = {row["name"]: row for row in rows_of(text)}
    assert len(rows_of(text)) == 6
    sam = rows["Sam Rivera"]
    assert sam["support_types"] == "companionship;emotional"
    assert (sam["circle"], sam["rhythm_days"], sam["phone"]) == ("inner", "14", "+44 7700 900123")
    gran = rows["Gran"]
    assert gran["birthday"] == "--02-29"
    assert gran["preferred_channels"] == "call;letter"
    assert gran["notes"] == "Zoë's gran too. Loves “proper” letters; =SUM(A1) is not a formula."
    assert rows["Old neighbour"]["archived_at"] == "2024-03-01T09:30:00+00:00"


def test_people_csv_reimports_into_a_new_account_unchanged(rich_network, member, new_account):
    result = import_csv(new_account, people_csv(member))
    # The two people called Alex, with no e-mail, phone or birthday, become one (the JSON
    # export keeps them apart).
    assert result == ImportResult(created=5, merged=0, skipped=1)
    keep = ["name", "nickname", "support_types", "circle", "rhythm_days", "preferred_channels"]
    keep += ["birthday", "birthday_year_known", "email", "phone", "notes", "archived_at"]
    theirs = {p["name"]: p for p in Person.objects.owned_by(new_account).values(*keep)}
    mine = {
        p["name"]: p for p in Person.objects.owned_by(member).exclude(name="Alex").values(*keep)
    }
    assert {name: row for name, row in theirs.items() if name != "Alex"} == mine


def test_people_csv_reimported_into_its_own_account_is_all_skipped(rich_network, member):
    assert import_csv(member, people_csv(member)) == ImportResult(created=0, merged=0, skipped=6)


def test_formula_in_a_name_is_written_as_text(member):
    Person.objects.create(owner=member, name='=HYPERLINK("http://x")')
    row = rows_of(people_csv(member))[0]
    assert row["name"].startswith("'=")


def test_interactions_csv_names_people_and_group_in_the_members_time(rich_network, member):
    text = interactions_csv(member)
    assert text.splitlines()[0].split(",") == INTERACTION_COLUMNS
    rows = rows_of(text)
    assert len(rows) == 4
    walk = rows[0]
    # 09:30 UTC on 27 February is 09:30 in London (winter time).
    assert walk["occurred_at"] == "2024-02-27T09:30:00+00:00"
    assert walk["people"] == "Alex;Gran;Sam Rivera"
    assert walk["group"] == "Choir"
    assert (walk["channel"], walk["direction"], walk["feeling"]) == ("in_person", "mutual", "5")
    assert walk["support_types"] == "companionship;emotional"
    assert walk["note"] == "Long walk, then tea.\nFelt lighter."
    assert rows[1] == {
        "occurred_at": "2024-03-01T09:30:00+00:00",
        "people": "",
        "group": "",
        "channel": "message",
        "direction": "mutual",
        "support_types": "",
        "feeling": "",
        "note": "Just me.",
    }


def test_interactions_csv_shows_summer_time(member):
    Interaction.objects.create(owner=member, occurred_at=datetime(2024, 7, 1, 17, 0, tzinfo=UTC))
    assert rows_of(interactions_csv(member))[0]["occurred_at"] == "2024-07-01T18:00:00+01:00"


# vCard ------------------------------------------------------------------------------


def test_vcard_export_is_vcard_3_with_the_agreed_properties(rich_network, member):
    text = people_vcard(member)
    assert "\r\n" in text
    cards = list(vobject.readComponents(text))
    assert len(cards) == 6
    sam = next(c for c in cards if c.fn.value == "Sam Rivera")
    assert sam.version.value == "3.0"
    assert (sam.n.value.given, sam.n.value.family) == ("Sam", "Rivera")
    assert sam.nickname.value == "Sam"
    assert sam.tel.value == "+44 7700 900123"
    assert sam.email.value == "sam@example.org"
    assert sam.note.value == "Sam walked with me every Sunday in March."
    gran = next(c for c in cards if c.fn.value == "Gran")
    assert gran.bday.value == "--02-29"


def test_vcard_export_reimports_with_no_new_people(rich_network, member):
    before = list(Person.objects.owned_by(member).values())
    result = import_vcard(member, people_vcard(member))
    assert result == ImportResult(created=0, merged=0, skipped=6)
    assert list(Person.objects.owned_by(member).values()) == before


def test_vcard_export_carries_contact_details_to_a_new_account(rich_network, member, new_account):
    import_vcard(new_account, people_vcard(member))
    keep = ["name", "nickname", "email", "phone", "birthday", "birthday_year_known", "notes"]
    theirs = {p["name"]: p for p in Person.objects.owned_by(new_account).values(*keep)}
    mine = {p["name"]: p for p in Person.objects.owned_by(member).values(*keep)}
    assert theirs == mine
