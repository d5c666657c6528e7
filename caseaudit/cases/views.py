"""Pages of the case register: the case list, a case, a child (SEC-1, SEC-2)."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from caseaudit.cases.forms import CaseFilterForm
from caseaudit.cases.presenters import age_on, case_row, restricted_case_panels
from caseaudit.cases.selectors import Access, case_get, case_list, child_cases, child_get
from caseaudit.core.calendar import long_date
from caseaudit.core.denials import denied
from caseaudit.core.paging import pagination_params
from caseaudit.core.services import access_log_record
from caseaudit.org.selectors import area_names, team_choices

PAGE_SIZE = 50


@login_required
def case_list_view(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("cases.list_cases"):
        raise denied(request, object_type="case_list", object_ref="all")
    form = CaseFilterForm(request.GET or None, teams=team_choices(), areas=area_names())
    filters = form.cleaned_data if form.is_valid() else {}
    cases = case_list(
        user=request.user,
        search=filters.get("search", ""),
        team_id=filters.get("team", ""),
        area=filters.get("area", ""),
        case_type=filters.get("case_type", ""),
        status=filters.get("status", ""),
    )
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    query = {k: v for k, v in filters.items() if v}
    pagination = _pagination(page, query)
    return render(
        request,
        "cases/case_list.html",
        {
            "form": form,
            "rows": [case_row(c) for c in page.object_list],
            "page": page,
            "pagination": pagination,
            "filtered": bool(query),
        },
    )


def _pagination(page: object, query: dict[str, Any]) -> dict[str, object] | None:
    """Arguments of the GOV.UK pagination component for a Django page."""
    return pagination_params(page, query, "Pages of cases")


@login_required
def case_detail_view(request: HttpRequest, case_id: str) -> HttpResponse:
    case, access = case_get(user=request.user, case_id=case_id)
    if case is None:
        raise denied(request, object_type="case", object_ref=case_id)
    row = case_row(case)
    if access is Access.FULL and row.child_visible:
        return redirect(reverse("cases:child", args=[case.child.child_id]) + f"#case-{case.case_id}")
    # A restricted case seen from outside its line: only its ID, team and "Restricted", with the
    # access requests the person may see and, where they may, a way to ask (SEL-6).
    return render(
        request,
        "cases/case_restricted.html",
        {"row": row, "panels": restricted_case_panels(user=request.user, case=case)},
    )


@login_required
def child_detail_view(request: HttpRequest, child_id: str) -> HttpResponse:
    child = child_get(user=request.user, child_id=child_id)
    if child is None:
        raise denied(request, object_type="child", object_ref=child_id)
    access_log_record(
        actor=request.user, object_type="child", object_ref=child.child_id, allowed=True, request=request
    )
    today = timezone.localdate()
    rows = [case_row(c) for c in child_cases(user=request.user, child=child)]
    return render(
        request,
        "cases/child_detail.html",
        {
            "child": child,
            "date_of_birth": long_date(child.date_of_birth),
            "age": age_on(child.date_of_birth, today),
            "rows": rows,
        },
    )
