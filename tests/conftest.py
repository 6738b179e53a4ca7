"""Shared fixtures: a member who owns data, and a stranger who must never see it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from closeknit.accounts.models import ApiToken, User
from closeknit.network.models import Group, Interaction, Person
from tests.browser import browser, page, skip_browser_tests_without_chromium
from tests.receivers import http_receiver, smtp_inbox

# Fixtures shared by every folder: the browser tests' and the loopback receivers'.
__all__ = ["browser", "http_receiver", "page", "smtp_inbox"]

PASSWORD = "a-long-and-kind-passphrase"


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    skip_browser_tests_without_chromium(items)


@pytest.fixture
def make_user(db: Any) -> Callable[..., User]:
    def make(email: str, **extra: Any) -> User:
        extra.setdefault("time_zone", "Europe/London")
        extra.setdefault("country", "GB")
        return User.objects.create_user(email, PASSWORD, **extra)

    return make


@pytest.fixture
def member(make_user: Callable[..., User]) -> User:
    return make_user("member@example.org", display_name="Robin")


@pytest.fixture
def stranger(make_user: Callable[..., User]) -> User:
    return make_user("stranger@example.org", display_name="Stranger")


@pytest.fixture
def member_client(member: User) -> Client:
    client = Client()
    client.force_login(member)
    return client


@pytest.fixture
def stranger_client(stranger: User) -> Client:
    client = Client()
    client.force_login(stranger)
    return client


@pytest.fixture
def member_token(member: User) -> str:
    return ApiToken.issue(member, "tests")[1]


@pytest.fixture
def stranger_token(stranger: User) -> str:
    return ApiToken.issue(stranger, "tests")[1]


@pytest.fixture
def network(member: User) -> dict[str, Any]:
    """A small network owned by the member: two people, a group, two interactions."""
    sam = Person.objects.create(
        owner=member,
        name="Sam Rivera",
        nickname="Sam",
        roles=["friend"],
        support_types=["emotional", "companionship"],
        circle="inner",
        rhythm_days=14,
        email="sam@example.org",
        phone="+44 7700 900123",
        notes="Sam walked with me every Sunday in March.",
    )
    ada = Person.objects.create(
        owner=member, name="Ada Okafor", roles=["therapist"], support_types=["informational"]
    )
    group = Group.objects.create(
        owner=member,
        name="Tuesday peer group",
        kind="support_group",
        schedule="FREQ=WEEKLY;BYDAY=TU",
    )
    group.members.add(sam)
    call = Interaction.objects.create(
        owner=member, channel="call", direction="received", feeling=4, note="Talked it through."
    )
    call.people.add(sam)
    meeting = Interaction.objects.create(owner=member, group=group, channel="in_person")
    return {"sam": sam, "ada": ada, "group": group, "call": call, "meeting": meeting}
