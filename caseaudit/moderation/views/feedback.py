"""The worker's say and the head of QA's decision (MOD-3): the feedback page, the confirmation that
no feedback was given, the head of QA's decision page and dismissing a home page alert.

An audit the person may not see is a plain 404, one they may see but may not do this on a 403,
each denial logged (SEC-1); every page view of an audit is logged (SEC-2). A refusal by the
services (the wrong status, a grade a limiting judgement forbids) comes back on the form."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_http_methods

from caseaudit.audits.errors import AuditRefused
from caseaudit.audits.models import Audit
from caseaudit.audits.presenters.audit import audit_view
from caseaudit.audits.selectors import audit_get, audit_state, audit_template_sections
from caseaudit.audits.views.pages import log_view
from caseaudit.core.calendar import long_date
from caseaudit.core.denials import denied
from caseaudit.core.forms import form_error_summary, refusal_on_form
from caseaudit.moderation.forms_feedback import FeedbackForm, HeadOfQaDecisionForm, grade_field_name
from caseaudit.moderation.presenters.feedback import (
    alert_get,
    decision_view,
    feedback_of,
    feedback_view,
    grade_rows,
    no_feedback_allowed,
)
from caseaudit.moderation.selectors import feedback_due_date
from caseaudit.moderation.services.feedback import (
    alert_dismiss,
    feedback_give,
    head_of_qa_decide,
    no_feedback_from,
    record_no_feedback,
)
from caseaudit.templates_library.selectors import audit_type_get


def _audit_for(request: HttpRequest, audit_id: int, perm: str) -> Audit:
    """The audit: 404 if the person may not see it, 403 if they may but may not do this."""
    audit = audit_get(user=request.user, audit_id=audit_id)
    if audit is None:
        raise denied(request, object_type="audit", object_ref=str(audit_id))
    if not request.user.has_perm(perm, audit):
        raise denied(request, object_type="audit", object_ref=str(audit_id), forbidden=True)
    return audit


def _findings(audit: Audit) -> dict[str, Any]:
    state = audit_state(audit=audit)
    view = audit_view(
        state=state,
        sections=list(audit_template_sections(audit=audit)),
        audit_type=audit_type_get(token=audit.audit_type),
    )
    return {"summary": view.summary, "view": view, "grades": grade_rows(audit), "actions": view.actions}


def _overview(audit: Audit) -> str:
    return reverse("audits:overview", args=[audit.pk]) + "#feedback"


@login_required
@require_http_methods(["GET", "POST"])
def feedback_page(request: HttpRequest, audit_id: int) -> HttpResponse:
    """MOD-3: the worker (or their practice manager) gives their view of the audit, its findings
    and its plan; a strong disagreement goes to the head of QA."""
    audit = _audit_for(request, audit_id, "moderation.give_feedback")
    form = FeedbackForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            feedback = feedback_give(
                actor=request.user,
                audit=audit,
                agreement=data["agreement"],
                on_process=data["on_process"],
                on_findings=data["on_findings"],
                on_plan=data["on_plan"],
            )
        except AuditRefused as refused:
            refusal_on_form(form, refused)
        else:
            if feedback.agreement == feedback.Agreement.STRONGLY_DISAGREE:
                messages.success(
                    request, "Feedback sent: the head of quality assurance decides before the audit is final"
                )
            else:
                messages.success(request, "Feedback sent: the auditor has been told")
            return redirect(_overview(audit))
    log_view(request, audit)
    return render(
        request,
        "moderation/feedback/give.html",
        {
            **_findings(audit),
            "audit_id": audit.pk,
            "form": form,
            "errors": form_error_summary(form, hrefs={"agreement": "#agreement"}),
            "feedback": feedback_view(feedback_of(audit=audit)),
            "open": audit.status == "submitted",
            "due": long_date(feedback_due_date(audit=audit)),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def no_feedback_page(request: HttpRequest, audit_id: int) -> HttpResponse:
    """MOD-3: once the window has passed, QA or the auditor records that no feedback was given."""
    audit = _audit_for(request, audit_id, "moderation.record_no_feedback")
    errors: list[dict[str, str]] = []
    if request.method == "POST":
        try:
            record_no_feedback(actor=request.user, audit=audit)
        except AuditRefused as refused:
            errors = [{"text": problem.message, "href": ""} for problem in refused.problems]
        else:
            messages.success(request, "Recorded that no feedback was given: the audit has moved on")
            return redirect(_overview(audit))
    log_view(request, audit)
    start = no_feedback_from(audit=audit)
    return render(
        request,
        "moderation/feedback/no_feedback.html",
        {
            "audit_id": audit.pk,
            "case_id": audit.case.case_id,
            "team_name": audit.case.team.name,
            "worker_name": audit.worker.name if audit.worker else "the worker",
            "due": long_date(feedback_due_date(audit=audit)),
            "start": long_date(start),
            "allowed": feedback_of(audit=audit) is None and no_feedback_allowed(audit),
            "errors": errors,
        },
        status=422 if errors else 200,
    )


def _grade_selects(form: HeadOfQaDecisionForm) -> str:
    """The grade selects, used only with "changed". Shown below the radios rather than revealed
    under "changed": GOV.UK Frontend 6's conditional reveal puts aria-expanded on the radio input,
    which axe refuses (aria-allowed-attr)."""
    return render_to_string(
        "moderation/feedback/_grade_selects.html",
        {"fields": [form[grade_field_name(r)] for r in form.grade_refs]},
    )


def _decision_radios(form: HeadOfQaDecisionForm) -> dict[str, Any]:
    """The decision's radios."""
    field = form["decision"]
    items = [
        {"value": value, "text": text, "checked": str(field.value() or "") == value}
        for value, text in field.field.choices  # type: ignore[attr-defined]
    ]
    return {
        "idPrefix": "decision",
        "name": "decision",
        "fieldset": {"legend": {"text": str(field.label), "classes": "govuk-fieldset__legend--m"}},
        "errorMessage": {"text": " ".join(str(e) for e in field.errors)} if field.errors else None,
        "items": items,
    }


