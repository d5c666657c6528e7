"""Audit pages: the overview (task list of sections, compliance gaps, history), the preview for the
worker (AUD-1) and the PDF download (REC-1). Every page view of an audit is logged (SEC-2); an
audit the person may not see is a plain 404, and the denial is logged too (SEC-1).

The other pages are in start, sections, submit and gaps, beside this module."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from caseaudit.audits.documents import (
    audit_document_filename,
    audit_document_for_download,
    audit_document_open,
)
from caseaudit.audits.models import Audit
from caseaudit.audits.presenters.audit import audit_summary, section_view
from caseaudit.audits.presenters.family import family_view
from caseaudit.audits.presenters.panels import audit_page_panels
from caseaudit.audits.presenters.records import document_views, gap_views, history_views
from caseaudit.audits.selectors import audit_get, audit_state, audit_template_sections
from caseaudit.core.denials import denied
from caseaudit.core.services import access_log_record
from caseaudit.templates_library.selectors import audit_type_get, section_descriptors


def audit_for(request: HttpRequest, audit_id: int, *, perm: str = "audits.view_audit") -> Audit:
    """The audit, if the person may see it and has `perm` on it; else 404 with the denial logged.
    The view is logged as allowed by the caller once it is sure to show the page."""
    audit = audit_get(user=request.user, audit_id=audit_id)
    if audit is None or not request.user.has_perm(perm, audit):
        raise denied(request, object_type="audit", object_ref=str(audit_id))
    return audit


def log_view(request: HttpRequest, audit: Audit, *, action: str = "view") -> None:
    access_log_record(
        actor=request.user,
        object_type="audit",
        object_ref=str(audit.pk),
        allowed=True,
        action=action,
        request=request,
    )


def permissions(request: HttpRequest, audit: Audit) -> dict[str, bool]:
    user = request.user
    return {
        "edit": user.has_perm("audits.edit_audit", audit),
        "submit": user.has_perm("audits.submit_audit", audit),
        "flag_gap": user.has_perm("audits.flag_compliance_gap", audit),
        "address_gap": user.has_perm("audits.address_compliance_gap", audit),
        "preview": user.has_perm("audits.preview_audit", audit),
        "download": user.has_perm("audits.download_document", audit),
    }


@login_required
@require_GET
def audit_overview(request: HttpRequest, audit_id: int) -> HttpResponse:
    audit = audit_for(request, audit_id)
    state = audit_state(audit=audit)
    sections = [section_view(section, state) for section in audit_template_sections(audit=audit)]
    log_view(request, audit)
    tasks = [
        {
            "title": {"text": section.title},
            "href": reverse("audits:section", args=[audit.pk, section.ref]),
            "hint": {"text": f"About {section.minutes} minutes"} if section.minutes else None,
            "status": _task_status(section.status, state.read_only),
        }
        for section in sections
    ]
    return render(
        request,
        "audits/overview.html",
        {
            "summary": audit_summary(audit=audit, audit_type=audit_type_get(token=audit.audit_type)),
            "tasks": {"idPrefix": "sections", "items": tasks},
            "gaps": gap_views(state.compliance_gaps),
            "history": history_views(state.status_history),
            "documents": document_views(state.documents),
            "can": permissions(request, audit),
            "completed_count": sum(1 for section in sections if section.status == "Completed"),
            "section_count": len(sections),
            "read_only": state.read_only,
            "panels": audit_page_panels(user=request.user, audit=audit),
            "family": family_view(
                audit, can_record=request.user.has_perm("audits.record_family_feedback", audit)
            ),
        },
    )


def _task_status(status: str, read_only: bool) -> dict[str, object]:
    if status == "Completed" or read_only:
        return {"text": status}
    colour = "govuk-tag--blue" if status == "Not started" else "govuk-tag--light-blue"
    return {"tag": {"text": status, "classes": colour}}


@login_required
@require_GET
def audit_preview(request: HttpRequest, audit_id: int) -> HttpResponse:
    """AUD-1: before the discussion the worker and their practice manager see the template, what
    will be reviewed, and the compliance gaps to address; no answers, no grades."""
    audit = audit_for(request, audit_id, perm="audits.preview_audit")
    state = audit_state(audit=audit)
    scale = audit.template_version.grade_scale
    sections = [
        {"section": section, "descriptors": section_descriptors(section=section, grade_scale=scale)}
        for section in audit_template_sections(audit=audit)
    ]
    log_view(request, audit, action="preview")
    return render(
        request,
        "audits/preview.html",
        {
            "summary": audit_summary(audit=audit, audit_type=audit_type_get(token=audit.audit_type)),
            "template": audit.template_version,
            "sections": sections,
            "gaps": gap_views(state.compliance_gaps),
            "can": permissions(request, audit),
        },
    )


# A document whose file storage does not have: 503, not 404 (the audit lists it, and for the API
# 404 means "unknown or not visible") nor 410 (nobody removed it on purpose: documents are never
# deleted). It is our fault and, once the operator (alerted by the log) restores the file or the
# storage, a retry works.
DOCUMENT_UNAVAILABLE_STATUS = 503


@login_required
@require_GET
def audit_document_download(request: HttpRequest, audit_id: int) -> HttpResponse | FileResponse:
    """The stored PDF, streamed as an attachment; never a public media URL (REC-1, SEC-2)."""
    audit, document = audit_document_for_download(user=request.user, audit_id=audit_id, stage=None)
    if audit is None or document is None:
        raise denied(request, object_type="audit_document", object_ref=str(audit_id), action="download")
    access_log_record(
        actor=request.user,
        object_type="audit_document",
        object_ref=str(audit.pk),
        allowed=True,
        action="download",
        request=request,
    )
    file = audit_document_open(document=document)
    if file is None:
        return render(
            request,
            "audits/document_unavailable.html",
            {"audit_id": audit.pk},
            status=DOCUMENT_UNAVAILABLE_STATUS,
        )
    response = FileResponse(
        file,
        as_attachment=True,
        filename=audit_document_filename(document),
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
