from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from closeknit.lib.countries import country_choices, country_name
from closeknit.recovery import crisis


def get_help(request: HttpRequest) -> HttpResponse:
    """Crisis lines for the member's country; open to everyone, signed in or not."""
    country = (request.GET.get("country") or "").upper()
    if not country and request.user.is_authenticated:
        country = request.user.country
    if not (len(country) == 2 and country.isalpha()):
        country = ""
    return render(
        request,
        "recovery/get_help.html",
        {
            "country": country,
            "lines": crisis.lines_for(country),
            "country_name": country_name(country),
            "countries": country_choices(),
            "emergency_number": crisis.emergency_number(country),
            "directory_url": crisis.DIRECTORY_URL,
            "last_checked": crisis.LAST_CHECKED,
        },
    )