@login_required
@require_http_methods(["GET", "POST"])
def head_of_qa_decision_page(request: HttpRequest, audit_id: int) -> HttpResponse:
    """MOD-3: the head of QA reads both sides and decides: the auditor upheld, or grades and the
    plan changed (each grade change with the reason, capped by the limiting judgements)."""
    audit = _audit_for(request, audit_id, "moderation.decide_dispute")
    form = HeadOfQaDecisionForm(request.POST if request.method == "POST" else None, audit=audit)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        grades = form.changed_grades() if data["decision"] == "changed" else {}
        overall = grades.pop("overall", "")
        try:
            head_of_qa_decide(
                actor=request.user,
                audit=audit,
                decision=data["decision"],
                reason=data["reason"],
                section_grades=grades,
                overall_grade=overall,
                plan_change=data["plan_change"],
            )
        except AuditRefused as refused:
            for problem in refused.problems:
                form.add_error(form.field_for(problem.ref, problem.field), problem.message)
        else:
            messages.success(
                request,
                "Decision recorded: the worker, their practice manager and the auditor have been told",
            )
            return redirect(_overview(audit))
    log_view(request, audit)
    hrefs = {"decision": "#decision"}
    return render(
        request,
        "moderation/feedback/decision.html",
        {
            **_findings(audit),
            "audit_id": audit.pk,
            "form": form,
            "decision_radios": _decision_radios(form),
            "grade_selects": _grade_selects(form),
            "errors": form_error_summary(form, hrefs=hrefs),
            "feedback": feedback_view(feedback_of(audit=audit)),
            "decision": decision_view(audit, None),
            "open": audit.status == "head_of_qa_review",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def alert_dismiss_page(request: HttpRequest, alert_id: int) -> HttpResponse:
    """Dismiss one of your own home page alerts (anyone else's is a 404)."""
    alert = alert_get(user=request.user, alert_id=alert_id)
    if alert is None:
        raise denied(request, object_type="audit_alert", object_ref=str(alert_id))
    if request.method == "POST":
        alert_dismiss(actor=request.user, alert=alert)
        messages.success(request, "Alert dismissed")
        return redirect("core:home")
    return render(
        request,
        "moderation/feedback/dismiss.html",
        {"alert": alert, "case_id": alert.audit.case.case_id, "kind": alert.get_kind_display()},
    )


urlpatterns: list[URLPattern] = [
    path("audits/<int:audit_id>/feedback/", feedback_page, name="feedback"),
    path("audits/<int:audit_id>/no-feedback/", no_feedback_page, name="no-feedback"),
    path("audits/<int:audit_id>/head-of-qa-decision/", head_of_qa_decision_page, name="head-of-qa-decision"),
    path("alerts/<int:alert_id>/dismiss/", alert_dismiss_page, name="alert-dismiss"),
]
