"""Deleting an account: a confirmation, then nothing of the member is left anywhere.

The big test walks every foreign key of every model (and every foreign key
the database itself knows about), so a model someone adds later that
points at the member, or at anything of the member's, is covered without
changing this file.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import Group as PermissionGroup
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.test import Client
from django.urls import reverse

from closeknit.accounts import throttle
from closeknit.accounts.models import ApiToken, LoginFailure, User
from closeknit.accounts.views import FAREWELL
from closeknit.network.models import Group, Interaction, Person
from tests.accounts.conftest import sign_in, signed_in_user_id
from tests.accounts.html import Page, assert_every_control_is_labelled, assert_one_h1
from tests.conftest import PASSWORD

DELETE = "/accounts/delete/"

Reached = dict[type[models.Model], set[Any]]


# --- a generic walk over every relation -----------------------------------------


def concrete_models() -> list[type[models.Model]]:
    """Every model with a table of its own, including auto-created many-to-many tables."""
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    ]


def foreign_keys(model: type[models.Model]) -> list[models.ForeignKey]:
    # OneToOneField is a ForeignKey; many-to-many links are ForeignKeys on their through models.
    return [f for f in model._meta.concrete_fields if isinstance(f, models.ForeignKey)]


def generic_foreign_keys(model: type[models.Model]) -> list[GenericForeignKey]:
    return [f for f in model._meta.private_fields if isinstance(f, GenericForeignKey)]


def rows_reaching(user: User) -> Reached:
    """The primary keys of every row that points at the user, directly or through other rows."""
    reached: Reached = defaultdict(set)
    reached[User].add(user.pk)
    changed = True
    while changed:
        changed = False
        for model in concrete_models():
            found: set[Any] = set()
            for fk in foreign_keys(model):
                target = fk.related_model._meta.concrete_model
                if reached.get(target):
                    values = target._base_manager.filter(pk__in=reached[target]).values_list(
                        fk.target_field.attname, flat=True
                    )
                    found |= set(
                        model._base_manager.filter(
                            **{f"{fk.attname}__in": list(values)}
                        ).values_list("pk", flat=True)
                    )
            for gfk in generic_foreign_keys(model):
                for target, pks in list(reached.items()):
                    content_type = ContentType.objects.get_for_model(target)
                    found |= set(
                        model._base_manager.filter(
                            **{gfk.ct_field: content_type, f"{gfk.fk_field}__in": list(pks)}
                        ).values_list("pk", flat=True)
                    )
            if found - reached[model]:
                reached[model] |= found
                changed = True
    return {model: pks for model, pks in reached.items() if pks}


def referenced_values(reached: Reached) -> dict[tuple[str, str], set[Any]]:
    """(table, column) → the values of the reached rows, for every column a key can point at."""
    targets = {
        (fk.related_model._meta.concrete_model, fk.target_field)
        for model in concrete_models()
        for fk in foreign_keys(model)
    } | {(model, model._meta.pk) for model in reached}
    values: dict[tuple[str, str], set[Any]] = {}
    for model, field in targets:
        if model not in reached:
            continue
        column_values = model._base_manager.filter(pk__in=reached[model]).values_list(
            field.attname, flat=True
        )
        values[(model._meta.db_table, field.column)] = {v for v in column_values if v is not None}
    return values


def model_references(values: dict[tuple[str, str], set[Any]]) -> list[str]:
    """Rows, found through the models, whose foreign key points at one of `values`."""
    found = []
    for model in concrete_models():
        for fk in foreign_keys(model):
            target = fk.related_model._meta.concrete_model
            wanted = values.get((target._meta.db_table, fk.target_field.column))
            if wanted:
                count = model._base_manager.filter(**{f"{fk.attname}__in": list(wanted)}).count()
                if count:
                    found.append(f"{model._meta.label}.{fk.name}: {count}")
        for gfk in generic_foreign_keys(model):
            for (table, column), wanted in values.items():
                target = next(m for m in concrete_models() if m._meta.db_table == table)
                if column != target._meta.pk.column or not wanted:
                    continue
                count = model._base_manager.filter(
                    **{
                        gfk.ct_field: ContentType.objects.get_for_model(target),
                        f"{gfk.fk_field}__in": list(wanted),
                    }
                ).count()
                if count:
                    found.append(f"{model._meta.label}.{gfk.name}: {count}")
    return found


def database_references(values: dict[tuple[str, str], set[Any]]) -> list[str]:
    """The same, from the database's own list of tables and foreign-key constraints."""
    found = []
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            for column, (ref_column, ref_table) in connection.introspection.get_relations(
                cursor, table
            ).items():
                wanted = values.get((ref_table, ref_column or "id"))
                if not wanted:
                    continue
                placeholders = ", ".join(["%s"] * len(wanted))
                cursor.execute(
                    f"SELECT COUNT(*) FROM {quote(table)} WHERE {quote(column)} IN ({placeholders})",
                    list(wanted),
                )
                (count,) = cursor.fetchone()
                if count:
                    found.append(f"{table}.{column}: {count}")
    return found


