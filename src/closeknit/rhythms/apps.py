from django.apps import AppConfig


class RhythmsConfig(AppConfig):
    name = "closeknit.rhythms"
    label = "rhythms"
    verbose_name = "Keeping in touch"
