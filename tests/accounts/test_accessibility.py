"""Every account page: one h1, a label for every control, autocomplete hints, linked errors."""

from __future__ import annotations

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from closeknit.accounts.models import ApiToken
from tests.accounts.html import Page, assert_every_control_is_labelled, assert_one_h1

AUTOCOMPLETE = {"email": {"email"}, "password": {"current-password", "new-password"}}

ANONYMOUS_PAGES = ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]
MEMBER_PAGES = ["/accounts/settings/", "/accounts/password/", "/accounts/delete/"]


def check(content: bytes) -> Page:
    page = Page(content)
    assert_one_h1(page)
    assert_every_control_is_labelled(page)
    for control in page.visible_controls():
        kind = control.get("type")
        if kind in AUTOCOMPLETE:
            assert control.get("autocomplete") in AUTOCOMPLETE[kind], control.attrs
    return page


@pytest.mark.parametrize("url", ANONYMOUS_PAGES)
def test_pages_for_everyone_are_labelled(client, db, url):
    check(client.get(url).content)


@pytest.mark.parametrize("url", MEMBER_PAGES)
def test_pages_for_members_are_labelled(member_client, url):
    check(member_client.get(url).content)


def test_reset_form_reached_from_the_link_is_labelled(client, member):
    uid = urlsafe_base64_encode(force_bytes(member.pk))
    token = default_token_generator.make_token(member)
    response = client.get(f"/accounts/password/reset/{uid}/{token}/", follow=True)
    page = check(response.content)
    assert [c.get("autocomplete") for c in page.visible_controls()] == ["new-password"] * 2


def test_token_pages_are_labelled(member_client, member):
    check(member_client.post("/accounts/tokens/new/", {"name": "Script"}).content)
    token = ApiToken.objects.get()
    page = Page(member_client.get(f"/accounts/tokens/{token.pk}/revoke/").content)
    assert_one_h1(page)


@pytest.mark.parametrize(
    ("url", "data", "field"),
    [
        ("/accounts/signup/", {"email": "nope"}, "email"),
        ("/accounts/login/", {"username": "", "password": "x"}, "username"),
        ("/accounts/password/reset/", {"email": "nope"}, "email"),
    ],
)
def test_errors_are_linked_to_their_fields(client, db, url, data, field):
    page = Page(client.post(url, data).content)
    control = page.control(field)
    assert control.get("aria-invalid") == "true"
    described = page.described_by(control)
    assert any(e.tag == "ul" and "errorlist" in e.get("class") for e in described)
    # A summary is announced to screen readers as the page loads.
    assert page.find_all("p", role="alert") or page.find_all("div", role="alert")


def test_help_text_is_linked_too(client, db):
    page = Page(client.get("/accounts/signup/").content)
    control = page.control("time_zone")
    assert [e.text for e in page.described_by(control)] == [
        "Days and reminders follow your own clock."
    ]


@pytest.mark.parametrize("url", ANONYMOUS_PAGES)
def test_pages_for_everyone_need_no_queries(client, db, url, django_assert_max_num_queries):
    with django_assert_max_num_queries(0):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("url", MEMBER_PAGES)
def test_pages_for_members_need_few_queries(member_client, url, django_assert_max_num_queries):
    # Session, user, and whether a safety plan exists (for the header link).
    with django_assert_max_num_queries(4):
        assert member_client.get(url).status_code == 200
