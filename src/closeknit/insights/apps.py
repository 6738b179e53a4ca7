from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "closeknit.insights"
    label = "insights"
    verbose_name = "Insights"
