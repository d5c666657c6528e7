from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "caseaudit.demo"
    label = "demo"
