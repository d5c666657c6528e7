"""Pages of access to restricted records (SEL-6) and of the audit discussion (SEL-7).

A record the person may not see is a plain 404 with the denial logged (SEC-1); one they see only as
its summary but may not ask to open is 403. The pages work without JavaScript."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from caseaudit.accounts.selectors import user_staff
from caseaudit.allocation.access import AccessRefused, access_request_create, access_request_decide
from caseaudit.allocation.access_forms import AccessDecisionForm, AccessRequestForm, DiscussionForm
from caseaudit.allocation.access_presenters import (
    access_request_row,
    access_request_rows,
    approver_context,
    discussion_view,
)
from caseaudit.allocation.access_selectors import (
    access_request_get,
    access_request_pending,
    access_requests_made,
    access_requests_to_decide,
    discussion_of,
)
from caseaudit.allocation.discussions import discussion_arrange, discussion_cancel, discussion_worker
from caseaudit.audits.models import Audit
from caseaudit.audits.selectors import audit_get
from caseaudit.cases.selectors import Access, case_get
from caseaudit.core.denials import denied


def _apply(form: forms.Form, refused: AccessRefused) -> None:
    """A service's refusals on the form: on their field when the form has it, else above it."""
    for problem in refused.problems:
        field = problem.field if problem.field in form.fields else None
        form.add_error(field, problem.message)


def error_list(form: forms.Form, *, hrefs: dict[str, str] | None = None) -> list[dict[str, str]]:
    """The error summary: each error linking to its field (or to `hrefs[field]`)."""
    errors = [{"text": str(error), "href": ""} for error in form.non_field_errors()]
    for name, field_errors in form.errors.items():
        if name == "__all__":
            continue
        href = (hrefs or {}).get(name) or f"#{form[name].id_for_label}"
        errors.extend({"text": str(error), "href": href} for error in field_errors)
    return errors


# --- access requests ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def access_request_page(request: HttpRequest, case_id: str) -> HttpResponse:
    case, access = case_get(user=request.user, case_id=case_id)
    if case is None:
        raise denied(request, object_type="case", object_ref=case_id)
    if access is Access.FULL:
        return redirect("cases:case", case_id=case.case_id)
    if not request.user.has_perm("allocation.request_access", case):
        raise denied(request, object_type="access_request", object_ref=case.case_id, forbidden=True)
    staff = user_staff(request.user)
    pending = access_request_pending(staff=staff, case=case)
    form = AccessRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and pending is None and form.is_valid():
        try:
            created = access_request_create(actor=request.user, case=case, reason=form.cleaned_data["reason"])
        except AccessRefused as refused:
            _apply(form, refused)
        else:
            messages.success(request, f"Access requested: {created.approver.name} will decide")
            return redirect("cases:case", case_id=case.case_id)
    return render(
        request,
        "allocation/access_request.html",
        {
            "case_id": case.case_id,
            "team_name": case.team.name,
            "form": form,
            "errors": error_list(form),
            "pending": access_request_row(pending) if pending is not None else None,
            **approver_context(case=case),
        },
    )


