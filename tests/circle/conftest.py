"""The circle's shared fixtures: a supporter, and links between them and the member."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import pytest
from django.test import Client

from closeknit.accounts.models import User
from closeknit.circle.models import Link
from closeknit.network.models import Person


@pytest.fixture
def supporter(make_user: Callable[..., User]) -> User:
    return make_user("sam@example.org", display_name="Sam")


@pytest.fixture
def supporter_client(supporter: User) -> Client:
    client = Client()
    client.force_login(supporter)
    return client


@pytest.fixture
def make_link(db: Any) -> Callable[..., Link]:
    """A link from `member` to `supporter`, with the member's own person entry for them."""

    def make(
        member: User, supporter: User, scopes: Iterable[str] = (), name: str | None = None
    ) -> Link:
        person = Person.objects.create(owner=member, name=name or supporter.name)
        return Link.objects.create(
            owner=member, supporter=supporter, person=person, scopes=list(scopes)
        )

    return make


@pytest.fixture
def link(make_link: Callable[..., Link], member: User, supporter: User) -> Link:
    """Sam supports Robin, and Robin shares nothing yet."""
    return make_link(member, supporter)


@pytest.fixture
def alex(make_user: Callable[..., User]) -> User:
    return make_user("alex@example.org", display_name="Alex")


@pytest.fixture
def sam_link(make_link: Callable[..., Link], member: User, supporter: User) -> Link:
    """Sam, as the member knows him, hears the member's "I need support"."""
    return make_link(member, supporter, ["help_requests"], name="Sam Rivera")
