from django.urls import path

from closeknit.demo import views

app_name = "demo"
urlpatterns = [
    path("start/", views.start, name="start"),
]
