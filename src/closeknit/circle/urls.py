"""The circle of supporters: the member's side under /circle/, the supporter's under
/supporting/, and the two public pages a link in a message opens (join, answer)."""

from __future__ import annotations

from closeknit.circle import help_urls, invitation_urls, rules_urls, supporting_urls

app_name = "circle"

urlpatterns = [
    *invitation_urls.urlpatterns,
    *help_urls.urlpatterns,
    *rules_urls.urlpatterns,
    *supporting_urls.urlpatterns,
]
