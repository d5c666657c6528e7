"""Access requests to restricted records (SEL-6) over the API, with the same services and
permissions as the pages.

A case or request the caller may not see is 404 (and the denial logged); one they may see but may
not act on is 403; a refusal by a rule (no reason, a request already waiting) is 422 with every
problem."""

from datetime import datetime
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema, Status

from caseaudit.access.models import AccessRequest
from caseaudit.access.presenters import decider_name
from caseaudit.access.selectors import (
    access_approver_role,
    access_request_get,
    access_requests_made,
    access_requests_to_decide,
    approver_is_fallback,
)
from caseaudit.access.services import AccessRefused, access_request_create, access_request_decide
from caseaudit.api.pagination import PageParams, page_of
from caseaudit.api.problems import ApiProblem, Problem, not_visible, refused_problem
from caseaudit.cases.selectors import case_get

router = Router(tags=["access requests"])

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


def _deny(request: HttpRequest, object_type: str, ref: Any, detail: str) -> ApiProblem:
    return not_visible(request, object_type=object_type, object_ref=ref, detail=detail)


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
        and request.user.has_perm("access.decide_access_request", access_request),
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
