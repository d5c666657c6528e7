"""What this app does when the audits app says something happened (ADR 0005: signals, sent inside
the writer's transaction, so an escalation exists exactly when the grade that opened it does), and
the daily job that sends the reminders (core's job registry, run by `manage.py worker`)."""

import datetime
from typing import Any

from django.dispatch import receiver

from caseaudit.actions.escalation import escalation_open_if_inadequate
from caseaudit.actions.recognition import recognition_invite
from caseaudit.actions.reminders import reminders_send
from caseaudit.audits.models import Audit
from caseaudit.audits.signals import audit_final, audit_grades_changed, audit_submitted
from caseaudit.core.jobs import job_daily


@receiver(audit_submitted, dispatch_uid="actions.escalate_on_submission")
def _on_submitted(sender: Any, *, audit: Audit, actor: Any, **kwargs: Any) -> None:
    escalation_open_if_inadequate(audit=audit, actor=actor)


@receiver(audit_grades_changed, dispatch_uid="actions.escalate_on_grades")
def _on_grades_changed(sender: Any, *, audit: Audit, actor: Any, **kwargs: Any) -> None:
    escalation_open_if_inadequate(audit=audit, actor=actor)


@receiver(audit_final, dispatch_uid="actions.recognise_on_final")
def _on_final(sender: Any, *, audit: Audit, actor: Any, **kwargs: Any) -> None:
    recognition_invite(audit=audit, actor=actor)


# ACT-3: every day at 07:00 London time, once across all workers (docs/scheduled-jobs.md).
REMINDERS_AT = datetime.time(7, 0)


def _reminders_job(day: datetime.date) -> str:
    return reminders_send(today=day).summary()


job_daily("send_reminders", at=REMINDERS_AT, run=_reminders_job)
