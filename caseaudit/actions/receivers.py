"""What this app does when the audits app says something happened (ADR 0005: signals, sent inside
the writer's transaction, so an escalation exists exactly when the grade that opened it does)."""

from typing import Any

from django.dispatch import receiver

from caseaudit.actions.escalation import escalation_open_if_inadequate
from caseaudit.actions.recognition import recognition_invite
from caseaudit.audits.models import Audit
from caseaudit.audits.signals import audit_final, audit_grades_changed, audit_submitted


@receiver(audit_submitted, dispatch_uid="actions.escalate_on_submission")
def _on_submitted(sender: Any, *, audit: Audit, actor: Any, **kwargs: Any) -> None:
    escalation_open_if_inadequate(audit=audit, actor=actor)


@receiver(audit_grades_changed, dispatch_uid="actions.escalate_on_grades")
def _on_grades_changed(sender: Any, *, audit: Audit, actor: Any, **kwargs: Any) -> None:
    escalation_open_if_inadequate(audit=audit, actor=actor)


@receiver(audit_final, dispatch_uid="actions.recognise_on_final")
def _on_final(sender: Any, *, audit: Audit, actor: Any, **kwargs: Any) -> None:
    recognition_invite(audit=audit, actor=actor)
