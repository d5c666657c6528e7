"""Check your answers and submit Stage 1 (GRD-3, AUD-2, REC-1): every section as a summary list with
Change links, the proposed overall grade and the auditor's own (with a reason when it differs),
the audit date; submitting is refused with the complete list of what is missing, each item
linking to where it is fixed. Once submitted the audit is read-only and its PDF is stored."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.views.decorators.http import require_GET, require_http_methods

from caseaudit.audits.errors import AuditReadOnly, AuditRefused
from caseaudit.audits.forms import OverallInput
from caseaudit.audits.machines import EDITABLE
from caseaudit.audits.mail import emailed_sentence, worker_and_manager_recipients
from caseaudit.audits.models import Audit
from caseaudit.audits.presenters.audit import audit_view
from caseaudit.audits.presenters.feedback import problem_href, stale_changes
from caseaudit.audits.presenters.records import document_views
from caseaudit.audits.selectors import AuditState, audit_state, audit_template_sections
from caseaudit.audits.services import audit_save_valid, audit_submission_problems, audit_submit
from caseaudit.audits.views.pages import audit_for, log_view, permissions
from caseaudit.core.problems import Problem
from caseaudit.core.services import access_log_record
from caseaudit.questionnaires.clients import request_client
from caseaudit.questionnaires.errors import StaleVersion
from caseaudit.questionnaires.forms import DateParts, FieldErrors, posted_version
from caseaudit.questionnaires.presenters import date_input
from caseaudit.templates_library.models import Section
from caseaudit.templates_library.selectors import audit_type_get

# Problems shown against a field of this page: {(ref, field): field id}.
PAGE_FIELDS = {
    ("overall", "overall_grade"): "overall_grade",
    ("overall", "overall_override_reason"): "overall_override_reason",
    ("audit", "audit_date"): "audit_date",
}


@login_required
@require_http_methods(["GET", "POST"])
def audit_check_page(request: HttpRequest, audit_id: int) -> HttpResponse:
    audit = audit_for(request, audit_id)
    sections = list(audit_template_sections(audit=audit))
    if request.method == "POST":
        if not request.user.has_perm("audits.submit_audit", audit):
            access_log_record(
                actor=request.user,
                object_type="audit",
                object_ref=str(audit.pk),
                allowed=False,
                action="submit",
                request=request,
            )
            raise PermissionDenied("may not submit this audit")
        return _post(request, audit, sections)
    log_view(request, audit)
    state = audit_state(audit=audit)
    given = OverallInput(
        audit.response.overall_grade or state.proposed_overall_grade or "",
        audit.response.overall_override_reason,
    )
    return _render(request, state, sections, given, DateParts.from_date(audit.audit_date), FieldErrors())


def _post(request: HttpRequest, audit: Audit, sections: list[Section]) -> HttpResponse:
    given = OverallInput.from_post(request.POST)
    date_parts = DateParts.from_post(request.POST, "audit_date")
    errors = FieldErrors()
    audit_date, problem = date_parts.parse("The audit date")
    if problem:
        errors.add("audit_date", problem, href="#audit_date-day")
    version = posted_version(request.POST)
    submitting = "submit" in request.POST
    try:
        # What is valid is saved even when a part is refused (AUD-2): a date typed wrong does not
        # lose the reason typed beside it, nor a grade refused the date.
        saved = audit_save_valid(
            actor=request.user,
            audit=audit,
            version=version,
            client=request_client(request),
            overall_grade=given.grade or None,
            overall_override_reason=given.override_reason,
            audit_date=audit_date,
        )
        audit, problems = saved.audit, list(saved.refused)
        if submitting and not problems and not errors:
            audit = audit_submit(actor=request.user, audit=audit, version=audit.response.version)
    except AuditReadOnly:
        return redirect("audits:check", audit_id=audit.pk)
    except StaleVersion as stale:
        state = audit_state(audit=audit)
        lines = stale_changes(stale.changed, sections, audit.template_version.grade_scale)
        return _render(
            request, state, sections, given, date_parts, errors, version=stale.current_version, stale=lines
        )
    except AuditRefused as refused:
        problems = list(refused.problems)
    if problems and submitting:
        # The complete list of what stops submission, not only why the grade was refused.
        problems += audit_submission_problems(audit=audit)
    _add_problems(errors, problems, audit, sections)
    if not errors:
        if audit.status not in EDITABLE:
            return redirect("audits:submitted", audit_id=audit.pk)
        messages.success(request, "Overall grade and audit date saved")
        return redirect("audits:overview", audit_id=audit.pk)
    state = audit_state(audit=audit)
    return _render(request, state, sections, given, date_parts, errors, version=audit.response.version)


def _add_problems(
    errors: FieldErrors, problems: list[Problem], audit: Audit, sections: list[Section]
) -> None:
    for problem in problems:
        field_id = PAGE_FIELDS.get((problem.ref, problem.field or ""))
        if field_id is not None:
            errors.add(
                field_id, problem.message, href="#audit_date-day" if field_id == "audit_date" else None
            )
        else:
            errors.add_summary_only(problem.message, problem_href(problem, audit.pk, sections))


def _render(
    request: HttpRequest,
    state: AuditState,
    sections: list[Section],
    given: OverallInput,
    date_parts: DateParts,
    errors: FieldErrors,
    *,
    version: int | None = None,
    stale: list[str] | None = None,
) -> HttpResponse:
    audit = state.audit
    view = audit_view(state=state, sections=sections, audit_type=audit_type_get(token=audit.audit_type))
    can = permissions(request, audit)
    editable = can["submit"] and not state.read_only
    scale = audit.template_version.grade_scale
    context: dict[str, Any] = {
        "view": view,
        "summary": view.summary,
        "can": can,
        "editable": editable,
        "cards": [_section_card(audit, section, editable) for section in view.sections],
        "errors": errors.summary,
        "stale": stale,
        "version": version or audit.response.version,
        "still_to_do": [
            {"text": problem.message, "href": problem_href(problem, audit.pk, sections)}
            for problem in state.submission_problems
            if (problem.ref, problem.field) not in PAGE_FIELDS  # those are on this page, below
        ]
        if editable and not errors
        else [],
        "documents": document_views(state.documents),
        "actions_href": next(
            (
                reverse("audits:section", args=[audit.pk, section.ref]) + "#actions"
                for section in sections
                if section.actions_table
            ),
            "",
        ),
        "overall_grade": {
            "name": "overall_grade",
            "idPrefix": "overall_grade",
            "fieldset": {
                "legend": {
                    "text": "What is the overall grade of the audit?",
                    "classes": "govuk-fieldset__legend--s",
                }
            },
            "hint": {"text": _overall_hint(view.proposed_grade, view.overall_best_allowed, scale)},
            "errorMessage": errors.get("overall_grade"),
            "items": [
                {"value": g["token"], "text": g["label"], "checked": g["token"] == given.grade} for g in scale
            ],
        },
        "override_reason": {
            "id": "overall_override_reason",
            "name": "overall_override_reason",
            "label": {"text": "Reason for changing the proposed grade", "classes": "govuk-label--s"},
            "hint": {"text": "Needed only if you choose an overall grade other than the proposed one."},
            "errorMessage": errors.get("overall_override_reason"),
            "value": given.override_reason,
            "rows": 3,
        },
        "audit_date": date_input(
            "audit_date",
            "Audit date",
            date_parts,
            errors,
            hint="The date of the audit discussion, used in reporting.",
            legend_classes="govuk-fieldset__legend--m",
        ),
    }
    status = 200 if request.method == "GET" else (409 if stale else 422)
    return render(request, "audits/check.html", context, status=status)


def _overall_hint(proposed: str, best_allowed: str, scale: list[dict[str, str]]) -> str:
    hint = (
        f"The proposed overall grade is {proposed}."
        if proposed
        else "Grade the sections to get a proposed grade."
    )
    if best_allowed and scale and best_allowed != scale[0]["label"]:
        hint += f" While a limiting judgement is not met, the best overall grade allowed is {best_allowed}."
    return hint


def _section_card(audit: Audit, section: Any, editable: bool) -> dict[str, Any]:
    page = reverse("audits:section", args=[audit.pk, section.ref])

    def change(fragment: str, what: str) -> dict[str, Any] | None:
        if not editable:
            return None
        return {"items": [{"href": f"{page}#{fragment}", "text": "Change", "visuallyHiddenText": what}]}

    rows = []
    for question in section.questions:
        value = question.answer or "Not answered"
        html = _escape(value).replace("\n", "<br>")
        if question.reason:
            html += f"<br>Reason: {_escape(question.reason)}"
        rows.append(
            {
                "key": {"text": question.text},
                "value": {"html": html},
                "actions": change(question.field_id, f"answer to '{question.text}'"),
            }
        )
    rows.append(
        {
            "key": {"text": section.comments_label},
            "value": {"html": _escape(section.comments or "None").replace("\n", "<br>")},
            "actions": change("comments", f"{section.title} comments"),
        }
    )
    if section.graded:
        rows.append(
            {
                "key": {"text": "Grade"},
                "value": {"text": section.grade_label or "Not graded"},
                "actions": change("grade", f"{section.title} grade"),
            }
        )
    return {"card": {"title": {"text": section.title, "headingLevel": 3}}, "rows": rows}


def _escape(text: str) -> str:
    return str(escape(text))


@login_required
@require_GET
def audit_submitted_page(request: HttpRequest, audit_id: int) -> HttpResponse:
    audit = audit_for(request, audit_id)
    log_view(request, audit)
    state = audit_state(audit=audit)
    if not state.read_only:
        return redirect("audits:check", audit_id=audit.pk)
    sections = list(audit_template_sections(audit=audit))
    view = audit_view(state=state, sections=sections, audit_type=audit_type_get(token=audit.audit_type))
    return render(
        request,
        "audits/submitted.html",
        {
            "summary": view.summary,
            "view": view,
            "can": permissions(request, audit),
            "documents": state.documents,
            "emailed": emailed_sentence(worker_and_manager_recipients(audit=audit)),
        },
    )
