"""The monthly allocation over the API (INT-3, SEL-1..SEL-5): draft, inspect, adjust, confirm, and
an auditor's own audits, with the same services and permissions as the pages.

Allocations answer in CONTRACTS §6's JSON (register IDs, stable codes) plus their own `id`; a
restricted case the caller may not see in full keeps its codes but not its wording (CONTRACTS §3).
A refusal by a rule is 422; confirming a month that is already confirmed is 409."""

import datetime
import re
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema, Status

from caseaudit.access.selectors import access_requests_of
from caseaudit.accounts.selectors import user_staff
from caseaudit.allocation.errors import AllocationRefused
from caseaudit.allocation.models import AllocationRun
from caseaudit.allocation.presenters.my_audits import my_audit_row
from caseaudit.allocation.presenters.runs import redact, redacted_reasons
from caseaudit.allocation.selectors import (
    allocation_item_for_case,
    allocation_items,
    allocation_run_get,
    allocation_run_list,
    hidden_case_ids,
    my_audits,
)
from caseaudit.allocation.services.adjust import allocation_adjust
from caseaudit.allocation.services.confirm import allocation_confirm
from caseaudit.allocation.services.drafts import MAX_PER_AUDITOR, allocation_draft
from caseaudit.api.auth import api_auth
from caseaudit.api.pagination import PageParams, page_of
from caseaudit.api.problems import ApiProblem, Problem, not_visible, refused_problem

router = Router(tags=["allocations"])

RUN = "allocation.run_allocation"
NOT_VISIBLE = "No allocation with that ID, or you do not have access to it."
MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
READ = {401: Problem, 403: Problem, 404: Problem}
WRITE = {400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem}


class AllocationCreateIn(Schema):
    month: str = Field(description="The month to allocate, YYYY-MM.", examples=["2026-12"])
    seed: int | None = Field(None, description="Tie-break seed; default the month as a number (202612).")
    per_auditor: int | None = Field(None, ge=0, le=MAX_PER_AUDITOR, description="Default: the setting.")


class AllocationAdjustIn(Schema):
    case_id: str = Field(description="The allocated case to change.")
    auditor_id: str | None = Field(None, description="Staff ID of another auditor.")
    replacement_case_id: str | None = Field(None, description="An eligible case to put in its place.")
    reason: str = Field(description="Why; required.")


class ReasonOut(Schema):
    code: str
    message: str


class AllocationPairOut(Schema):
    case_id: str
    auditor_id: str
    same_area: bool
    reasons: list[ReasonOut]
    restricted: bool = False
    adjusted: bool = False
    adjustment_reason: str | None = None
    warnings: list[ReasonOut] = Field(default_factory=list, description="Soft rules a change breaks.")
    audit_id: int | None = Field(None, description="The Stage 1 audit, once confirmed.")


class PassedOverOut(Schema):
    case_id: str
    code: str
    reason: str


class RelaxedOut(Schema):
    case_id: str
    rule: str
    code: str
    reason: str


class AllocationSummaryOut(Schema):
    id: int
    month: str
    status: str = Field(description="draft, confirmed or discarded")
    seed: int
    per_auditor: int
    allocated: int
    created_at: datetime.datetime
    created_by: str | None
    confirmed_at: datetime.datetime | None
    confirmed_by: str | None


class AllocationOut(AllocationSummaryOut):
    allocations: list[AllocationPairOut]
    passed_over: list[PassedOverOut]
    relaxed: list[RelaxedOut]
    auditor_load: dict[str, int]


class AllocationPage(Schema):
    items: list[AllocationSummaryOut]
    count: int


class MyAuditOut(Schema):
    audit_id: int
    case_id: str
    team_name: str
    child_name: str | None = Field(description="Null for a restricted record until access is granted.")
    restricted: bool
    access: str | None = Field(description="For a restricted record: pending, granted or refused.")
    worker_name: str | None
    month: str | None
    due_date: datetime.date | None
    overdue: bool
    status: str


class MyAuditPage(Schema):
    items: list[MyAuditOut]
    count: int


def _staff_id(user: Any) -> str | None:
    staff = user_staff(user)
    return staff.staff_id if staff is not None else None


