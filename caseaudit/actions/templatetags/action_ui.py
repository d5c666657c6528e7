"""The child's page shows each action and escalation of their audits (ACT-1, ESC-1): what the
person may see of them, through the actions app's scoped selectors."""

from typing import Any

from django import template
from django.utils import timezone

from caseaudit.actions.presenters import action_row, escalation_row
from caseaudit.actions.selectors import action_list, escalation_list
from caseaudit.cases.selectors import child_cases

register = template.Library()
SHOWN = 50


@register.inclusion_tag("actions/includes/child_actions.html", takes_context=True)
def child_actions(context: template.Context, child: Any) -> dict[str, Any]:
    user = context["request"].user
    today = timezone.localdate()
    # Only under the cases the page shows in full: an action one owns of a case shown as
    # "Restricted" stays on My actions, not beside that case.
    shown = [
        case.pk for case in child_cases(user=user, child=child) if getattr(case, "details_visible", False)
    ]
    actions = action_list(user=user).filter(audit__case__in=shown)
    escalations = escalation_list(user=user).filter(audit__case__in=shown)
    return {
        "actions": [action_row(action, today=today) for action in actions[:SHOWN]],
        "action_count": actions.count(),
        "escalations": [escalation_row(escalation, today=today) for escalation in escalations[:SHOWN]],
    }
