from django.apps import AppConfig


class WellbeingConfig(AppConfig):
    name = "closeknit.wellbeing"
    label = "wellbeing"
    verbose_name = "Wellbeing"
