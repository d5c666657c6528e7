from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "caseaudit.accounts"
    label = "accounts"
