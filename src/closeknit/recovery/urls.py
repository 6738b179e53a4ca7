from django.urls import path

from closeknit.recovery import views

app_name = "recovery"
urlpatterns = [
    path("help/", views.get_help, name="get-help"),
]
