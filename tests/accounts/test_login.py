"""Signing in and out, the demo button, and the failed-attempt throttle at the door."""

from __future__ import annotations

from datetime import timedelta
from html import unescape

import pytest
import time_machine
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.urls import reverse
from django.utils import timezone

from closeknit.accounts import throttle
from closeknit.accounts.forms import INVALID_LOGIN
from closeknit.accounts.models import LoginFailure
from closeknit.accounts.views import SIGNED_OUT
from tests.accounts.conftest import CLIENT_IP, sign_in, signed_in_user_id
from tests.accounts.html import Page, assert_every_control_is_labelled, assert_one_h1
from tests.conftest import PASSWORD

LOGIN = "/accounts/login/"


@pytest.fixture
def limit_three(settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    settings.LOGIN_FAILURE_WINDOW_MINUTES = 15


@pytest.fixture
def signals():
    """Record auth signals, to prove whether a password was checked at all."""
    seen: list[str] = []

    def failed(**kwargs):
        seen.append("failed")

    def logged_in(**kwargs):
        seen.append("logged_in")

    user_login_failed.connect(failed)
    user_logged_in.connect(logged_in)
    yield seen
    user_login_failed.disconnect(failed)
    user_logged_in.disconnect(logged_in)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_url_names_are_kept():
    assert reverse("accounts:login") == LOGIN
    assert reverse("accounts:logout") == "/accounts/logout/"
    assert reverse("accounts:settings") == "/accounts/settings/"


def test_sign_in_page_is_labelled_with_autocomplete_hints(client, db):
    response = client.get(LOGIN)
    assert response.status_code == 200
    page = Page(response.content)
    assert_one_h1(page)
    assert_every_control_is_labelled(page)
    assert page.control("username").get("autocomplete") == "email"
    assert page.control("username").get("type") == "email"
    assert page.control("password").get("autocomplete") == "current-password"
    assert page.find("a", href=reverse("accounts:password-reset"))
    assert page.find("a", href=reverse("accounts:signup"))


def test_sign_in_page_offers_the_demo_when_enabled(client, db, settings):
    settings.DEMO_ENABLED = True
    page = Page(client.get(LOGIN).content)
    demo_form = page.find("form", action="/demo/start/")
    assert demo_form.get("method") == "post"
    assert "Explore a demo" in demo_form.text
    assert "csrfmiddlewaretoken" in [i.get("name") for i in page.find_all("input")]


def test_sign_in_page_hides_the_demo_when_disabled(client, db, settings):
    settings.DEMO_ENABLED = False
    content = client.get(LOGIN).content.decode()
    assert "Explore a demo" not in content
    assert "/demo/start/" not in content


def test_member_signs_in_with_email_and_password(client, member, signals):
    response = sign_in(client, "member@example.org", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("network:home")
    assert signed_in_user_id(client) == str(member.pk)
    assert signals == ["logged_in"]


def test_the_address_is_not_case_sensitive(client, member):
    sign_in(client, "  Member@EXAMPLE.org ", PASSWORD)
    assert signed_in_user_id(client) == str(member.pk)


def test_sign_in_goes_back_to_the_page_asked_for(client, member):
    response = client.post(
        f"{LOGIN}?next=/people/",
        {"username": "member@example.org", "password": PASSWORD, "next": "/people/"},
    )
    assert response["Location"] == "/people/"


def test_sign_in_ignores_a_next_address_on_another_site(client, member):
    response = client.post(
        LOGIN,
        {"username": "member@example.org", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("network:home")


def test_a_signed_in_member_is_sent_home_from_the_sign_in_page(member_client):
    response = member_client.get(LOGIN)
    assert response.status_code == 302
    assert response["Location"] == reverse("network:home")


def test_wrong_password_gets_a_kind_message_and_is_counted(client, member):
    response = sign_in(client, "member@example.org", "not-my-password")
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [INVALID_LOGIN]
    assert INVALID_LOGIN in unescape(response.content.decode())
    assert signed_in_user_id(client) is None
    failure = LoginFailure.objects.get()
    assert failure.email_digest == throttle.email_digest("member@example.org")
    assert failure.ip_address == CLIENT_IP


def test_unknown_address_gets_the_same_message_and_is_counted(client, db):
    response = sign_in(client, "nobody@example.org", "whatever-it-is")
    assert response.context["form"].non_field_errors() == [INVALID_LOGIN]
    assert LoginFailure.objects.filter(
        email_digest=throttle.email_digest("nobody@example.org")
    ).exists()


def test_empty_fields_are_refused_without_counting_a_failure(client, db):
    response = client.post(LOGIN, {"username": "", "password": ""}, REMOTE_ADDR=CLIENT_IP)
    form = response.context["form"]
    assert set(form.errors) == {"username", "password"}
    page = Page(response.content)
    assert page.control("username").get("aria-describedby") == "id_username_error"
    assert page.by_id("id_username_error").tag == "ul"
    assert not LoginFailure.objects.exists()


def test_demo_member_cannot_sign_in_with_a_password(client, make_user):
    demo = make_user("demo-1@demo.invalid", is_demo=True)
    demo.set_unusable_password()
    demo.save()
    sign_in(client, "demo-1@demo.invalid", "")
    sign_in(client, "demo-1@demo.invalid", "!")
    assert signed_in_user_id(client) is None


def test_after_the_limit_even_the_right_password_is_refused_unchecked(
    client, member, limit_three, signals
):
    for _ in range(3):
        sign_in(client, "member@example.org", "wrong-guess")
    assert signals == ["failed"] * 3
    response = sign_in(client, "member@example.org", PASSWORD)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Too many attempts. Please wait a few minutes and try again."
    ]
    assert signed_in_user_id(client) is None
    response = sign_in(client, "member@example.org", "another-wrong-guess")
    assert "Too many attempts" in response.content.decode()
    # Neither throttled attempt reached the password check (which signals either way),
    # and neither was recorded (so an attacker cannot keep the window open forever).
    assert signals == ["failed"] * 3
    assert LoginFailure.objects.count() == 3


def test_one_below_the_limit_still_lets_the_member_in(client, member, limit_three):
    for _ in range(2):
        sign_in(client, "member@example.org", "wrong-guess")
    sign_in(client, "member@example.org", PASSWORD)
    assert signed_in_user_id(client) == str(member.pk)


def test_throttle_lifts_once_the_window_has_passed(client, member, limit_three):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(3):
            sign_in(client, "member@example.org", "wrong-guess")
    with time_machine.travel(start + timedelta(minutes=14, seconds=59), tick=False):
        sign_in(client, "member@example.org", PASSWORD)
        assert signed_in_user_id(client) is None
    with time_machine.travel(start + timedelta(minutes=15), tick=False):
        sign_in(client, "member@example.org", PASSWORD)
        assert signed_in_user_id(client) == str(member.pk)


def test_a_successful_sign_in_clears_that_address_only(client, member, limit_three):
    sign_in(client, "member@example.org", "wrong-guess")
    sign_in(client, "member@example.org", "wrong-guess")
    sign_in(client, "someone-else@example.org", "wrong-guess")
    sign_in(client, "MEMBER@example.org", PASSWORD)
    assert signed_in_user_id(client) == str(member.pk)
    assert list(LoginFailure.objects.values_list("email_digest", flat=True)) == [
        throttle.email_digest("someone-else@example.org")
    ]


def test_throttling_one_address_leaves_other_members_alone(client, member, stranger, limit_three):
    for _ in range(3):
        sign_in(client, "member@example.org", "wrong-guess", ip="198.51.100.1")
    sign_in(client, "stranger@example.org", PASSWORD, ip="198.51.100.2")
    assert signed_in_user_id(client) == str(stranger.pk)


def test_one_ip_trying_many_addresses_is_slowed_down(client, member, limit_three):
    # The per-IP limit is four times the per-address limit: 12 here.
    for n in range(12):
        sign_in(client, f"guess{n}@example.org", "wrong-guess", ip="198.51.100.66")
    response = sign_in(client, "member@example.org", PASSWORD, ip="198.51.100.66")
    assert "Too many attempts" in response.content.decode()
    assert signed_in_user_id(client) is None
    # The member, from their own connection, is not locked out by it.
    sign_in(client, "member@example.org", PASSWORD, ip="192.0.2.10")
    assert signed_in_user_id(client) == str(member.pk)


def test_sign_out_needs_a_post(member_client, member):
    response = member_client.get("/accounts/logout/")
    assert response.status_code == 405
    assert signed_in_user_id(member_client) == str(member.pk)


def test_sign_out_signs_out_with_a_kind_word(member_client):
    response = member_client.post("/accounts/logout/", follow=True)
    assert response.redirect_chain[0] == (reverse("accounts:login"), 302)
    assert signed_in_user_id(member_client) is None
    assert messages_of(response) == [SIGNED_OUT]
    assert member_client.get(reverse("accounts:settings")).status_code == 302


def test_behind_a_proxy_one_guesser_does_not_pause_everyone(client, member, limit_three, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    proxy = {"ip": "10.0.0.2"}
    for n in range(12):
        sign_in(client, f"guess{n}@example.org", "x", HTTP_X_FORWARDED_FOR="198.51.100.66", **proxy)
    assert set(LoginFailure.objects.values_list("ip_address", flat=True)) == {"198.51.100.66"}
    response = sign_in(
        client, "stranger@example.org", "x", HTTP_X_FORWARDED_FOR="198.51.100.66", **proxy
    )
    assert "Too many attempts" in response.content.decode()
    sign_in(client, "member@example.org", PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.10", **proxy)
    assert signed_in_user_id(client) == str(member.pk)


def test_without_a_proxy_a_forwarded_header_is_ignored(client, member, limit_three):
    for n in range(12):
        sign_in(client, f"guess{n}@example.org", "x", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    assert set(LoginFailure.objects.values_list("ip_address", flat=True)) == {CLIENT_IP}
