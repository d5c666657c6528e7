"""`{% audit_discussion audit_id %}`: the discussion of an audit and, through the panel's providers,
the access requests of its case, on the audit overview (SEL-6, SEL-7). The audits app never reads
access's data itself (ADR 0005)."""

from typing import Any

from django import template

from caseaudit.audits.presenters.discussion import audit_discussion_context
from caseaudit.audits.selectors import audit_get

register = template.Library()


@register.inclusion_tag("audits/discussion_summary.html", takes_context=True)
def audit_discussion(context: template.Context, audit_id: int) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    audit = audit_get(user=user, audit_id=audit_id) if user is not None else None
    if audit is None:  # the page already checked; never show more than the person may see
        return {"hidden": True}
    return audit_discussion_context(user=user, audit=audit)
