from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "caseaudit.org"
    label = "org"
