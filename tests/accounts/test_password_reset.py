"""Password reset by e-mail, through a real SMTP server on loopback."""

from __future__ import annotations

import re
from html import unescape

from django.urls import reverse

from closeknit.accounts import throttle
from closeknit.accounts.models import LoginFailure, User
from tests.accounts.conftest import sign_in, signed_in_user_id
from tests.accounts.html import Page, assert_every_control_is_labelled, assert_one_h1
from tests.conftest import PASSWORD

RESET = "/accounts/password/reset/"
NEW_PASSWORD = "willow-tea-and-a-long-walk"
LINK = re.compile(r"(https?://[^\s]+/accounts/password/reset/[^\s/]+/[^\s/]+/)")


def ask_for_reset(client, address: str):
    return client.post(RESET, {"email": address}, follow=True)


def link_in(message) -> str:
    match = LINK.search(message.get_content())
    assert match, message.get_content()
    return match.group(1)


def path_of(link: str) -> str:
    return re.sub(r"^https?://[^/]+", "", link)


def open_reset_form(client, message) -> str:
    """Follow the e-mailed link; return the token-free address of the form it leads to."""
    return client.get(path_of(link_in(message)), follow=True).redirect_chain[-1][0]


def test_reset_page_is_kind_and_labelled(client, db):
    response = client.get(RESET)
    page = Page(response.content)
    assert_one_h1(page)
    assert_every_control_is_labelled(page)
    assert page.control("email").get("autocomplete") == "email"
    assert "It happens to everyone" in response.content.decode()


def test_member_resets_their_password_by_email_and_signs_in_with_it(client, member, smtp_inbox):
    response = ask_for_reset(client, "Member@Example.org")
    assert response.redirect_chain == [(reverse("accounts:password-reset-sent"), 302)]
    assert "Check your e-mail" in response.content.decode()

    assert len(smtp_inbox.messages) == 1
    message = smtp_inbox.messages[0]
    assert message["To"] == "member@example.org"
    assert message["Subject"] == "Choosing a new Closeknit password"
    assert "Hello Robin" in message.get_content()
    assert "you can ignore this e-mail" in message.get_content()
    link = link_in(message)
    assert link.startswith("http://testserver/accounts/password/reset/")

    # The link swaps its token for a session and shows the form at a token-free address.
    response = client.get(path_of(link), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].endswith("/set-password/")
    page = Page(response.content)
    assert_every_control_is_labelled(page)
    assert page.control("new_password1").get("autocomplete") == "new-password"
    assert page.control("new_password2").get("autocomplete") == "new-password"

    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, follow=True
    )
    assert response.redirect_chain == [(reverse("accounts:password-reset-complete"), 302)]
    assert "Your new password is saved" in response.content.decode()
    assert signed_in_user_id(client) is None  # they sign in themselves, next

    sign_in(client, "member@example.org", PASSWORD)
    assert signed_in_user_id(client) is None
    sign_in(client, "member@example.org", NEW_PASSWORD)
    assert signed_in_user_id(client) == str(member.pk)


def test_a_reset_link_works_only_once(client, member, smtp_inbox):
    ask_for_reset(client, "member@example.org")
    link = path_of(link_in(smtp_inbox.messages[0]))
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    response = client.get(link, follow=True)
    assert "already been used or has expired" in response.content.decode()
    assert Page(response.content).visible_controls() == []


def test_a_forged_link_changes_nothing(client, member, smtp_inbox):
    response = client.get("/accounts/password/reset/MQ/forged-token/", follow=True)
    assert "already been used or has expired" in response.content.decode()
    member.refresh_from_db()
    assert member.check_password(PASSWORD)


def test_an_unknown_address_sees_the_same_page_and_no_mail_is_sent(client, member, smtp_inbox):
    known = ask_for_reset(client, "member@example.org")
    unknown = ask_for_reset(client, "nobody@example.org")
    assert unknown.redirect_chain == known.redirect_chain
    assert [m["To"] for m in smtp_inbox.messages] == ["member@example.org"]


def test_demo_members_without_a_password_get_no_mail(client, make_user, smtp_inbox):
    demo = make_user("demo@example.org", is_demo=True)
    demo.set_unusable_password()
    demo.save()
    ask_for_reset(client, "demo@example.org")
    assert smtp_inbox.messages == []


def test_mismatched_new_passwords_are_refused_and_the_password_stays(client, member, smtp_inbox):
    ask_for_reset(client, "member@example.org")
    link = path_of(link_in(smtp_inbox.messages[0]))
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    response = client.post(
        form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD + "x"}
    )
    assert response.status_code == 200
    page = Page(response.content)
    assert page.control("new_password2").get("aria-invalid") == "true"
    assert "The two passwords are different" in page.by_id("id_new_password2_error").text
    member.refresh_from_db()
    assert member.check_password(PASSWORD)


def test_a_weak_new_password_is_refused(client, member, smtp_inbox):
    ask_for_reset(client, "member@example.org")
    form_url = open_reset_form(client, smtp_inbox.messages[0])
    response = client.post(form_url, {"new_password1": "password", "new_password2": "password"})
    assert "too common" in unescape(response.content.decode())
    member.refresh_from_db()
    assert member.check_password(PASSWORD)


def test_the_link_points_at_the_host_the_member_used_over_https(client, member, smtp_inbox):
    client.post(RESET, {"email": "member@example.org"}, secure=True, HTTP_HOST="localhost")
    assert link_in(smtp_inbox.messages[0]).startswith("https://localhost/accounts/password/reset/")


def test_resetting_lifts_the_sign_in_throttle_for_that_address(
    client, member, smtp_inbox, settings
):
    settings.LOGIN_FAILURE_LIMIT = 2
    for _ in range(2):
        sign_in(client, "member@example.org", "wrong-guess")
    sign_in(client, "someone@example.org", "wrong-guess")
    assert not throttle.check("member@example.org", None).allowed

    ask_for_reset(client, "member@example.org")
    form_url = open_reset_form(client, smtp_inbox.messages[0])
    client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    sign_in(client, "member@example.org", NEW_PASSWORD)
    assert signed_in_user_id(client) == str(member.pk)
    # Only the address that proved itself starts afresh.
    assert LoginFailure.objects.filter(
        email_digest=throttle.email_digest("someone@example.org")
    ).exists()


def test_new_member_email_case_is_irrelevant_for_reset(client, db, smtp_inbox):
    User.objects.create_user("mixed@example.org", PASSWORD)
    ask_for_reset(client, "MIXED@EXAMPLE.ORG")
    assert [m["To"] for m in smtp_inbox.messages] == ["mixed@example.org"]
