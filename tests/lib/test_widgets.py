"""The fast choice widgets give the HTML of Django's own templates (white space between tags aside)."""

from __future__ import annotations

import re

import pytest
from django import forms

from closeknit.lib.widgets import FastCheckboxSelectMultiple, FastSelect, FastSelectMultiple

CHOICES = [("", "No group"), (1, "Sam <Rivera> & co"), (2, 'Ada "Okafor"'), (3, "Zoë")]
GROUPED = [("Inner", [(1, "Sam"), (2, "Ada")]), ("Outer", [(3, "Lee")])]


def tags(html: str) -> str:
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html.strip()))


def pairs():
    return [
        (FastSelect, forms.Select),
        (FastSelectMultiple, forms.SelectMultiple),
        (FastCheckboxSelectMultiple, forms.CheckboxSelectMultiple),
    ]


@pytest.mark.parametrize(("fast", "django_widget"), pairs())
@pytest.mark.parametrize("choices", [CHOICES, GROUPED, []])
@pytest.mark.parametrize("value", [None, [], ["2"], ["1", "3"], "2"])
@pytest.mark.parametrize(
    "attrs", [None, {"id": "id_who"}, {"id": "id_who", "aria-describedby": "x", "required": True}]
)
def test_fast_widgets_render_like_django(fast, django_widget, choices, value, attrs):
    expected = django_widget(choices=choices, attrs={"class": "c"}).render("who", value, attrs)
    assert tags(fast(choices=choices, attrs={"class": "c"}).render("who", value, attrs)) == tags(
        expected
    )


def test_labels_and_values_are_escaped():
    html = FastCheckboxSelectMultiple(choices=[("<v>", "<b>bold</b>")]).render("x", None)
    assert "<b>" not in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html
    assert 'value="&lt;v&gt;"' in html
