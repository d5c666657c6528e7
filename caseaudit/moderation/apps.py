from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "caseaudit.moderation"
    label = "moderation"
    verbose_name = "After Stage 1: feedback, moderation and the panel"

    def ready(self) -> None:
        # Register this app's home page tasks and audit page panels (ADR 0005: lower apps learn
        # of this one only through their registries).
        from caseaudit.moderation import home_tasks, panels  # noqa: F401