def unexplained_tables() -> set[str]:
    """Tables no model describes: rows there would escape the model walk."""
    known = {model._meta.db_table for model in concrete_models()} | {"django_migrations"}
    return set(connection.introspection.table_names()) - known


def existing(reached: Reached) -> Reached:
    return {
        model: set(model._base_manager.filter(pk__in=pks).values_list("pk", flat=True))
        for model, pks in reached.items()
    }


# --- data ---------------------------------------------------------------------------


def give_full_network(owner: User, tag: str) -> None:
    """People, groups, interactions with several people, tokens, failed sign-ins."""
    people = [
        Person.objects.create(owner=owner, name=f"{tag} person {n}", roles=["friend"])
        for n in range(3)
    ]
    group = Group.objects.create(owner=owner, name=f"{tag} walking group", kind="club")
    group.members.add(*people[:2])
    talk = Interaction.objects.create(owner=owner, channel="call", note=f"{tag} private note")
    talk.people.add(*people)
    Interaction.objects.create(owner=owner, group=group, channel="in_person")
    ApiToken.issue(owner, f"{tag} token")
    ApiToken.issue(owner, f"{tag} other token")
    owner.groups.add(PermissionGroup.objects.get_or_create(name="members")[0])
    for address in (owner.email, owner.email.upper()):
        LoginFailure.objects.create(email_digest=throttle.email_digest(address), ip_address=None)


@pytest.fixture
def full_member(member, network):
    give_full_network(member, "member")
    return member


@pytest.fixture
def full_stranger(stranger):
    give_full_network(stranger, "stranger")
    return stranger


def delete_by_password(client: Client, password: str = PASSWORD):
    return client.post(DELETE, {"password": password}, follow=True)


# --- the big one -----------------------------------------------------------------------


def test_deleting_an_account_leaves_no_row_that_references_the_member(
    full_member, full_stranger, member_client
):
    assert unexplained_tables() == set()
    member_rows = rows_reaching(full_member)
    stranger_rows = rows_reaching(full_stranger)
    # The walk really finds the member's data (so this test can fail).
    through = {Group.members.through, Interaction.people.through, User.groups.through}
    for model in {Person, Group, Interaction, ApiToken, *through}:
        assert member_rows.get(model), f"the walk found no {model._meta.label} rows"
    assert len(member_rows[Person]) == 5
    values = referenced_values(member_rows)
    assert model_references(values) and database_references(values)
    digest = throttle.email_digest(full_member.email)
    assert LoginFailure.objects.filter(email_digest=digest).count() == 2
    other_device = Client()
    other_device.force_login(full_member)

    response = delete_by_password(member_client)

    assert response.redirect_chain == [(reverse("accounts:login"), 302)]
    assert not User.objects.filter(email=full_member.email).exists()
    assert model_references(values) == []
    assert database_references(values) == []
    assert {model: pks for model, pks in existing(member_rows).items() if pks} == {}
    assert LoginFailure.objects.filter(email_digest=digest).count() == 0
    # Not even a session on another device still names the member.
    assert signed_in_user_id(member_client) is None
    assert other_device.get(reverse("accounts:settings")).status_code == 302
    assert not any(
        s.get_decoded().get("_auth_user_id") == str(full_member.pk)
        for s in apps.get_model("sessions", "Session").objects.all()
    )
    # The stranger keeps every row of theirs.
    assert rows_reaching(full_stranger) == stranger_rows
    assert (
        LoginFailure.objects.filter(email_digest=throttle.email_digest(full_stranger.email)).count()
        == 2
    )
    assert Interaction.objects.get(owner=full_stranger, channel="call").note == (
        "stranger private note"
    )