@login_required
@require_GET
def access_request_list_page(request: HttpRequest) -> HttpResponse:
    """Requests to decide (waiting first, then decided) and the person's own requests."""
    to_decide = access_request_rows(access_requests_to_decide(user=request.user))
    return render(
        request,
        "allocation/access_requests.html",
        {
            "waiting": [row for row in to_decide if row.pending],
            "decided": [row for row in to_decide if not row.pending],
            "mine": access_request_rows(access_requests_made(user=request.user)),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def access_request_decide_page(request: HttpRequest, request_id: int) -> HttpResponse:
    access_request = access_request_get(user=request.user, request_id=request_id)
    if access_request is None:
        raise denied(request, object_type="access_request", object_ref=str(request_id))
    may_decide = request.user.has_perm("allocation.decide_access_request", access_request)
    form = AccessDecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not may_decide:
            raise denied(request, object_type="access_request", object_ref=str(request_id), forbidden=True)
        if form.is_valid():
            try:
                access_request_decide(
                    actor=request.user,
                    request=access_request,
                    grant=form.grant,
                    reason=form.cleaned_data["reason"],
                )
            except AccessRefused as refused:
                _apply(form, refused)
            else:
                outcome = "granted" if form.grant else "refused"
                messages.success(request, f"Access to case {access_request.case.case_id} {outcome}")
                return redirect("access:list")
    row = access_request_row(access_request)
    return render(
        request,
        "allocation/access_decide.html",
        {
            "row": row,
            "form": form,
            "errors": error_list(form, hrefs={"decision": "#decision"}),
            "can_decide": may_decide and row.pending,
        },
    )


# --- the discussion -----------------------------------------------------------------------------


def _discussion_audit(request: HttpRequest, audit_id: int) -> Audit:
    audit = audit_get(user=request.user, audit_id=audit_id)
    if audit is None or not request.user.has_perm("allocation.arrange_discussion", audit):
        raise denied(request, object_type="audit", object_ref=str(audit_id))
    return audit


def _initial(audit: Audit) -> dict[str, Any]:
    discussion = discussion_of(audit=audit)
    if discussion is None or discussion.cancelled:
        return {"duration_minutes": 60}
    starts = timezone.localtime(discussion.starts_at)
    return {
        "day": starts.day,
        "month": starts.month,
        "year": starts.year,
        "time": f"{starts:%H:%M}",
        "duration_minutes": discussion.duration_minutes,
        "location": discussion.location,
        "online_link": discussion.online_link,
    }


def _date_input(form: DiscussionForm) -> dict[str, Any]:
    error = form.date_error() if form.is_bound else ""
    items = []
    for name, width in (("day", 2), ("month", 2), ("year", 4)):
        value = form[name].value()
        classes = f"govuk-input--width-{width}" + (" govuk-input--error" if error else "")
        items.append({"name": name, "classes": classes, "value": "" if value is None else str(value)})
    return {
        "id": "date",
        "fieldset": {"legend": {"text": "Date", "classes": "govuk-fieldset__legend--s"}},
        "hint": {"text": "For example, 7 12 2026"},
        "errorMessage": {"text": error} if error else None,
        "items": items,
    }


@login_required
@require_http_methods(["GET", "POST"])
def discussion_page(request: HttpRequest, audit_id: int) -> HttpResponse:
    """Arrange (or change, or cancel) the discussion with the worker; both get the invite."""
    audit = _discussion_audit(request, audit_id)
    overview = reverse("audits:overview", args=[audit.pk]) + "#discussion"
    if request.method == "POST" and request.POST.get("action") == "cancel":
        try:
            discussion_cancel(actor=request.user, audit=audit)
        except AccessRefused as refused:
            messages.error(request, refused.problems[0].message)
        else:
            messages.success(request, "Discussion cancelled: the auditor and the worker have been told")
        return redirect(overview)
    form = DiscussionForm(request.POST if request.method == "POST" else None, initial=_initial(audit))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            discussion_arrange(
                actor=request.user,
                audit=audit,
                starts_at=data["starts_at"],
                duration_minutes=data["duration_minutes"],
                location=data.get("location", ""),
                online_link=data.get("online_link", ""),
            )
        except AccessRefused as refused:
            _apply(form, refused)
        else:
            messages.success(request, "Discussion arranged: the invite is on its way to you and the worker")
            return redirect(overview)
    worker = discussion_worker(audit)
    date_href = f"#date-{form.date_error_field()}" if form.is_bound else "#date-day"
    return render(
        request,
        "allocation/discussion.html",
        {
            "audit_id": audit.pk,
            "case_id": audit.case.case_id,
            "team_name": audit.case.team.name,
            "worker_name": worker.name if worker is not None else "",
            "form": form,
            "date_input": _date_input(form),
            "minutes_suffix": {"text": "minutes"},
            "errors": error_list(form, hrefs={"day": date_href, "month": date_href, "year": date_href}),
            "discussion": discussion_view(discussion_of(audit=audit)),
        },
    )
