from django.apps import AppConfig


class TemplatesLibraryConfig(AppConfig):
    name = "caseaudit.templates_library"
    label = "templates_library"
    verbose_name = "Audit templates"

    def ready(self) -> None:
        from caseaudit.templates_library import home_tasks  # noqa: F401  (registers the review reminder)
