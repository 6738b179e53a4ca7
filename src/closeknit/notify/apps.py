from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "closeknit.notify"
    label = "notify"
    verbose_name = "Notifications"
