from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "caseaudit.reports"
    label = "reports"
    verbose_name = "Stage 3: figures, agreement and reports"

    def ready(self) -> None:
        from caseaudit.reports import rules  # noqa: F401
