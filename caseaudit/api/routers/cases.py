"""The case register, scoped to what the caller may see (SEC-1) and logged (SEC-2)."""

from typing import Any

from django.http import HttpRequest
from ninja import Path, Query, Router

from caseaudit.api.auth import api_auth
from caseaudit.api.pagination import PageParams, page_of
from caseaudit.api.problems import Problem, not_visible
from caseaudit.api.schemas import CaseDetailOut, CaseFilters, CasePage
from caseaudit.cases.models import Case
from caseaudit.cases.selectors import Access, case_get, case_list
from caseaudit.core.services import access_log_record

router = Router(tags=["cases"])

NOT_VISIBLE = "No case with that ID, or you do not have access to it."


def _visibility(case: Case) -> tuple[bool, bool]:
    """(case details visible, child's details visible), from case_list's annotations."""
    details = bool(getattr(case, "details_visible", False))
    return details, details and bool(getattr(case, "child_visible", False))


def case_out(case: Case) -> dict[str, Any]:
    details, child = _visibility(case)
    worker = case.allocated_worker if details else None
    return {
        "case_id": case.case_id,
        "child_id": case.child.child_id if child else None,
        "child_name": case.child.name if child else None,
        "date_of_birth": case.child.date_of_birth if child else None,
        "team_id": case.team.team_id,
        "team_name": case.team.name,
        "allocated_worker_id": worker.staff_id if worker is not None else None,
        "allocated_worker_name": worker.name if worker is not None else None,
        "case_type": case.case_type if details else None,
        "status": case.status if details else None,
        "start_date": case.start_date if details else None,
        "closed_date": case.closed_date if details else None,
        # A summary exists only for a restricted case (CONTRACTS §3): it says "Restricted".
        "restricted": case.restricted or not details,
        "last_audited_on": case.last_audited_on if details else None,
    }


def case_detail_out(case: Case) -> dict[str, Any]:
    _, child = _visibility(case)
    return {
        **case_out(case),
        "gender": (case.child.gender or None) if child else None,
        "ethnicity": (case.child.ethnicity or None) if child else None,
        "disability": (case.child.disability or None) if child else None,
    }


@router.get(
    "/cases",
    response={200: CasePage, 400: Problem, 401: Problem, 403: Problem},
    summary="List cases",
    operation_id="cases_list",
    auth=api_auth(permission="cases.list_cases", doing="list cases"),
)
def cases_list(
    request: HttpRequest, paging: Query[PageParams], filters: Query[CaseFilters]
) -> dict[str, Any]:
    """The cases the caller may see, by case ID: a social worker their own caseload, a manager
    the cases of everyone below them, QA every case. A restricted case the caller sees only as
    a summary carries its `case_id`, team and `restricted: true`, with every other field null.
    Needs `cases.list_cases` (403 without it)."""
    cases = case_list(
        user=request.user,
        search=filters.search,
        team_id=filters.team_id,
        case_type=filters.case_type or "",
        status=filters.status or "",
        area=filters.area,
        worker_id=filters.worker_id,
    )
    return page_of(cases, params=paging, present=case_out)


@router.get(
    "/cases/{case_id}",
    response={200: CaseDetailOut, 401: Problem, 404: Problem},
    summary="Get a case",
    operation_id="cases_get",
)
def cases_get(request: HttpRequest, case_id: Path[str]) -> dict[str, Any]:
    """One case by its register ID, with the child's gender, ethnicity and disability where
    the caller may see the child. A case the caller may not see is 404, exactly as one that
    does not exist; the denial is logged, as is every view of a case's details (SEC-2)."""
    case, access = case_get(user=request.user, case_id=case_id)
    if case is None or access is Access.NONE:
        raise not_visible(request, object_type="case", object_ref=case_id, detail=NOT_VISIBLE)
    if access is Access.FULL:
        access_log_record(
            actor=request.user,
            object_type="case",
            object_ref=case.case_id,
            allowed=True,
            request=request,
            via="api",
        )
    return case_detail_out(case)
