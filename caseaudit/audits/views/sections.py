"""One section of the audit, one page (AUD-2, AUD-4, GRD-2): its questions, comments box, grade with
the grade descriptors beside it and, for Comments and Actions, the action table.

"Save and continue" saves and goes to the next section; "Save and come back later" saves and goes
back to the task list; with JavaScript the same form is also autosaved while the auditor types
(the JSON answer of this view). Every form carries the version it was loaded at: a save over
someone else's newer save is refused and the page says what changed, keeping what was typed.

A save that is refused in part saves the rest (AUD-2: no lost input): a grade a limiting
judgement forbids is refused, and every other answer typed is saved; the page shows what was
refused and why, with what was typed still in the form (services.audit_save_valid)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from caseaudit.audits.deadlines import any_inadequate
from caseaudit.audits.errors import AuditReadOnly, AuditRefused
from caseaudit.audits.forms import ActionRow, SectionInput, action_field_id
from caseaudit.audits.models import Audit
from caseaudit.audits.presenters.actions import action_rows, safeguarding_component
from caseaudit.audits.presenters.audit import audit_summary, section_view
from caseaudit.audits.presenters.feedback import ACTION_FIELDS, problem_href, stale_changes
from caseaudit.audits.presenters.records import action_views, clock_time
from caseaudit.audits.selectors import AuditState, audit_due_rule, audit_state, audit_template_sections
from caseaudit.audits.services import audit_save_valid
from caseaudit.audits.ui_selectors import action_owner_choices
from caseaudit.audits.views.pages import audit_for, log_view
from caseaudit.core.problems import Problem
from caseaudit.core.services import access_log_record
from caseaudit.questionnaires.clients import request_client
from caseaudit.questionnaires.errors import StaleVersion
from caseaudit.questionnaires.forms import (
    AnswerInput,
    DateParts,
    FieldErrors,
    answers_from_stored,
    posted_version,
    question_field_id,
)
from caseaudit.questionnaires.presenters import comments_component, grade_component, section_components
from caseaudit.templates_library.models import Section
from caseaudit.templates_library.selectors import audit_type_get, section_descriptors
from caseaudit.templates_library.spec import NA

MAX_BLANK_ROWS = 10


@login_required
@require_http_methods(["GET", "POST"])
def audit_section_page(request: HttpRequest, audit_id: int, section_ref: str) -> HttpResponse:
    audit = audit_for(request, audit_id)
    sections = list(audit_template_sections(audit=audit))
    section = next((s for s in sections if s.ref == section_ref), None)
    if section is None:
        raise Http404("no such section")
    if request.method == "POST":
        if not request.user.has_perm("audits.edit_audit", audit):
            access_log_record(
                actor=request.user,
                object_type="audit",
                object_ref=str(audit.pk),
                allowed=False,
                action="edit",
                request=request,
            )
            if _wants_json(request):
                return JsonResponse({"problems": [{"message": "You cannot change this audit"}]}, status=403)
            raise PermissionDenied("may not edit this audit")
        return _save(request, audit, sections, section)
    log_view(request, audit)
    state = audit_state(audit=audit)
    if state.read_only or not request.user.has_perm("audits.edit_audit", audit):
        return _render_read_only(request, state, sections, section)
    blank = min(_int(request.GET.get("blank")), MAX_BLANK_ROWS)
    given = input_from_state(section, state, blank_rows=blank)
    return _render_form(
        request, state, sections, section, given, FieldErrors(), version=audit.response.version
    )


def _save(request: HttpRequest, audit: Audit, sections: list[Section], section: Section) -> HttpResponse:
    given = SectionInput.from_post(request.POST, section)
    autosave = request.POST.get("autosave") == "1" and _wants_json(request)
    remove = request.POST.get("remove_action", "")
    if remove.isdigit() and int(remove) < len(given.actions):
        del given.actions[int(remove)]
    errors = FieldErrors()
    # What cannot even be parsed (a date that is not a date) is shown, and the rest still saved.
    answers, actions, row_of = given.payload(section, errors)
    version = posted_version(request.POST)
    changes: dict[str, Any] = {"answers": answers, "comments": {section.ref: given.comments}}
    if section.graded:
        changes["section_grades"] = {section.ref: given.grade}
    if actions is not None:
        changes["actions"] = actions
    if given.safeguarding_concerns is not None:
        changes["safeguarding_concerns"] = given.safeguarding_concerns
    if "continue" in request.POST and not autosave and not errors:
        changes["completed_sections"] = {section.ref: True}
    try:
        saved = audit_save_valid(
            actor=request.user, audit=audit, version=version, client=request_client(request), **changes
        )
    except AuditReadOnly as read_only:
        if autosave:
            return JsonResponse({"problems": [p.as_dict() for p in read_only.problems]}, status=422)
        return redirect("audits:section", audit_id=audit.pk, section_ref=section.ref)
    except StaleVersion as stale:
        if autosave:
            message = "someone else saved this audit since you opened it. Save the page to see what changed."
            return JsonResponse({"stale": True, "message": message}, status=409)
        state = audit_state(audit=audit)
        lines = stale_changes(stale.changed, sections, audit.template_version.grade_scale)
        return _render_form(
            request,
            state,
            sections,
            section,
            given,
            errors,
            version=stale.current_version,
            stale=lines or [""],
        )
    except AuditRefused as refused:  # nothing could be saved
        for problem in refused.problems:
            _add_problem(errors, problem, audit, sections, section, given, row_of)
        return _refused(request, audit, sections, section, given, errors, autosave=autosave, saved=False)
    audit = saved.audit
    for problem in saved.refused:
        _add_problem(errors, problem, audit, sections, section, given, row_of)
    if errors:
        return _refused(request, audit, sections, section, given, errors, autosave=autosave, saved=True)
    if autosave:
        return JsonResponse({"version": audit.response.version, "saved_at": clock_time(audit.updated_at)})
    return _after_save(request, audit, sections, section, given)


def _after_save(
    request: HttpRequest, audit: Audit, sections: list[Section], section: Section, given: SectionInput
) -> HttpResponse:
    here = reverse("audits:section", args=[audit.pk, section.ref])
    blank = sum(1 for row in given.actions if row.blank)
    if "add_action" in request.POST:
        new_row = len([row for row in given.actions if not row.blank]) + blank
        return redirect(f"{here}?blank={min(blank + 1, MAX_BLANK_ROWS)}#{action_field_id(new_row, 'what')}")
    if "remove_action" in request.POST:
        return redirect(f"{here}?blank={blank}#actions" if blank else f"{here}#actions")
    if "continue" in request.POST:
        index = [s.ref for s in sections].index(section.ref)
        if index + 1 < len(sections):
            return redirect("audits:section", audit_id=audit.pk, section_ref=sections[index + 1].ref)
        return redirect("audits:check", audit_id=audit.pk)
    messages.success(request, f"{section.title} saved")
    return redirect("audits:overview", audit_id=audit.pk)


def _refused(
    request: HttpRequest,
    audit: Audit,
    sections: list[Section],
    section: Section,
    given: SectionInput,
    errors: FieldErrors,
    *,
    autosave: bool,
    saved: bool,
) -> HttpResponse:
    """The form again with what was refused and why, keeping what was typed; `saved` when the rest
    was saved (the autosave's answer then carries the new version, so the form follows it)."""
    problems = [{"message": item["text"]} for item in errors.summary]
    if autosave:
        body: dict[str, Any] = {"problems": problems}
        if saved:
            body |= {"version": audit.response.version, "saved_at": clock_time(audit.updated_at)}
        return JsonResponse(body, status=422)
    state = audit_state(audit=audit)
    return _render_form(
        request, state, sections, section, given, errors, version=audit.response.version, saved_in_part=saved
    )


def _add_problem(
    errors: FieldErrors,
    problem: Problem,
    audit: Audit,
    sections: list[Section],
    section: Section,
    given: SectionInput,
    row_of: dict[int, int],
) -> None:
    """Show a refusal of the service against the field it is about, or link to where it is."""
    ref, field, message = problem.ref, problem.field, problem.message
    own = {question.ref: question for question in section.questions.all()}
    if ref in own:
        field_id = question_field_id(ref)
        question = own[ref]
        answer = given.answers.get(ref, AnswerInput())
        if question.na_requires_reason and answer.value == NA and not answer.reason:
            errors.add(f"{field_id}-reason", message)
        else:
            errors.add(field_id, message, href=f"#{field_id}-day" if question.answer_type == "date" else None)
    elif ref == section.ref and field in ("grade", "comments"):
        errors.add(field, message)
    elif field == "safeguarding_concerns" and section.actions_table:
        errors.add("safeguarding_concerns", message)
    elif ref.startswith("actions[") and section.actions_table:
        index = _int(ref[len("actions[") : -1])
        row = row_of.get(index, index)
        name = field if field in ACTION_FIELDS else "what"
        field_id = action_field_id(row, name)
        errors.add(field_id, message, href=f"#{field_id}-day" if name == "due_date" else None)
    else:
        errors.add_summary_only(message, problem_href(problem, audit.pk, sections))


def input_from_state(section: Section, state: AuditState, *, blank_rows: int = 0) -> SectionInput:
    """The form as stored: what the page shows when it is opened."""
    answers = answers_from_stored(section.questions.all(), state.answers)
    row = state.sections.get(section.ref)
    rows = []
    if section.actions_table:
        rows = [
            ActionRow(
                id=str(action.pk),
                what=action.what,
                owner_id=action.owner.staff_id if action.owner else "",
                due_date=DateParts.from_date(action.due_date),
                impact=action.impact,
                due_reason=action.due_reason,
            )
            for action in state.actions
        ]
        rows += [ActionRow() for _ in range(blank_rows if rows else max(blank_rows, 1))]
    concerns = state.audit.safeguarding_concerns
    return SectionInput(
        answers=answers,
        comments=row.comments if row else "",
        grade=row.grade if row else "",
        actions=rows,
        has_actions=bool(section.actions_table),
        safeguarding=("" if concerns is None else "yes" if concerns else "no")
        if section.actions_table
        else "",
    )


def _page_context(state: AuditState, sections: list[Section], section: Section) -> dict[str, Any]:
    audit = state.audit
    index = [s.ref for s in sections].index(section.ref)
    return {
        "summary": audit_summary(audit=audit, audit_type=audit_type_get(token=audit.audit_type)),
        "section": section,
        "number": index + 1,
        "count": len(sections),
        "descriptors": section_descriptors(section=section, grade_scale=audit.template_version.grade_scale),
        "overview_href": reverse("audits:overview", args=[audit.pk]),
    }


def _render_form(
    request: HttpRequest,
    state: AuditState,
    sections: list[Section],
    section: Section,
    given: SectionInput,
    errors: FieldErrors,
    *,
    version: int | None,
    stale: list[str] | None = None,
    saved_in_part: bool = False,
) -> HttpResponse:
    audit = state.audit
    scale = audit.template_version.grade_scale
    questions = list(section.questions.all())
    actions = None
    safeguarding = None
    rule = state.due_rule
    if section.actions_table:
        default_owner = audit.practice_manager.staff_id if audit.practice_manager else ""
        if any_inadequate(state.section_grades, audit.response.overall_grade):
            safeguarding = safeguarding_component(given.safeguarding, errors)
            if given.safeguarding_concerns is not None:  # as the page was sent, for its hints
                rule = audit_due_rule(
                    audit=audit,
                    section_grades=state.section_grades,
                    overall_grade=audit.response.overall_grade,
                    concerns=given.safeguarding_concerns,
                )
        actions = action_rows(
            given.actions, errors, action_owner_choices(audit=audit), default_owner, rule=rule
        )
    context = {
        **_page_context(state, sections, section),
        "errors": errors.summary,
        "saved_in_part": saved_in_part,
        "stale": stale,
        "version": version,
        "questions": section_components(
            questions=questions, given=given.answers, errors=errors, template=state.template
        ),
        "comments": comments_component(section.comments_label, given.comments, errors),
        "grade": (
            grade_component(
                section.title, scale, given.grade, errors, state.best_grade_allowed.get(section.ref, "")
            )
            if section.graded
            else None
        ),
        "actions_table": section.actions_table,
        "safeguarding": safeguarding,
        "due_rule": rule.explanation if rule is not None and section.actions_table else "",
        "action_rows": actions,
        "action_count": len(given.actions),
        "is_last": section.ref == sections[-1].ref,
    }
    status = 409 if stale else (422 if errors else 200)
    return render(
        request, "audits/section_form.html", context, status=status if request.method == "POST" else 200
    )


def _render_read_only(
    request: HttpRequest, state: AuditState, sections: list[Section], section: Section
) -> HttpResponse:
    context = {
        **_page_context(state, sections, section),
        "view": section_view(section, state),
        "actions": action_views(state.actions) if section.actions_table else [],
        "read_only": state.read_only,
    }
    return render(request, "audits/section_read_only.html", context)


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "") or (
        request.headers.get("X-Requested-With") == "XMLHttpRequest"
    )


def _int(value: Any) -> int:
    try:
        return max(0, int(value))
    except (TypeError, ValueError):
        return 0
