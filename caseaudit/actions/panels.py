"""The actions part of an audit's page (ACT-1, ESC-1): each action with its state and a link to it,
and the audit's escalations — open, with its deadline; closed, with its outcome. Registered with
the audits app's page panel registry (ADR 0005), so the audits app knows nothing of this one."""

from typing import Any

from django.utils import timezone

from caseaudit.actions.presenters import action_row, escalation_row
from caseaudit.actions.selectors_lists import audit_action_list, audit_escalation_list
from caseaudit.audits.machines import AFTER_STAGE1
from caseaudit.audits.models import Audit
from caseaudit.audits.presenters.panels import AuditPanel, audit_page_panel_provider


@audit_page_panel_provider
def actions_panel(*, user: Any, audit: Audit) -> list[AuditPanel]:
    """Shown once the audit is submitted (before, its actions are the Stage 1 form's). The audit
    page shows it only to someone who may see the audit, who may see each of its actions."""
    if audit.status not in AFTER_STAGE1:
        return []
    today = timezone.localdate()
    actions = [action_row(action, today=today) for action in audit_action_list(audit=audit)]
    escalations = [
        escalation_row(escalation, today=today) for escalation in audit_escalation_list(audit=audit)
    ]
    return [
        AuditPanel(
            "actions/panels/audit_actions.html",
            {
                "actions": actions,
                "open_escalations": [row for row in escalations if row.open],
                "closed_escalations": [row for row in escalations if not row.open],
            },
            order=15,
        )
    ]
