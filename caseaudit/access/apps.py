from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "caseaudit.access"
    label = "access"
    verbose_name = "Access to restricted records"

    def ready(self) -> None:
        # Each registers itself (the case grant, the restricted case page's panel, the approver's
        # home page task); `rules.py` (the permissions) is found by django-rules' autodiscover.
        from caseaudit.access import case_grants, home_tasks, presenters  # noqa: F401
