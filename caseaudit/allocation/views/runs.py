"""The monthly allocation pages for QA (SEL-1..SEL-4): choose the month and run a draft, review the
draft (summary, filterable table, relaxations, passed-over cases), confirm it.

Someone without `allocation.run_allocation` gets the plain "not found" page, and the denial is
logged (SEC-1). The change page, the settings page and "My audits" are in their own modules."""

from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods

from caseaudit.allocation.errors import AllocationRefused
from caseaudit.allocation.forms import MONTH_FIELD, YEAR_FIELD, DraftForm, RowFilterForm
from caseaudit.allocation.models import AllocationRun
from caseaudit.allocation.presenters.runs import (
    allocation_row,
    passed_over_name,
    redact,
    rows_filtered,
    run_created,
    run_summary,
    status_tag,
)
from caseaudit.allocation.selectors import (
    allocation_items,
    allocation_run_get,
    allocation_run_list,
    allocation_settings_get,
    hidden_case_ids,
)
from caseaudit.allocation.services.confirm import allocation_confirm, stage1_due_date
from caseaudit.allocation.services.drafts import allocation_draft
from caseaudit.core.calendar import month_label, months_before
from caseaudit.core.denials import denied
from caseaudit.org.selectors import area_names, team_choices

RUN_PERMISSION = "allocation.run_allocation"
PASSED_OVER_PAGE_SIZE = 100


def run_for(request: HttpRequest, run_id: int, *, permission: str = RUN_PERMISSION) -> AllocationRun:
    """The run, if the person may run the allocation; else 404 with the denial logged."""
    run = allocation_run_get(run_id=run_id) if request.user.has_perm(permission) else None
    if run is None:
        raise denied(request, object_type="allocation_run", object_ref=str(run_id))
    return run


def problem_list(refused: AllocationRefused, hrefs: dict[str, str]) -> list[dict[str, str]]:
    """The error summary of a refusal: each problem links to its field where the page has one."""
    return [{"text": p.message, "href": hrefs.get(p.field or "", "")} for p in refused.problems]


def run_due_date(run: AllocationRun) -> date:
    """The Stage 1 due date: the confirmed audits' own, or what confirming now would give."""
    if run.status == AllocationRun.Status.CONFIRMED:
        for item in allocation_items(run=run)[:1]:
            if item.audit is not None and item.audit.due_date is not None:
                return item.audit.due_date
    return stage1_due_date(month=run.month)


def next_month(today: date) -> date:
    return months_before(today.replace(day=1), -1)


def _month_asked(value: str) -> date | None:
    """`?month=2026-12` (from a link on the home page) chooses the month the form starts on."""
    try:
        year, month = (int(part) for part in value.split("-"))
        return date(year, month, 1)
    except ValueError:
        return None


