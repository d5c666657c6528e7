"""The audit discussion (SEL-7) shaped for the pages: GOV.UK dates and times in UK time, and the
audit overview's panel of the discussion and of the case's access requests."""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone

from caseaudit.access.presenters import audit_access_requests
from caseaudit.allocation.models import Discussion
from caseaudit.allocation.selectors import discussion_of
from caseaudit.audits.models import Audit
from caseaudit.core.calendar import long_date, long_datetime


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
    """The discussion and the access requests of an audit's case, for the audit overview."""
    can_arrange = user.has_perm("allocation.arrange_discussion", audit)
    return {
        "audit_id": audit.pk,
        "discussion": discussion_view(discussion_of(audit=audit)),
        "discussion_href": reverse("allocation:discussion", args=[audit.pk]) if can_arrange else "",
        "restricted": audit.case.restricted,
        "access_requests": audit_access_requests(user=user, audit=audit),
    }
