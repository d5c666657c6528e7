"""Compliance gaps (AUD-3): the auditor flags a gap in supervision, case notes, chronology or visits
for the worker to address before the audit is final; the worker or their practice manager
records how it was addressed."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from caseaudit.audits.errors import AuditRefused
from caseaudit.audits.forms_gaps import KIND_HINTS, GapAddressForm, GapFlagForm
from caseaudit.audits.mail import emailed_sentence, gap_addressed_recipients, worker_and_manager_recipients
from caseaudit.audits.models import ComplianceGap
from caseaudit.audits.presenters.audit import audit_summary
from caseaudit.audits.presenters.records import gap_views
from caseaudit.audits.selectors import compliance_gap_get
from caseaudit.audits.services_gaps import compliance_gap_address, compliance_gap_flag
from caseaudit.audits.views.pages import audit_for, log_view
from caseaudit.core.denials import denied
from caseaudit.core.forms import form_error_summary, refusal_on_form
from caseaudit.templates_library.selectors import audit_type_get


@login_required
@require_http_methods(["GET", "POST"])
def compliance_gap_flag_page(request: HttpRequest, audit_id: int) -> HttpResponse:
    audit = audit_for(request, audit_id, perm="audits.flag_compliance_gap")
    form = GapFlagForm(request.POST if request.method == "POST" else None, auto_id="%s")
    if form.is_valid():
        try:
            compliance_gap_flag(
                actor=request.user,
                audit=audit,
                kind=form.cleaned_data["kind"],
                note=form.cleaned_data["note"],
            )
        except AuditRefused as refused:
            refusal_on_form(form, refused)
        else:
            told = emailed_sentence(worker_and_manager_recipients(audit=audit))
            messages.success(request, f"Compliance gap flagged for the worker. {told}".strip())
            return redirect(reverse("audits:overview", args=[audit.pk]) + "#compliance-gaps")
    if request.method != "POST":
        log_view(request, audit)
    given_kind = form["kind"].value() or ""
    kind = {
        "name": "kind",
        "idPrefix": "kind",
        "fieldset": {"legend": {"text": form["kind"].label, "classes": "govuk-fieldset__legend--m"}},
        "errorMessage": _error(form, "kind"),
        "items": [
            {
                "value": value,
                "text": label,
                "hint": {"text": KIND_HINTS[value]} if value in KIND_HINTS else None,
                "checked": value == given_kind,
            }
            for value, label in ComplianceGap.Kind.choices
        ],
    }
    note = {
        "id": "note",
        "name": "note",
        "label": {"text": form["note"].label, "classes": "govuk-label--m"},
        "errorMessage": _error(form, "note"),
        "value": form["note"].value() or "",
        "rows": 4,
    }
    return render(
        request,
        "audits/gap_flag.html",
        {
            "summary": audit_summary(audit=audit, audit_type=audit_type_get(token=audit.audit_type)),
            "errors": form_error_summary(form, hrefs={"kind": "#kind"}),
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
    form = GapAddressForm(request.POST if request.method == "POST" else None, auto_id="%s")
    if form.is_valid():
        try:
            compliance_gap_address(actor=request.user, gap=gap, note=form.cleaned_data["note"])
        except AuditRefused as refused:
            refusal_on_form(form, refused)
        else:
            told = emailed_sentence(gap_addressed_recipients(audit=audit))
            messages.success(request, f"{gap.get_kind_display()} gap marked as addressed. {told}".strip())
            return redirect(reverse("audits:overview", args=[audit.pk]) + "#compliance-gaps")
    if request.method != "POST":
        log_view(request, audit)
    note = {
        "id": "note",
        "name": "note",
        "label": {"text": form["note"].label, "classes": "govuk-label--m"},
        "hint": {"text": form["note"].help_text},
        "errorMessage": _error(form, "note"),
        "value": form["note"].value() or "",
        "rows": 4,
    }
    return render(
        request,
        "audits/gap_address.html",
        {
            "summary": audit_summary(audit=audit, audit_type=audit_type_get(token=audit.audit_type)),
            "gap": gap_views([gap])[0],
            "errors": form_error_summary(form),
            "note": note,
        },
    )


def _error(form: Any, name: str) -> dict[str, str] | None:
    """The GOV.UK component's error message for a field of a bound form, if it has one."""
    return {"text": " ".join(str(error) for error in form.errors[name])} if name in form.errors else None
