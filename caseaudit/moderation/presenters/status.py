"""Where an audit is after Stage 1 and who it waits for (issue 10, 1): one sentence the audit page,
the lists and the API all show."""

from dataclasses import dataclass
from typing import Any

from caseaudit.audits.machines import (
    FINAL,
    HEAD_OF_QA_REVIEW,
    MODERATION,
    PANEL,
    SUBMITTED,
    status_label,
)
from caseaudit.audits.models import Audit
from caseaudit.audits.presenters.panels import AuditPanel, audit_page_panel_provider
from caseaudit.core.calendar import long_date, long_datetime
from caseaudit.moderation.models import Moderation, PanelAudit
from caseaudit.moderation.selectors import feedback_due_date


@dataclass(frozen=True)
class Waiting:
    status: str
    status_label: str
    waiting_for: str  # "" when nothing is left (final)


def audit_waiting(audit: Audit) -> Waiting:
    """Where the audit is, and whom it waits for, in words."""
    status = audit.status
    text = ""
    if status == SUBMITTED:
        worker = audit.worker.name if audit.worker else "the worker"
        due = feedback_due_date(audit=audit)
        text = f"Waiting for {worker}'s feedback on the audit and its plan"
        text += f", asked for by {long_date(due)}." if due else "."
    elif status == HEAD_OF_QA_REVIEW:
        text = "Waiting for the head of quality assurance's decision: the worker strongly disagrees."
    elif status == MODERATION:
        moderation = Moderation.objects.filter(audit=audit).select_related("moderator").first()
        by = f", due by {long_date(moderation.due_date)}" if moderation and moderation.due_date else ""
        if moderation is None or moderation.moderator is None:
            text = f"Waiting for QA to assign a moderator for Stage 2{by}."
        else:
            text = f"Waiting for {moderation.moderator.name} to complete Stage 2 moderation{by}."
    elif status == PANEL:
        sampled = PanelAudit.objects.filter(audit=audit).select_related("panel__chair").first()
        if sampled is None or sampled.panel is None:
            text = "Sampled for the moderation panel: waiting for QA to schedule the panel."
        else:
            text = (
                f"Waiting for the moderation panel on {long_datetime(sampled.panel.starts_at)}, "
                f"chaired by {sampled.panel.chair.name}."
            )
    elif status == FINAL:
        text = ""
    return Waiting(status=status, status_label=status_label(status), waiting_for=text)


@audit_page_panel_provider
def status_panel(*, user: Any, audit: Audit) -> list[AuditPanel]:
    if audit.status not in (SUBMITTED, HEAD_OF_QA_REVIEW, MODERATION, PANEL, FINAL):
        return []
    waiting = audit_waiting(audit)
    return [AuditPanel("moderation/panels/status.html", {"waiting": waiting}, order=10)]