@login_required
@require_http_methods(["GET", "POST"])
def allocation_start_page(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm(RUN_PERMISSION):
        raise denied(request, object_type="allocation", object_ref="start")
    errors: list[dict[str, str]] = []
    per_auditor_setting = allocation_settings_get().cases_per_auditor
    if request.method == "POST":
        form = DraftForm(request.POST, per_auditor_setting=per_auditor_setting)
        if form.is_valid():
            try:
                run = allocation_draft(
                    actor=request.user,
                    month=form.cleaned_data["month"],
                    per_auditor=form.cleaned_data.get("per_auditor"),
                )
            except AllocationRefused as refused:
                errors = problem_list(refused, {"month": f"#{MONTH_FIELD}", "per_auditor": "#per_auditor"})
            else:
                return redirect("allocation:run", run_id=run.pk)
    else:
        upcoming = _month_asked(request.GET.get("month", "")) or next_month(timezone.localdate())
        form = DraftForm(
            initial={MONTH_FIELD: upcoming.month, YEAR_FIELD: upcoming.year},
            per_auditor_setting=per_auditor_setting,
        )
    runs = [
        {
            "run": run,
            "month": month_label(run.month),
            "tag": status_tag(run.status),
            "allocated": getattr(run, "item_count", 0),
            "created": run_created(run),
        }
        for run in allocation_run_list()[:24]
    ]
    return render(
        request,
        "allocation/start.html",
        {
            "form": form,
            "errors": errors,
            "month_input": _month_input(form),
            "runs": runs,
            "can_change_settings": request.user.has_perm("allocation.change_settings"),
        },
    )


def _month_input(form: DraftForm) -> dict[str, Any]:
    messages = [str(e) for name in (MONTH_FIELD, YEAR_FIELD) for e in form.errors.get(name, [])]
    invalid = " govuk-input--error" if messages else ""
    return {
        "id": "month",
        "namePrefix": "month",
        "fieldset": {"legend": {"text": "Month to allocate", "classes": "govuk-fieldset__legend--m"}},
        "hint": {"text": "For example, 12 2026"},
        "errorMessage": {"text": " ".join(messages)} if messages else None,
        "items": [
            {
                "name": "month",
                "label": "Month",
                "value": form[MONTH_FIELD].value() or "",
                "classes": "govuk-input--width-2" + invalid,
                "inputmode": "numeric",
            },
            {
                "name": "year",
                "label": "Year",
                "value": form[YEAR_FIELD].value() or "",
                "classes": "govuk-input--width-4" + invalid,
            },
        ],
    }


@login_required
@require_GET
def allocation_run_page(request: HttpRequest, run_id: int) -> HttpResponse:
    run = run_for(request, run_id)
    items = list(allocation_items(run=run))
    hidden = hidden_case_ids(user=request.user)
    rows = [allocation_row(item, hidden=hidden) for item in items]
    auditors = sorted(
        {(row.auditor_id, f"{row.auditor_name} ({row.auditor_id})") for row in rows}, key=lambda a: a[1]
    )
    form = RowFilterForm(request.GET or None, teams=team_choices(), areas=area_names(), auditors=auditors)
    filters = {k: v for k, v in (form.cleaned_data if form.is_valid() else {}).items() if v}
    shown = rows_filtered(rows, filters)
    relaxed = redact(run.result.get("relaxed", []), hidden, text_key="reason")
    due = run_due_date(run)
    return render(
        request,
        "allocation/run.html",
        {
            "run": run,
            "summary": run_summary(run, due=due),
            "tag": status_tag(run.status),
            "form": form,
            "filtered": bool(filters),
            "rows": shown,
            "row_count": len(rows),
            "relaxed": relaxed,
            "is_draft": run.status == AllocationRun.Status.DRAFT,
        },
    )


@login_required
@require_GET
def allocation_passed_over_page(request: HttpRequest, run_id: int) -> HttpResponse:
    """Every case passed over, with the rule that excluded it (SEL-4), a page at a time."""
    run = run_for(request, run_id)
    passed = run.result.get("passed_over", [])
    codes = sorted({entry["code"] for entry in passed})
    code = request.GET.get("code", "")
    if code in codes:
        passed = [entry for entry in passed if entry["code"] == code]
    else:
        code = ""
    page = Paginator(passed, PASSED_OVER_PAGE_SIZE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    hidden = hidden_case_ids(user=request.user, case_ids=[entry["case_id"] for entry in shown])
    return render(
        request,
        "allocation/passed_over.html",
        {
            "run": run,
            "month": month_label(run.month),
            "entries": redact(shown, hidden, text_key="reason"),
            "page": page,
            "codes_select": {
                "id": "code",
                "name": "code",
                "label": {"text": "Reason", "classes": "govuk-label--s"},
                "items": [{"value": "", "text": "Any reason"}]
                + [{"value": c, "text": passed_over_name(c), "selected": c == code} for c in codes],
            },
            "code": code,
            "code_name": passed_over_name(code).lower() if code else "",
            "pagination": _pagination(page, {"code": code} if code else {}),
        },
    )


def _pagination(page: Any, query: dict[str, str]) -> dict[str, Any] | None:
    paginator = page.paginator
    if paginator.num_pages <= 1:
        return None

    def href(n: int) -> str:
        return "?" + urlencode({**query, "page": str(n)})

    items: list[dict[str, Any]] = []
    for n in paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1):
        if n == paginator.ELLIPSIS:
            items.append({"ellipsis": True})
        else:
            items.append({"number": str(n), "href": href(int(n)), "current": n == page.number})
    result: dict[str, Any] = {"items": items, "landmarkLabel": "Pages of passed-over cases"}
    if page.has_previous():
        result["previous"] = {"href": href(page.number - 1)}
    if page.has_next():
        result["next"] = {"href": href(page.number + 1)}
    return result


@login_required
@require_http_methods(["GET", "POST"])
def allocation_confirm_page(request: HttpRequest, run_id: int) -> HttpResponse:
    run = run_for(request, run_id)
    errors: list[dict[str, str]] = []
    if run.status == AllocationRun.Status.CONFIRMED:
        return redirect("allocation:confirmed", run_id=run.pk)
    if request.method == "POST":
        try:
            run = allocation_confirm(actor=request.user, run=run)
        except AllocationRefused as refused:
            errors = problem_list(refused, {})
        else:
            return redirect("allocation:confirmed", run_id=run.pk)
    summary = run_summary(run, due=run_due_date(run))
    warned = sum(1 for item in allocation_items(run=run) if item.warnings)
    return render(
        request,
        "allocation/confirm.html",
        {
            "run": run,
            "summary": summary,
            "errors": errors,
            "warned": warned,
            "is_draft": run.status == AllocationRun.Status.DRAFT,
            "back_href": reverse("allocation:run", args=[run.pk]),
        },
    )


@login_required
@require_GET
def allocation_confirmed_page(request: HttpRequest, run_id: int) -> HttpResponse:
    run = run_for(request, run_id)
    if run.status != AllocationRun.Status.CONFIRMED:
        return redirect("allocation:run", run_id=run.pk)
    return render(
        request, "allocation/confirmed.html", {"run": run, "summary": run_summary(run, due=run_due_date(run))}
    )
