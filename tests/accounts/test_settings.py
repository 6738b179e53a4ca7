"""The settings page: profile, password change, and API tokens."""

from __future__ import annotations

from html import unescape

import pytest
from django.urls import reverse

from closeknit.accounts.models import ApiToken, LoginFailure, User, hash_token
from closeknit.lib.countries import country_name
from closeknit.recovery import crisis
from tests.accounts.conftest import signed_in_user_id
from tests.accounts.html import Page, assert_every_control_is_labelled, assert_one_h1
from tests.conftest import PASSWORD

SETTINGS = "/accounts/settings/"
CHANGE_PASSWORD = "/accounts/password/"
TOKEN_CREATE = "/accounts/tokens/new/"
NEW_PASSWORD = "evening-swim-and-cocoa"


def profile(**overrides: str) -> dict[str, str]:
    data = {
        "display_name": "Robin",
        "time_zone": "Europe/London",
        "country": "GB",
        "language": "en",
    }
    data.update(overrides)
    return data


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# --- the page -----------------------------------------------------------------


@pytest.mark.parametrize("url", [SETTINGS, CHANGE_PASSWORD, "/accounts/delete/"])
def test_account_pages_need_a_signed_in_member(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_settings_page_shows_the_members_profile(member_client):
    response = member_client.get(SETTINGS)
    assert response.status_code == 200
    page = Page(response.content)
    assert_one_h1(page)
    assert_every_control_is_labelled(page)
    assert page.control("display_name").get("value") == "Robin"
    selected = {
        name: [o.get("value") for o in page.options(name) if "selected" in o.attrs]
        for name in ("time_zone", "country", "language")
    }
    assert selected == {"time_zone": ["Europe/London"], "country": ["GB"], "language": ["en"]}
    assert page.find("a", href=CHANGE_PASSWORD)
    assert page.find("a", href=reverse("accounts:delete"))


def test_country_choice_names_every_country_with_crisis_lines(member_client):
    page = Page(member_client.get(SETTINGS).content)
    options = {o.get("value"): o.text for o in page.options("country")}
    for code in crisis.countries():
        assert options[code] == country_name(code)
        assert options[code] != code, f"{code} has no name"
    assert options["GB"] == "United Kingdom"


def test_only_english_is_offered_for_now(member_client):
    page = Page(member_client.get(SETTINGS).content)
    assert [o.get("value") for o in page.options("language")] == ["en"]


def test_saving_the_profile_changes_it(member_client, member):
    response = member_client.post(
        SETTINGS, profile(display_name="Rob", time_zone="Asia/Tokyo", country="JP"), follow=True
    )
    assert response.redirect_chain == [(SETTINGS, 302)]
    assert messages_of(response) == ["Your settings are saved."]
    member.refresh_from_db()
    assert (member.display_name, member.time_zone, member.country) == ("Rob", "Asia/Tokyo", "JP")


def test_country_can_be_cleared(member_client, member):
    member_client.post(SETTINGS, profile(country=""))
    member.refresh_from_db()
    assert member.country == ""


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("time_zone", "Atlantis/Capital"),
        ("country", "ZZ"),
        ("language", "fr"),
        ("display_name", "x" * 101),
    ],
)
def test_bad_profile_input_is_refused_and_changes_nothing(member_client, member, field, value):
    response = member_client.post(SETTINGS, {**profile(display_name="Changed"), field: value})
    assert response.status_code == 200
    assert field in response.context["profile_form"].errors
    page = Page(response.content)
    control = page.control(field)
    assert control.get("aria-invalid") == "true"
    assert f"id_{field}_error" in control.get("aria-describedby").split()
    member.refresh_from_db()
    assert (member.display_name, member.time_zone, member.country, member.language) == (
        "Robin",
        "Europe/London",
        "GB",
        "en",
    )


@pytest.mark.parametrize("count", [1, 25])
def test_settings_page_query_count_does_not_grow_with_tokens(
    member_client, member, count, django_assert_max_num_queries
):
    for n in range(count):
        ApiToken.issue(member, f"token {n}")
    with django_assert_max_num_queries(4):  # session, user, safety-plan link, tokens
        response = member_client.get(SETTINGS)
    assert response.content.decode().count("/revoke/") == count


# --- API tokens -----------------------------------------------------------------


def test_token_list_shows_name_prefix_and_dates_of_own_tokens_only(member_client, member, stranger):
    token, _ = ApiToken.issue(member, "Phone shortcut")
    ApiToken.issue(stranger, "Stranger's script")
    response = member_client.get(SETTINGS)
    text = unescape(response.content.decode())
    assert "Phone shortcut" in text
    assert f"{token.prefix}…" in text
    assert "Not yet" in text  # never used
    assert "Stranger's script" not in text
    assert list(response.context["tokens"]) == [token]


