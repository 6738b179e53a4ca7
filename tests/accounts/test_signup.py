"""Signing up: a new member with a password, a time zone and (optionally) a country."""

from __future__ import annotations

import pytest
from django.urls import reverse

from closeknit.accounts.forms import DUPLICATE_EMAIL, SignUpForm
from closeknit.accounts.models import User
from closeknit.recovery import crisis
from tests.accounts.conftest import signed_in_user_id
from tests.accounts.html import Page, assert_every_control_is_labelled, assert_one_h1

URL = "/accounts/signup/"
GOOD_PASSWORD = "quiet-harbour-lantern-42"


def form_data(**overrides: str) -> dict[str, str]:
    data = {
        "email": "Jo@Example.org",
        "display_name": "Jo",
        "password1": GOOD_PASSWORD,
        "password2": GOOD_PASSWORD,
        "time_zone": "America/Chicago",
        "country": "US",
    }
    data.update(overrides)
    return data


def test_signup_url_name():
    assert reverse("accounts:signup") == URL


def test_signup_page_offers_every_time_zone_and_the_crisis_countries(client, db):
    response = client.get(URL)
    assert response.status_code == 200
    page = Page(response.content)
    assert_one_h1(page)
    assert_every_control_is_labelled(page)
    zones = [option.get("value") for option in page.options("time_zone")]
    assert "Europe/London" in zones and "America/Argentina/Buenos_Aires" in zones
    assert len(zones) > 300
    countries = {option.get("value") for option in page.options("country")}
    assert set(crisis.countries()) <= countries
    assert "" in countries  # the country is optional


def test_signup_page_preselects_the_browser_time_zone_with_a_small_script(client, db):
    content = client.get(URL).content.decode()
    assert "Intl.DateTimeFormat().resolvedOptions().timeZone" in content
    assert 'getElementById("id_time_zone")' in content


def test_signup_page_uses_autocomplete_hints(client, db):
    page = Page(client.get(URL).content)
    assert page.control("email").get("autocomplete") == "email"
    assert page.control("email").get("type") == "email"
    assert page.control("password1").get("autocomplete") == "new-password"
    assert page.control("password2").get("autocomplete") == "new-password"
    assert page.control("country").get("autocomplete") == "country"


def test_signing_up_creates_the_member_signs_them_in_and_goes_home(client, db):
    response = client.post(URL, form_data())
    assert response.status_code == 302
    assert response["Location"] == reverse("network:home")
    user = User.objects.get()
    assert user.email == "jo@example.org"
    assert user.display_name == "Jo"
    assert user.time_zone == "America/Chicago"
    assert user.country == "US"
    assert user.language == "en"
    assert not user.is_demo and not user.is_staff
    assert user.check_password(GOOD_PASSWORD)
    assert user.password != GOOD_PASSWORD
    assert signed_in_user_id(client) == str(user.pk)
    welcome = [str(m) for m in client.get(reverse("network:home")).context["messages"]]
    assert welcome == ["Welcome to Closeknit, Jo. We're glad you're here."]


def test_display_name_and_country_are_optional(client, db):
    response = client.post(URL, form_data(display_name="", country=""))
    assert response.status_code == 302
    user = User.objects.get()
    assert user.display_name == "" and user.country == ""


@pytest.mark.parametrize("email", ["member@example.org", "MEMBER@Example.org"])
def test_an_address_that_already_has_an_account_gets_a_clear_message(client, member, email):
    response = client.post(URL, form_data(email=email))
    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [DUPLICATE_EMAIL]
    page = Page(response.content)
    email_input = page.control("email")
    assert email_input.get("aria-invalid") == "true"
    assert DUPLICATE_EMAIL.split(".")[0] in page.described_by(email_input)[0].text
    assert User.objects.count() == 1
    assert signed_in_user_id(client) is None


def test_two_sign_ups_racing_for_one_address_end_with_one_account(db):
    form = SignUpForm(form_data())
    assert form.is_valid()
    # The other sign-up wins between validation and saving.
    User.objects.create_user("jo@example.org", "another-long-password")
    assert form.save() is None
    assert form.errors["email"] == [DUPLICATE_EMAIL]
    assert User.objects.count() == 1


def test_passwords_that_differ_are_refused_and_nothing_is_created(client, db):
    response = client.post(URL, form_data(password2=GOOD_PASSWORD + "!"))
    assert response.status_code == 200
    assert "The two passwords are different" in response.context["form"].errors["password2"][0]
    assert (
        Page(response.content)
        .control("password2")
        .get("aria-describedby")
        .endswith("id_password2_error")
    )
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("password123", "too common"),
        ("short", "too short"),
        ("84629173650", "entirely numeric"),
        ("jo@example.org!", "too similar"),
    ],
)
def test_weak_passwords_are_refused(client, db, password, why):
    response = client.post(URL, form_data(password1=password, password2=password))
    assert response.status_code == 200
    assert why in " ".join(response.context["form"].errors["password2"])
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("time_zone", "Mars/Olympus_Mons"),
        ("time_zone", ""),
        ("country", "XX"),
        ("email", "not-an-address"),
        ("email", ""),
    ],
)
def test_bad_input_is_refused_and_nothing_is_created(client, db, field, value):
    response = client.post(URL, form_data(**{field: value}))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not User.objects.exists()


def test_bad_input_keeps_what_was_typed_but_not_the_passwords(client, db):
    response = client.post(URL, form_data(password2="different-but-long-enough"))
    page = Page(response.content)
    assert page.control("email").get("value") == "Jo@Example.org"
    assert page.control("password1").get("value") == ""
    # The browser's zone must not overwrite the zone the person chose.
    assert "Intl.DateTimeFormat" not in response.content.decode()
    selected = [o.get("value") for o in page.options("time_zone") if "selected" in o.attrs]
    assert selected == ["America/Chicago"]


def test_a_signed_in_member_is_sent_home_from_signup(member_client):
    response = member_client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == reverse("network:home")
