from django.apps import AppConfig


class AllocationConfig(AppConfig):
    name = "caseaudit.allocation"
    label = "allocation"
    verbose_name = "Monthly allocation"