def test_token_list_shows_when_a_token_was_last_used(member_client, member):
    token, _ = ApiToken.issue(member, "Used one")
    ApiToken.objects.filter(pk=token.pk).update(last_used_at="2026-02-03T10:20:00Z")
    text = member_client.get(SETTINGS).content.decode()
    assert "3 Feb 2026, 10:20" in text  # London is on UTC in February
    assert "Not yet" not in text


def test_creating_a_token_shows_its_secret_once(member_client, member):
    response = member_client.post(TOKEN_CREATE, {"name": "  Home dashboard "})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get()
    assert token.owner == member
    assert token.name == "Home dashboard"
    page = Page(response.content)
    secret = page.by_id("token-secret").get("value")
    assert secret.startswith("ck_") and secret.startswith(token.prefix)
    assert hash_token(secret) == token.digest
    assert "only time" in response.content.decode()
    # Never again: not on the settings page, and nowhere in the database.
    assert secret not in member_client.get(SETTINGS).content.decode()
    assert secret not in str(list(ApiToken.objects.values_list()))


def test_a_token_without_a_name_gets_a_plain_one(member_client):
    member_client.post(TOKEN_CREATE, {"name": ""})
    assert ApiToken.objects.get().name == "API token"


def test_a_too_long_token_name_is_refused_and_no_token_is_made(member_client):
    response = member_client.post(TOKEN_CREATE, {"name": "n" * 101})
    assert response.status_code == 200
    assert "name" in response.context["token_form"].errors
    assert Page(response.content).control("name").get("aria-invalid") == "true"
    assert not ApiToken.objects.exists()


def test_tokens_are_created_only_by_post(member_client):
    assert member_client.get(TOKEN_CREATE).status_code == 405
    assert not ApiToken.objects.exists()


def test_revoking_asks_first_then_deletes(member_client, member):
    token, _ = ApiToken.issue(member, "Old laptop")
    url = reverse("accounts:token-revoke", args=[token.pk])
    assert url == f"/accounts/tokens/{token.pk}/revoke/"
    response = member_client.get(url)
    assert response.status_code == 200
    page = Page(response.content)
    assert_one_h1(page)
    assert page.find("form", action=url).get("method") == "post"
    assert ApiToken.objects.filter(pk=token.pk).exists()

    response = member_client.post(url, follow=True)
    assert response.redirect_chain == [(SETTINGS, 302)]
    assert not ApiToken.objects.filter(pk=token.pk).exists()
    assert "“Old laptop” is revoked" in messages_of(response)[0]


@pytest.mark.parametrize("method", ["get", "post"])
def test_stranger_gets_404_for_someone_elses_token(stranger_client, member, method):
    token, _ = ApiToken.issue(member, "Mine")
    response = getattr(stranger_client, method)(reverse("accounts:token-revoke", args=[token.pk]))
    assert response.status_code == 404
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_revoking_a_token_that_does_not_exist_is_404(member_client):
    assert member_client.post("/accounts/tokens/999999/revoke/").status_code == 404


# --- changing the password --------------------------------------------------------


def test_change_password_page_is_labelled_with_autocomplete_hints(member_client):
    page = Page(member_client.get(CHANGE_PASSWORD).content)
    assert_one_h1(page)
    assert_every_control_is_labelled(page)
    assert page.control("old_password").get("autocomplete") == "current-password"
    assert page.control("new_password1").get("autocomplete") == "new-password"
    assert page.control("new_password2").get("autocomplete") == "new-password"


def test_changing_the_password_keeps_the_member_signed_in(member_client, member):
    response = member_client.post(
        CHANGE_PASSWORD,
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert response.redirect_chain == [(SETTINGS, 302)]
    assert messages_of(response) == ["Your password is changed."]
    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD)
    assert signed_in_user_id(member_client) == str(member.pk)


def test_a_wrong_current_password_changes_nothing(member_client, member):
    response = member_client.post(
        CHANGE_PASSWORD,
        {"old_password": "nope", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert "old_password" in response.context["form"].errors
    member.refresh_from_db()
    assert member.check_password(PASSWORD)
    assert LoginFailure.objects.count() == 1


def test_guessing_the_current_password_is_throttled(member_client, member, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    data = {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    for _ in range(2):
        member_client.post(CHANGE_PASSWORD, {"old_password": "guess", **data})
    response = member_client.post(CHANGE_PASSWORD, {"old_password": PASSWORD, **data})
    assert response.context["form"].errors["old_password"] == [
        "Too many attempts. Please wait a few minutes and try again."
    ]
    member.refresh_from_db()
    assert member.check_password(PASSWORD)


def test_demo_member_has_no_password_to_change(client, make_user):
    demo = make_user("demo@example.org", is_demo=True)
    demo.set_unusable_password()
    demo.save()
    client.force_login(demo)
    response = client.get(CHANGE_PASSWORD, follow=True)
    assert response.redirect_chain == [(SETTINGS, 302)]
    assert "no password" in response.content.decode()
    assert not Page(response.content).find_all("a", href=CHANGE_PASSWORD)
    assert not User.objects.get(pk=demo.pk).has_usable_password()
