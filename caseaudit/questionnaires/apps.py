from django.apps import AppConfig


class QuestionnairesConfig(AppConfig):
    name = "caseaudit.questionnaires"
    label = "questionnaires"
    verbose_name = "Questionnaires"