def allocation_summary_out(run: AllocationRun) -> dict[str, Any]:
    return {
        "id": run.pk,
        "month": f"{run.month:%Y-%m}",
        "status": run.status,
        "seed": run.seed,
        "per_auditor": run.per_auditor,
        "allocated": _allocated(run),
        "created_at": run.created_at,
        "created_by": _staff_id(run.created_by),
        "confirmed_at": run.confirmed_at,
        "confirmed_by": _staff_id(run.confirmed_by),
    }


def _pair_out(entry: dict[str, Any], item: Any, *, hidden: bool) -> dict[str, Any]:
    return {
        **entry,
        "reasons": redacted_reasons(entry["reasons"], hidden=hidden),
        "restricted": bool(item and item.case.restricted),
        "adjusted": bool(item and item.adjusted),
        "adjustment_reason": (item.adjustment_reason or None) if item and not hidden else None,
        "warnings": redacted_reasons(item.warnings, hidden=hidden) if item else [],
        "audit_id": item.audit_id if item else None,
    }


def _allocated(run: AllocationRun) -> int:
    count = getattr(run, "item_count", None)
    return count if count is not None else len((run.result or {}).get("allocations", []))


def allocation_out(run: AllocationRun, *, user: Any) -> dict[str, Any]:
    data = run.result or {}
    items = {item.case.case_id: item for item in allocation_items(run=run)}
    hidden = hidden_case_ids(user=user)
    return {
        **allocation_summary_out(run),
        "allocations": [
            _pair_out(entry, items.get(entry["case_id"]), hidden=entry["case_id"] in hidden)
            for entry in data.get("allocations", [])
        ],
        "passed_over": redact(data.get("passed_over", []), hidden, text_key="reason"),
        "relaxed": redact(data.get("relaxed", []), hidden, text_key="reason"),
        "auditor_load": data.get("auditor_load", {}),
    }


def _run(request: HttpRequest, allocation_id: int) -> AllocationRun:
    run = allocation_run_get(run_id=allocation_id)
    if run is None:
        raise not_visible(request, object_type="allocation_run", object_ref=allocation_id, detail=NOT_VISIBLE)
    return run


@router.post(
    "/allocations",
    response={201: AllocationOut, **WRITE},
    summary="Draft a month's allocation",
    operation_id="allocations_create",
    auth=api_auth(permission=RUN, doing="run the allocation"),
)
def allocations_create(request: HttpRequest, payload: AllocationCreateIn) -> Status:
    """Select the month's cases and allocate them (SEL-1..SEL-4) as a draft; a new draft discards
    the month's older drafts. Same month, inputs and seed: the same draft. 409 when the month is
    already confirmed."""
    match = MONTH.match(payload.month)
    if match is None:
        raise ApiProblem(
            400,
            "The request has errors: see `errors`.",
            errors=[{"ref": "body", "field": "month", "message": "must be YYYY-MM, e.g. 2026-12"}],
        )
    month = datetime.date(int(match.group(1)), int(match.group(2)), 1)
    try:
        run = allocation_draft(
            actor=request.user, month=month, seed=payload.seed, per_auditor=payload.per_auditor
        )
    except AllocationRefused as exc:
        raise refused_problem(exc, "The allocation was not drafted.") from exc
    return Status(201, allocation_out(run, user=request.user))


@router.get(
    "/allocations",
    response={200: AllocationPage, 400: Problem, 401: Problem, 403: Problem},
    summary="List allocations",
    operation_id="allocations_list",
    auth=api_auth(permission=RUN, doing="run the allocation"),
)
def allocations_list(request: HttpRequest, paging: Query[PageParams], month: str = "") -> dict[str, Any]:
    """Drafts, confirmed and discarded allocations, newest month first; `?month=YYYY-MM` for one."""
    runs = allocation_run_list()
    if month:
        match = MONTH.match(month)
        if match is None:
            raise ApiProblem(
                400,
                "`month` must be YYYY-MM.",
                errors=[{"ref": "query", "field": "month", "message": "must be YYYY-MM"}],
            )
        runs = runs.filter(month=datetime.date(int(match.group(1)), int(match.group(2)), 1))
    return page_of(runs, params=paging, present=allocation_summary_out)