# --- the page and its refusals ------------------------------------------------------


def test_delete_page_asks_for_the_password(member_client):
    response = member_client.get(DELETE)
    assert response.status_code == 200
    page = Page(response.content)
    assert_one_h1(page)
    assert_every_control_is_labelled(page)
    password = page.control("password")
    assert password.get("type") == "password"
    assert password.get("autocomplete") == "current-password"
    assert "can't be undone" in response.content.decode().replace("&#x27;", "'")


def test_farewell_is_shown_on_the_sign_in_page(member_client, member):
    response = delete_by_password(member_client)
    assert [str(m) for m in response.context["messages"]] == [FAREWELL]
    assert "Sign in" in Page(response.content).find("h1").text


def test_a_wrong_password_deletes_nothing(member_client, member, network):
    response = delete_by_password(member_client, "not-my-password")
    assert response.status_code == 200
    page = Page(response.content)
    control = page.control("password")
    assert control.get("aria-invalid") == "true"
    assert "doesn't match" in page.by_id("id_password_error").text
    assert User.objects.filter(pk=member.pk).exists()
    assert Person.objects.owned_by(member).count() == 2
    assert signed_in_user_id(member_client) == str(member.pk)


def test_guessing_the_password_on_the_delete_page_is_throttled(member_client, member, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    delete_by_password(member_client, "guess one")
    delete_by_password(member_client, "guess two")
    response = delete_by_password(member_client, PASSWORD)
    assert "Too many attempts" in response.content.decode()
    assert User.objects.filter(pk=member.pk).exists()


def test_deleting_needs_a_post(member_client, member):
    member_client.get(DELETE, {"password": PASSWORD})
    assert User.objects.filter(pk=member.pk).exists()


def test_demo_member_confirms_by_typing_delete(client, make_user):
    demo = make_user("demo-7@example.org", is_demo=True)
    demo.set_unusable_password()
    demo.save()
    Person.objects.create(owner=demo, name="Made-up friend")
    client.force_login(demo)
    page = Page(client.get(DELETE).content)
    assert_every_control_is_labelled(page)
    assert page.find("label", for_="id_confirm").text == "Type DELETE to confirm"
    assert not page.find_all("input", name="password")

    response = client.post(DELETE, {"confirm": "remove"})
    assert "Please type DELETE to confirm" in response.content.decode()
    assert User.objects.filter(pk=demo.pk).exists()

    response = client.post(DELETE, {"confirm": " delete "}, follow=True)
    assert response.redirect_chain == [(reverse("accounts:login"), 302)]
    assert not User.objects.filter(pk=demo.pk).exists()
    assert not Person.objects.filter(name="Made-up friend").exists()


def test_an_empty_form_deletes_nothing(member_client, member):
    response = member_client.post(DELETE, {})
    assert "password" in response.context["form"].errors
    assert User.objects.filter(pk=member.pk).exists()


def test_the_deleted_member_can_sign_up_again_with_the_same_address(client, member_client):
    delete_by_password(member_client)
    sign_in(client, "member@example.org", PASSWORD)
    assert signed_in_user_id(client) is None
    response = client.post(
        "/accounts/signup/",
        {
            "email": "member@example.org",
            "password1": "a-fresh-start-together",
            "password2": "a-fresh-start-together",
            "time_zone": "UTC",
            "country": "",
        },
    )
    assert response.status_code == 302
