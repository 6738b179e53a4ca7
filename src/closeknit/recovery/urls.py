from django.urls import include, path

from closeknit.recovery import views

app_name = "recovery"
# Each part of the recovery plan keeps its routes in its own module, all in this namespace.
urlpatterns = [
    path("help/", views.get_help, name="get-help"),
    path("", include("closeknit.recovery.goals_urls")),
    path("", include("closeknit.recovery.appointments_urls")),
    path("", include("closeknit.recovery.safety_urls")),
]
