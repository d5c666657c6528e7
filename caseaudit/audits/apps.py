from django.apps import AppConfig


class AuditsConfig(AppConfig):
    name = "caseaudit.audits"
    label = "audits"
    verbose_name = "Audits"

    def ready(self) -> None:
        from caseaudit.audits import home_tasks  # noqa: F401  (registers the home page's tasks)
