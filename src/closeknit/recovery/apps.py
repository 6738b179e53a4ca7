from django.apps import AppConfig


class RecoveryConfig(AppConfig):
    name = "closeknit.recovery"
    label = "recovery"
    verbose_name = "Recovery and safety"
