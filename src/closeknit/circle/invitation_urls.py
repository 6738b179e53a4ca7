"""Routes of the circle of supporters: see circle/urls.py.

These are the member's circle page, inviting and each supporter (under /circle/), the
public join page an invitation opens, and a supporter's way to leave a circle.
"""

from __future__ import annotations

from django.urls import URLPattern, path

from closeknit.circle import invitation_views as views

urlpatterns: list[URLPattern] = [
    path("circle/", views.supporters, name="supporters"),
    path("circle/invite/", views.invite, name="invite"),
    path(
        "circle/invitations/<int:pk>/withdraw/",
        views.invitation_withdraw,
        name="invitation-withdraw",
    ),
    path("circle/supporters/<int:pk>/", views.supporter, name="supporter"),
    path("circle/supporters/<int:pk>/end/", views.supporter_end, name="supporter-end"),
    path("circle/join/<str:token>/", views.join, name="join"),
    path("supporting/<int:pk>/leave/", views.supporting_leave, name="supporting-leave"),
]
