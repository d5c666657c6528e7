"""Pages of access to restricted records (SEL-6): the request form, the approver's list and the
decision page.

A record the person may not see is a plain 404 with the denial logged (SEC-1); one they see only as
its summary but may not ask to open is 403. The pages work without JavaScript."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from caseaudit.access.forms import AccessDecisionForm, AccessRequestForm
from caseaudit.access.presenters import access_request_row, access_request_rows, approver_context
from caseaudit.access.selectors import (
    access_request_get,
    access_request_pending,
    access_requests_made,
    access_requests_to_decide,
)
from caseaudit.access.services import AccessRefused, access_request_create, access_request_decide
from caseaudit.accounts.selectors import user_staff
from caseaudit.cases.selectors import Access, case_get
from caseaudit.core.denials import denied
from caseaudit.core.forms import form_error_summary, refusal_on_form


@login_required
@require_http_methods(["GET", "POST"])
def access_request_page(request: HttpRequest, case_id: str) -> HttpResponse:
    case, access = case_get(user=request.user, case_id=case_id)
    if case is None:
        raise denied(request, object_type="case", object_ref=case_id)
    if access is Access.FULL:
        return redirect("cases:case", case_id=case.case_id)
    if not request.user.has_perm("access.request_access", case):
        raise denied(request, object_type="access_request", object_ref=case.case_id, forbidden=True)
    staff = user_staff(request.user)
    pending = access_request_pending(staff=staff, case=case)
    form = AccessRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and pending is None and form.is_valid():
        try:
            created = access_request_create(actor=request.user, case=case, reason=form.cleaned_data["reason"])
        except AccessRefused as refused:
            refusal_on_form(form, refused)
        else:
            messages.success(request, f"Access requested: {created.approver.name} will decide")
            return redirect("cases:case", case_id=case.case_id)
    return render(
        request,
        "access/request.html",
        {
            "case_id": case.case_id,
            "team_name": case.team.name,
            "form": form,
            "errors": form_error_summary(form),
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
        "access/request_list.html",
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
    may_decide = request.user.has_perm("access.decide_access_request", access_request)
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
                refusal_on_form(form, refused)
            else:
                outcome = "granted" if form.grant else "refused"
                messages.success(request, f"Access to case {access_request.case.case_id} {outcome}")
                return redirect("access:list")
    row = access_request_row(access_request)
    return render(
        request,
        "access/decide.html",
        {
            "row": row,
            "form": form,
            "errors": form_error_summary(form, hrefs={"decision": "#decision"}),
            "can_decide": may_decide and row.pending,
        },
    )
