"""The "Explore a demo" button: a private demo member, signed in at once."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from closeknit.demo.generate import create_demo_member

WELCOME = (
    "Welcome! This is a demo: the people and their stories are made up, so explore "
    "and change anything you like. You can delete this demo any time from Settings."
)


@require_POST
def start(request: HttpRequest) -> HttpResponse:
    """Create a fresh demo member for this visitor and sign them in.

    Not rate-limited yet: a public server should switch demos off
    (CLOSEKNIT_DEMO=false) or prune them (`closeknit demo --prune-older-than`).
    """
    if not settings.DEMO_ENABLED:
        raise Http404("Demos are switched off on this server.")
    member = create_demo_member()
    login(request, member, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, WELCOME)
    return redirect("network:home")
