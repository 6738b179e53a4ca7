from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "closeknit.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        # The project-wide startup checks live in closeknit.checks; importing registers them.
        from closeknit import checks  # noqa: F401
