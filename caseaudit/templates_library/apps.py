from django.apps import AppConfig


class TemplatesLibraryConfig(AppConfig):
    name = "caseaudit.templates_library"
    label = "templates_library"
    verbose_name = "Audit templates"
