from __future__ import annotations

import pytest

from tests.browser import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_get_help_is_reachable_without_signing_in(page, live_server):
    page.goto(f"{live_server.url}/help/")
    page.select_option("select#country", "GB")
    page.get_by_role("button", name="Show lines").click()
    assert page.get_by_role("heading", name="Crisis lines in United Kingdom").is_visible()
    assert page.get_by_role("link", name="116 123").get_attribute("href") == "tel:116123"
    assert_accessible(page)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_get_help_is_accessible_in_both_colour_schemes(page, live_server, scheme):
    page.emulate_media(color_scheme=scheme)
    page.goto(f"{live_server.url}/help/?country=US")
    assert_accessible(page)
