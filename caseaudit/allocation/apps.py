from django.apps import AppConfig


class AllocationConfig(AppConfig):
    name = "caseaudit.allocation"
    label = "allocation"
    verbose_name = "Monthly allocation"

    def ready(self) -> None:
        # `rules.py` here holds the pure allocation rules; the django-rules permissions of
        # this app live in these two modules.
        from caseaudit.allocation import (  # noqa: F401  (each registers itself)
            access_permissions,
            access_presenters,
            case_grants,
            home_tasks,
            permissions,
        )
