"""The audit discussion (SEL-7) shaped for the pages: GOV.UK dates and times in UK time, and the
audit overview's panel of the discussion. The panel's other parts (the case's access requests,
SEL-6) come from higher apps through `audit_discussion_panel_provider`, filled in their
`AppConfig.ready()` (ADR 0005)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone

from caseaudit.audits.models import Audit, Discussion
from caseaudit.audits.selectors import discussion_of
from caseaudit.core.calendar import long_date, long_datetime

# The context a higher app adds to the overview's discussion panel, for a person and an audit.
AuditPanelProvider = Callable[..., dict[str, Any]]
_panel_providers: list[AuditPanelProvider] = []


def audit_discussion_panel_provider(provider: AuditPanelProvider) -> AuditPanelProvider:
    """Register `provider(user=..., audit=...)`; its context is added to the panel's."""
    if provider not in _panel_providers:
        _panel_providers.append(provider)
    return provider


@dataclass(frozen=True)
class DiscussionView:
    arranged: bool
    cancelled: bool
    date: str
    time: str
    ends: str
    duration_minutes: int
    location: str
    online_link: str
    sequence: int
    updated: str


def discussion_view(discussion: Discussion | None) -> DiscussionView | None:
    if discussion is None:
        return None
    starts = timezone.localtime(discussion.starts_at)
    ends = timezone.localtime(discussion.starts_at + timedelta(minutes=discussion.duration_minutes))
    return DiscussionView(
        arranged=not discussion.cancelled,
        cancelled=discussion.cancelled,
        date=long_date(starts.date()),
        time=f"{starts:%H:%M}",
        ends=f"{ends:%H:%M}",
        duration_minutes=discussion.duration_minutes,
        location=discussion.location,
        online_link=discussion.online_link,
        sequence=discussion.sequence,
        updated=long_datetime(discussion.updated_at),
    )


def audit_discussion_context(*, user: Any, audit: Audit) -> dict[str, Any]:
    """The discussion of an audit, and what the providers add (the access requests of its case),
    for the audit overview."""
    can_arrange = user.has_perm("audits.arrange_discussion", audit)
    context: dict[str, Any] = {
        "audit_id": audit.pk,
        "discussion": discussion_view(discussion_of(audit=audit)),
        "discussion_href": reverse("audits:discussion", args=[audit.pk]) if can_arrange else "",
        "restricted": audit.case.restricted,
    }
    for provider in _panel_providers:
        context.update(provider(user=user, audit=audit))
    return context
