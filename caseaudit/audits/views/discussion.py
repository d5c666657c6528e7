"""The discussion page (SEL-7): the auditor arranges, changes or cancels the discussion with the
worker, who both get the calendar invite. An audit the person may not arrange it for is a plain 404
with the denial logged (SEC-1). The page works without JavaScript."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from caseaudit.audits.forms_discussions import DiscussionForm, meeting_initial
from caseaudit.audits.models import Audit
from caseaudit.audits.presenters.discussion import discussion_view
from caseaudit.audits.selectors import audit_get, discussion_of
from caseaudit.audits.services_discussions import (
    DiscussionRefused,
    discussion_arrange,
    discussion_cancel,
    discussion_worker,
)
from caseaudit.core.denials import denied
from caseaudit.core.forms import date_parts_input, form_error_summary, refusal_on_form


def _discussion_audit(request: HttpRequest, audit_id: int) -> Audit:
    audit = audit_get(user=request.user, audit_id=audit_id)
    if audit is None or not request.user.has_perm("audits.arrange_discussion", audit):
        raise denied(request, object_type="audit", object_ref=str(audit_id))
    return audit


def _initial(audit: Audit) -> dict[str, Any]:
    discussion = discussion_of(audit=audit)
    if discussion is None or discussion.cancelled:
        return meeting_initial(starts_at=None, minutes=60, location="", link="")
    return meeting_initial(
        starts_at=discussion.starts_at,
        minutes=discussion.duration_minutes,
        location=discussion.location,
        link=discussion.online_link,
    )


@login_required
@require_http_methods(["GET", "POST"])
def discussion_page(request: HttpRequest, audit_id: int) -> HttpResponse:
    """Arrange (or change, or cancel) the discussion with the worker; both get the invite."""
    audit = _discussion_audit(request, audit_id)
    overview = reverse("audits:overview", args=[audit.pk]) + "#discussion"
    if request.method == "POST" and request.POST.get("action") == "cancel":
        try:
            discussion_cancel(actor=request.user, audit=audit)
        except DiscussionRefused as refused:
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
        except DiscussionRefused as refused:
            refusal_on_form(form, refused)
        else:
            messages.success(request, "Discussion arranged: the invite is on its way to you and the worker")
            return redirect(overview)
    worker = discussion_worker(audit)
    date_href = f"#date-{form.date_error_field()}" if form.is_bound else "#date-day"
    return render(
        request,
        "audits/discussion.html",
        {
            "audit_id": audit.pk,
            "case_id": audit.case.case_id,
            "team_name": audit.case.team.name,
            "worker_name": worker.name if worker is not None else "",
            "form": form,
            "date_input": date_parts_input(form),
            "minutes_suffix": {"text": "minutes"},
            "errors": form_error_summary(
                form, hrefs={"day": date_href, "month": date_href, "year": date_href}
            ),
            "discussion": discussion_view(discussion_of(audit=audit)),
        },
    )
