from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "caseaudit.actions"
    label = "actions"
    verbose_name = "Actions, reminders and escalations"

    def ready(self) -> None:
        # Register this app's home page tasks, audit page panels and signal receivers (ADR 0005:
        # lower apps learn of this one only through their registries and signals).
        from caseaudit.actions import home_tasks, panels, receivers  # noqa: F401
