"""The roles of SPEC.md "People and roles". A person can hold several."""

from django.db import models


class Role(models.TextChoices):
    SOCIAL_WORKER = "social_worker", "Social worker"
    PRACTICE_MANAGER = "practice_manager", "Practice manager"
    GROUP_MANAGER = "group_manager", "Group manager"
    SERVICE_MANAGER = "service_manager", "Service manager"
    HEAD_OF_SERVICE = "head_of_service", "Head of service"
    MODERATOR = "moderator", "Moderator"
    QA_OFFICER = "qa_officer", "QA officer"
    HEAD_OF_QA = "head_of_qa", "Head of quality assurance"
    PANEL_CHAIR = "panel_chair", "Panel chair"
    SENIOR_MANAGER = "senior_manager", "Senior manager"
    ADMINISTRATOR = "administrator", "Administrator"
    # Subject access requests (REC-2): exports everything held about a child, and nothing else.
    INFORMATION_GOVERNANCE = "information_governance", "Information governance"


ROLE_CODES = frozenset(Role.values)
QA_ROLES = frozenset({Role.QA_OFFICER, Role.HEAD_OF_QA})
