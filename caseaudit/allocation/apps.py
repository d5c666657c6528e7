from django.apps import AppConfig


class AllocationConfig(AppConfig):
    name = "caseaudit.allocation"
    label = "allocation"
    verbose_name = "Monthly allocation"

    def ready(self) -> None:
        # Each registers itself; `rules.py` (the permissions) is found by django-rules' autodiscover.
        # `selectors` tells the access app who grants access (the allocation settings keep it).
        from caseaudit.allocation import home_tasks, selectors  # noqa: F401
