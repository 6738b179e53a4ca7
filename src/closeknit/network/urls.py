from django.urls import path
from django.views.generic import TemplateView

app_name = "network"
_placeholder = TemplateView.as_view(template_name="base.html")
urlpatterns = [
    path("", _placeholder, name="home"),
    path("people/", _placeholder, name="people"),
    path("groups/", _placeholder, name="groups"),
    path("contact/", _placeholder, name="interactions"),
]
