from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "closeknit.network"
    label = "network"
    verbose_name = "Support network"
