"""The "Explore a demo" button: POST /demo/start/."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from closeknit.accounts.models import User
from closeknit.demo.generate import DEMO_DOMAIN, demo_members
from closeknit.network.models import Person

pytestmark = pytest.mark.django_db

URL = "/demo/start/"


def test_the_route_is_named_demo_start():
    assert reverse("demo:start") == URL


def test_start_creates_a_private_demo_member_signs_them_in_and_welcomes_them(client):
    response = client.post(URL)
    assert response.status_code == 302
    assert response.url == reverse("network:home")
    member = demo_members().get()
    assert member.is_demo
    assert member.email.startswith("demo-") and member.email.endswith("@" + DEMO_DOMAIN)
    assert not member.has_usable_password()
    assert int(client.session["_auth_user_id"]) == member.pk
    assert Person.objects.owned_by(member).count() > 30
    (welcome,) = [str(m) for m in get_messages(response.wsgi_request)]
    assert "demo" in welcome and "made up" in welcome and "Settings" in welcome


def test_the_welcome_is_shown_on_the_next_page(client):
    response = client.post(URL, follow=True)
    assert response.status_code == 200
    assert b"This is a demo" in response.content


def test_each_visitor_gets_their_own_demo(client):
    client.post(URL)
    Client().post(URL)
    first, second = demo_members().order_by("pk")
    assert first.email != second.email
    assert not Person.objects.filter(owner=first).filter(pk__in=Person.objects.filter(owner=second))


def test_a_signed_in_member_who_starts_a_demo_is_signed_in_as_the_demo(member_client, member):
    member_client.post(URL)
    demo = demo_members().get()
    assert int(member_client.session["_auth_user_id"]) == demo.pk
    assert not Person.objects.filter(owner=member).exists()


def test_get_is_not_allowed_and_creates_nothing(client):
    response = client.get(URL)
    assert response.status_code == 405
    assert not User.objects.exists()


def test_when_demos_are_switched_off_it_is_404_and_creates_nothing(client, settings):
    settings.DEMO_ENABLED = False
    response = client.post(URL)
    assert response.status_code == 404
    assert not User.objects.exists()


def test_without_a_csrf_token_nothing_is_created():
    response = Client(enforce_csrf_checks=True).post(URL)
    assert response.status_code == 403
    assert not User.objects.exists()
