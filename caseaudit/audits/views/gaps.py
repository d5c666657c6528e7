"""Compliance gaps (AUD-3): the auditor flags a gap in supervision, case notes, chronology or visits
for the worker to address before the audit is final; the worker or their practice manager
records how it was addressed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from caseaudit.audits.errors import AuditRefused
from caseaudit.audits.forms import GapInput
from caseaudit.audits.mail import emailed_sentence, gap_addressed_recipients, worker_and_manager_recipients
from caseaudit.audits.models import ComplianceGap
from caseaudit.audits.presenters.audit import audit_summary
from caseaudit.audits.presenters.records import gap_views
from caseaudit.audits.selectors import compliance_gap_get
from caseaudit.audits.services_gaps import compliance_gap_address, compliance_gap_flag
from caseaudit.audits.views.pages import audit_for, log_view
from caseaudit.core.denials import denied
from caseaudit.questionnaires.forms import FieldErrors
from caseaudit.templates_library.selectors import audit_type_get

KIND_HINTS = {
    "supervision": "For example, no recorded supervision in the last 3 months",
    "case_notes": "For example, visits not written up",
    "chronology": "For example, the chronology is not up to date",
    "visits": "For example, visits not within the required timescales",
}


@login_required
@require_http_methods(["GET", "POST"])
def compliance_gap_flag_page(request: HttpRequest, audit_id: int) -> HttpResponse:
    audit = audit_for(request, audit_id, perm="audits.flag_compliance_gap")
    errors = FieldErrors()
    given = GapInput()
    if request.method == "POST":
        given = GapInput.from_post(request.POST)
        try:
            compliance_gap_flag(actor=request.user, audit=audit, kind=given.kind, note=given.note)
        except AuditRefused as refused:
            errors.add_problems(refused.problems, fields=("kind", "note"))
        else:
            told = emailed_sentence(worker_and_manager_recipients(audit=audit))
            messages.success(request, f"Compliance gap flagged for the worker. {told}".strip())
            return redirect(reverse("audits:overview", args=[audit.pk]) + "#compliance-gaps")
    else:
        log_view(request, audit)
    kind = {
        "name": "kind",
        "idPrefix": "kind",
        "fieldset": {"legend": {"text": "What kind of gap is it?", "classes": "govuk-fieldset__legend--m"}},
        "errorMessage": errors.get("kind"),
        "items": [
            {
                "value": value,
                "text": label,
                "hint": {"text": KIND_HINTS[value]} if value in KIND_HINTS else None,
                "checked": value == given.kind,
            }
            for value, label in ComplianceGap.Kind.choices
        ],
    }
    note = {
        "id": "note",
        "name": "note",
        "label": {"text": "What is missing, and what should the worker do?", "classes": "govuk-label--m"},
        "errorMessage": errors.get("note"),
        "value": given.note,
        "rows": 4,
    }
    return render(
        request,
        "audits/gap_flag.html",
        {
            "summary": audit_summary(audit=audit, audit_type=audit_type_get(token=audit.audit_type)),
            "errors": errors.summary,
            "kind": kind,
            "note": note,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def compliance_gap_address_page(request: HttpRequest, audit_id: int, gap_id: int) -> HttpResponse:
    audit = audit_for(request, audit_id)
    gap = compliance_gap_get(user=request.user, audit=audit, gap_id=gap_id)
    if gap is None or not request.user.has_perm("audits.address_compliance_gap", gap):
        raise denied(request, object_type="compliance_gap", object_ref=str(gap_id))
    errors = FieldErrors()
    note_text = ""
    if request.method == "POST":
        note_text = GapInput.from_post(request.POST).note
        try:
            compliance_gap_address(actor=request.user, gap=gap, note=note_text)
        except AuditRefused as refused:
            errors.add_problems(refused.problems, fields=("note",))
        else:
            told = emailed_sentence(gap_addressed_recipients(audit=audit))
            messages.success(request, f"{gap.get_kind_display()} gap marked as addressed. {told}".strip())
            return redirect(reverse("audits:overview", args=[audit.pk]) + "#compliance-gaps")
    else:
        log_view(request, audit)
    note = {
        "id": "note",
        "name": "note",
        "label": {"text": "How was it addressed?", "classes": "govuk-label--m"},
        "hint": {"text": "For example, what was recorded and where"},
        "errorMessage": errors.get("note"),
        "value": note_text,
        "rows": 4,
    }
    return render(
        request,
        "audits/gap_address.html",
        {
            "summary": audit_summary(audit=audit, audit_type=audit_type_get(token=audit.audit_type)),
            "gap": gap_views([gap])[0],
            "errors": errors.summary,
            "note": note,
        },
    )
