from django.apps import AppConfig


class AllocationConfig(AppConfig):
    name = "caseaudit.allocation"
    label = "allocation"
    verbose_name = "Monthly allocation"

    def ready(self) -> None:
        # Each registers itself; `rules.py` (the permissions) is found by django-rules' autodiscover.
        from caseaudit.allocation import (  # noqa: F401
            access_permissions,
            access_presenters,
            case_grants,
            home_tasks,
        )
