from django.apps import AppConfig


class AuditsConfig(AppConfig):
    name = "caseaudit.audits"
    label = "audits"
    verbose_name = "Audits"

    def ready(self) -> None:
        # Registers the home page's tasks and what an audit lets a person see of its case.
        from caseaudit.audits import case_grants, home_tasks  # noqa: F401
