"""After a form, the member goes back to the page they came from, never to another site."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from closeknit.lib.navigation import next_url


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/reach-out/", "/reach-out/"),
        ("/contact/?page=2", "/contact/?page=2"),
        ("http://testserver/people/", "http://testserver/people/"),
        ("https://elsewhere.example/", "/home/"),
        ("//elsewhere.example/", "/home/"),
        ("javascript:alert(1)", "/home/"),
        ("", "/home/"),
    ],
)
def test_next_is_followed_only_within_this_site(target, expected):
    request = RequestFactory().post("/x/", {"next": target})
    assert next_url(request, "/home/") == expected


def test_next_can_come_from_the_query_string():
    request = RequestFactory().get("/x/", {"next": "/thanks/"})
    assert next_url(request, "/home/") == "/thanks/"


def test_a_secure_page_never_sends_the_member_to_plain_http():
    request = RequestFactory().post("/x/", {"next": "http://testserver/people/"}, secure=True)
    assert next_url(request, "/home/") == "/home/"
