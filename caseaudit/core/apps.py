from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "caseaudit.core"
    label = "core"

    def ready(self) -> None:
        from caseaudit.core import govuk

        govuk.install()
