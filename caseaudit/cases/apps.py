from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "caseaudit.cases"
    label = "cases"
