"""Access requests to restricted records (SEL-6) and the audit discussion (SEL-7) over the API, with
the same services and permissions as the pages.

A case, request or audit the caller may not see is 404 (and the denial logged); one they may see
but may not act on is 403; a refusal by a rule (no reason, a request already waiting, a past
date, neither place nor link) is 422 with every problem."""

from datetime import datetime
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema, Status

from caseaudit.allocation.access import AccessRefused, access_request_create, access_request_decide
from caseaudit.allocation.access_presenters import decider_name, discussion_view
from caseaudit.allocation.access_selectors import (
    access_approver_role,
    access_request_get,
    access_requests_made,
    access_requests_to_decide,
    approver_is_fallback,
    discussion_of,
)
from caseaudit.allocation.discussions import discussion_arrange, discussion_cancel
from caseaudit.allocation.models import AccessRequest, Discussion
from caseaudit.api.pagination import PageParams, page_of
from caseaudit.api.problems import ApiProblem, Problem, refused_problem
from caseaudit.audits.models import Audit
from caseaudit.audits.selectors import audit_get
from caseaudit.cases.selectors import case_get
from caseaudit.core.services import access_log_record

router = Router(tags=["access requests and discussions"])

READ = {401: Problem, 404: Problem}
WRITE = {400: Problem, 401: Problem, 403: Problem, 404: Problem, 422: Problem}


class AccessRequestIn(Schema):
    reason: str = Field(description="Why you need to open the record; required.")


class AccessDecisionIn(Schema):
    grant: bool = Field(description="true to grant access, false to refuse it.")
    reason: str = Field(description="Why; required either way.")


class AccessRequestOut(Schema):
    id: int
    case_id: str
    team: str
    requester_id: str
    requester_name: str
    reason: str
    approver_id: str
    approver_name: str
    approver_is_fallback: bool = Field(
        description="The approver is the worker's line manager because nobody above holds the approver role."
    )
    status: Literal["pending", "granted", "refused"]
    created_at: datetime
    decided_at: datetime | None = None
    decided_by: str | None = None
    decision_reason: str = ""
    can_decide: bool = Field(False, description="The caller may decide this request now.")


class AccessRequestPage(Schema):
    items: list[AccessRequestOut]
    count: int


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


def _deny(request: HttpRequest, object_type: str, ref: Any, detail: str) -> ApiProblem:
    access_log_record(
        actor=request.user,
        object_type=object_type,
        object_ref=str(ref),
        allowed=False,
        request=request,
        via="api",
    )
    return ApiProblem(404, detail)


def _request_out(request: HttpRequest, access_request: AccessRequest, *, role: Any = None) -> dict[str, Any]:
    decider = decider_name(access_request) or None
    return {
        "id": access_request.pk,
        "case_id": access_request.case.case_id,
        "team": access_request.case.team.name,
        "requester_id": access_request.requester.staff_id,
        "requester_name": access_request.requester.name,
        "reason": access_request.reason,
        "approver_id": access_request.approver.staff_id,
        "approver_name": access_request.approver.name,
        "approver_is_fallback": approver_is_fallback(access_request, role=role),
        "status": access_request.status,
        "created_at": access_request.created_at,
        "decided_at": access_request.decided_at,
        "decided_by": decider,
        "decision_reason": access_request.decision_reason,
        "can_decide": access_request.status == AccessRequest.Status.PENDING
        and request.user.has_perm("allocation.decide_access_request", access_request),
    }


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


@router.post(
    "/cases/{case_id}/access-requests",
    response={201: AccessRequestOut, **WRITE},
    summary="Ask to open a restricted case",
    operation_id="access_requests_create",
)
def access_requests_create(request: HttpRequest, case_id: Path[str], payload: AccessRequestIn) -> Status:
    """For the auditor of the case or QA, who see it only as its summary. The approver (the nearest
    holder of the approver role above the case's worker, else their line manager) is emailed."""
    case, _ = case_get(user=request.user, case_id=case_id)
    if case is None:
        raise _deny(request, "case", case_id, "No case with that ID, or you do not have access to it.")
    try:
        created = access_request_create(actor=request.user, case=case, reason=payload.reason)
    except PermissionDenied as exc:
        raise ApiProblem(403, str(exc)) from exc
    except AccessRefused as exc:
        raise refused_problem(exc, "The request was not made: see `errors`.") from exc
    return Status(201, _request_out(request, created))


@router.get(
    "/access-requests",
    response={200: AccessRequestPage, 400: Problem, 401: Problem},
    summary="List access requests",
    operation_id="access_requests_list",
)
def access_requests_list(
    request: HttpRequest,
    paging: Query[PageParams],
    which: Literal["all", "to_decide", "requested"] = "all",
) -> dict[str, Any]:
    """Those the caller is to decide (waiting first) and those they made; `?which=to_decide` or
    `?which=requested` for one of the two."""
    rows: dict[int, AccessRequest] = {}
    if which in ("all", "to_decide"):
        rows.update((r.pk, r) for r in access_requests_to_decide(user=request.user))
    if which in ("all", "requested"):
        rows.update((r.pk, r) for r in access_requests_made(user=request.user) if r.pk not in rows)
    role = access_approver_role()
    return page_of(list(rows.values()), params=paging, present=lambda r: _request_out(request, r, role=role))


@router.get(
    "/access-requests/{request_id}",
    response={200: AccessRequestOut, **READ},
    summary="Get an access request",
    operation_id="access_requests_get",
)
def access_requests_get(request: HttpRequest, request_id: Path[int]) -> dict[str, Any]:
    access_request = access_request_get(user=request.user, request_id=request_id)
    if access_request is None:
        raise _deny(request, "access_request", request_id, "No access request with that ID, or not yours.")
    return _request_out(request, access_request)


@router.post(
    "/access-requests/{request_id}/decision",
    response={200: AccessRequestOut, **WRITE},
    summary="Grant or refuse an access request",
    operation_id="access_requests_decide",
)
def access_requests_decide(
    request: HttpRequest, request_id: Path[int], payload: AccessDecisionIn
) -> dict[str, Any]:
    """Only the named approver (or the superuser) decides, with a reason; the requester is emailed."""
    access_request = access_request_get(user=request.user, request_id=request_id)
    if access_request is None:
        raise _deny(request, "access_request", request_id, "No access request with that ID, or not yours.")
    try:
        decided = access_request_decide(
            actor=request.user, request=access_request, grant=payload.grant, reason=payload.reason
        )
    except PermissionDenied as exc:
        raise ApiProblem(403, str(exc)) from exc
    except AccessRefused as exc:
        raise refused_problem(exc, "Nothing was decided: see `errors`.") from exc
    return _request_out(request, decided)


def _audit(request: HttpRequest, audit_id: int) -> Audit:
    audit = audit_get(user=request.user, audit_id=audit_id)
    if audit is None:
        raise _deny(request, "audit", audit_id, "No audit with that ID, or you do not have access to it.")
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
    except AccessRefused as exc:
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
    except AccessRefused as exc:
        raise refused_problem(exc, "Nothing was cancelled: see `errors`.") from exc
    return _discussion_out(discussion)
