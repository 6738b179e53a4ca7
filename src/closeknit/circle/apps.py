from django.apps import AppConfig


class CircleConfig(AppConfig):
    name = "closeknit.circle"
    label = "circle"
    verbose_name = "Circle of supporters"