@router.get(
    "/allocations/{allocation_id}",
    response={200: AllocationOut, **READ},
    summary="Get an allocation",
    operation_id="allocations_get",
    auth=api_auth(permission=RUN, doing="run the allocation"),
)
def allocations_get(request: HttpRequest, allocation_id: Path[int]) -> dict[str, Any]:
    """The allocation in CONTRACTS §6's JSON, with each pair's changes, warnings and audit."""
    return allocation_out(_run(request, allocation_id), user=request.user)


@router.post(
    "/allocations/{allocation_id}/adjust",
    response={200: AllocationPairOut, **WRITE},
    summary="Change a case's auditor, or replace the case",
    operation_id="allocations_adjust",
    auth=api_auth(permission=RUN, doing="run the allocation"),
)
def allocations_adjust(
    request: HttpRequest, allocation_id: Path[int], payload: AllocationAdjustIn
) -> dict[str, Any]:
    """Change a draft's pair with a reason. A hard rule broken is 422 with every problem; the area
    rule or an uneven load is allowed, with `warnings`."""
    run = _run(request, allocation_id)
    try:
        item = allocation_adjust(
            actor=request.user,
            run=run,
            case_id=payload.case_id,
            auditor_staff_id=payload.auditor_id,
            replacement_case_id=payload.replacement_case_id,
            reason=payload.reason,
        )
    except AllocationRefused as exc:
        raise refused_problem(exc, "Nothing was changed: see `errors`.") from exc
    run.refresh_from_db()
    case_id = item.case.case_id
    entry = next(entry for entry in run.result["allocations"] if entry["case_id"] == case_id)
    hidden = case_id in hidden_case_ids(user=request.user, case_ids=[case_id])
    return _pair_out(entry, allocation_item_for_case(run=run, case_id=case_id), hidden=hidden)


@router.post(
    "/allocations/{allocation_id}/confirm",
    response={200: AllocationOut, **WRITE},
    summary="Confirm an allocation",
    operation_id="allocations_confirm",
    auth=api_auth(permission=RUN, doing="run the allocation"),
)
def allocations_confirm(request: HttpRequest, allocation_id: Path[int]) -> dict[str, Any]:
    """Confirm a draft: one Stage 1 Good Practice audit per case, due by the 21st (or the working
    day before), and an email to each auditor. 409 when the month is already confirmed."""
    run = _run(request, allocation_id)
    try:
        run = allocation_confirm(actor=request.user, run=run)
    except AllocationRefused as exc:
        raise refused_problem(exc, "The allocation was not confirmed: see `errors`.") from exc
    return allocation_out(run, user=request.user)


@router.get(
    "/my-audits",
    response={200: MyAuditPage, 400: Problem, 401: Problem, 403: Problem},
    summary="My allocated audits",
    operation_id="my_audits_list",
    auth=api_auth(permission="allocation.view_my_audits", doing="have audits allocated"),
)
def my_audits_list(request: HttpRequest, paging: Query[PageParams]) -> dict[str, Any]:
    """The audits the monthly allocation gave the caller, soonest due first (SEL-5)."""
    audits = list(my_audits(user=request.user))
    staff = user_staff(request.user)
    restricted = [audit.case_id for audit in audits if audit.case.restricted]
    access = access_requests_of(staff=staff, case_pks=restricted) if staff is not None and restricted else {}
    today = timezone.localdate()

    def present(audit: Any) -> dict[str, Any]:
        row = my_audit_row(audit, access=access, today=today)
        return {
            "audit_id": audit.pk,
            "case_id": row.case_id,
            "team_name": row.team_name,
            "child_name": row.child_name if row.visible else None,
            "restricted": audit.case.restricted,
            "access": access.get(audit.case_id) if audit.case.restricted else None,
            "worker_name": row.worker_name or None,
            "month": f"{audit.allocation_month:%Y-%m}" if audit.allocation_month else None,
            "due_date": audit.due_date,
            "overdue": row.overdue,
            "status": audit.status,
        }

    return page_of(audits, params=paging, present=present)
