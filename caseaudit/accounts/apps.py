from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "caseaudit.accounts"
    label = "accounts"

    def ready(self) -> None:
        from caseaudit.accounts import home  # noqa: F401  (registers the home page's "You")
