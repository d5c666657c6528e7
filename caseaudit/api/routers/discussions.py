"""The audit discussion (SEL-7) over the API, with the same services and permissions as the page.

An audit the caller may not see is 404 (and the denial logged); one they may see but may not
arrange the discussion of is 403; a refusal by a rule (a past date, neither place nor link) is 422
with every problem."""

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Field, Path, Router, Schema

from caseaudit.api.problems import ApiProblem, Problem, not_visible, refused_problem
from caseaudit.audits.models import Audit, Discussion
from caseaudit.audits.presenters.discussion import discussion_view
from caseaudit.audits.selectors import audit_get, discussion_of
from caseaudit.audits.services_discussions import DiscussionRefused, discussion_arrange, discussion_cancel

router = Router(tags=["discussions"])

READ = {401: Problem, 404: Problem}
WRITE = {400: Problem, 401: Problem, 403: Problem, 404: Problem, 422: Problem}


class DiscussionIn(Schema):
    starts_at: datetime = Field(description="ISO 8601 with its UTC offset, e.g. 2026-12-07T10:00:00+00:00.")
    duration_minutes: int = Field(60, description="15 to 480.")
    location: str = Field("", description="The place; this or `online_link` is required.")
    online_link: str = Field("", description="A link to join online; this or `location` is required.")


class DiscussionOut(Schema):
    audit_id: int
    uid: str = Field(description="The calendar UID, stable for the life of the meeting.")
    sequence: int = Field(description="Raised on every change.")
    starts_at: datetime
    duration_minutes: int
    location: str
    online_link: str
    cancelled: bool
    summary: str = Field(description="As the pages show it, in UK time.")


def _deny(request: HttpRequest, audit_id: int) -> ApiProblem:
    detail = "No audit with that ID, or you do not have access to it."
    return not_visible(request, object_type="audit", object_ref=audit_id, detail=detail)


def _discussion_out(discussion: Discussion) -> dict[str, Any]:
    view = discussion_view(discussion)
    assert view is not None
    where = ", ".join(part for part in (discussion.location, discussion.online_link) if part)
    summary = (
        f"{'Cancelled: ' if discussion.cancelled else ''}{view.date}, {view.time} to {view.ends}, {where}"
    )
    return {
        "audit_id": discussion.audit_id,
        "uid": f"{discussion.uid}@caseaudit",
        "sequence": discussion.sequence,
        "starts_at": discussion.starts_at,
        "duration_minutes": discussion.duration_minutes,
        "location": discussion.location,
        "online_link": discussion.online_link,
        "cancelled": discussion.cancelled,
        "summary": summary,
    }


def _audit(request: HttpRequest, audit_id: int) -> Audit:
    audit = audit_get(user=request.user, audit_id=audit_id)
    if audit is None:
        raise _deny(request, audit_id)
    return audit


@router.get(
    "/audits/{audit_id}/discussion",
    response={200: DiscussionOut, **READ},
    summary="Get the audit discussion",
    operation_id="discussion_get",
)
def discussion_get(request: HttpRequest, audit_id: Path[int]) -> dict[str, Any]:
    discussion = discussion_of(audit=_audit(request, audit_id))
    if discussion is None:
        raise ApiProblem(404, "The discussion has not been arranged.")
    return _discussion_out(discussion)


@router.put(
    "/audits/{audit_id}/discussion",
    response={200: DiscussionOut, **WRITE},
    summary="Arrange or change the audit discussion",
    operation_id="discussion_arrange",
)
def discussion_put(request: HttpRequest, audit_id: Path[int], payload: DiscussionIn) -> dict[str, Any]:
    """The auditor only. The auditor and the worker are emailed a calendar invite (.ics); each
    change keeps the meeting's UID and raises its SEQUENCE."""
    audit = _audit(request, audit_id)
    try:
        discussion = discussion_arrange(actor=request.user, audit=audit, **payload.model_dump())
    except PermissionDenied as exc:
        raise ApiProblem(403, str(exc)) from exc
    except DiscussionRefused as exc:
        raise refused_problem(exc, "The discussion was not arranged: see `errors`.") from exc
    return _discussion_out(discussion)


@router.delete(
    "/audits/{audit_id}/discussion",
    response={200: DiscussionOut, **WRITE},
    summary="Cancel the audit discussion",
    operation_id="discussion_cancel",
)
def discussion_delete(request: HttpRequest, audit_id: Path[int]) -> dict[str, Any]:
    """The auditor only; both are sent a cancellation (METHOD:CANCEL)."""
    audit = _audit(request, audit_id)
    try:
        discussion = discussion_cancel(actor=request.user, audit=audit)
    except PermissionDenied as exc:
        raise ApiProblem(403, str(exc)) from exc
    except DiscussionRefused as exc:
        raise refused_problem(exc, "Nothing was cancelled: see `errors`.") from exc
    return _discussion_out(discussion)
