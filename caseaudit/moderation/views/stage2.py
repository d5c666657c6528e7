"""Pages of Stage 2 moderation (MOD-1, MOD-2, ESC-2, REC-1): the queue, assigning a moderator (one
by one, or the month's queue balanced), taking an audit, the Stage 2 form with its discussion's
invite, completion, and the QA inbox.

An audit the person may not see is a plain 404 with the denial logged (SEC-1); one they may see but
may not do this to is 403. Every view of an audit's page is logged (SEC-2). The pages work without
JavaScript."""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from caseaudit.accounts.roles import Role
from caseaudit.accounts.selectors import user_has_role, user_staff
from caseaudit.audits.deadlines import DueRule
from caseaudit.audits.forms import ActionRow, action_field_id
from caseaudit.audits.forms_discussions import DiscussionForm, meeting_initial
from caseaudit.audits.machines import MODERATION
from caseaudit.audits.models import Audit
from caseaudit.audits.presenters.actions import action_rows
from caseaudit.audits.selectors import audit_due_rule, audit_get
from caseaudit.audits.services_grades import grade_refs
from caseaudit.audits.ui_selectors import action_owner_choices
from caseaudit.audits.validation import ACTION_FIELDS
from caseaudit.audits.views.pages import log_view
from caseaudit.core.calendar import long_date, month_label
from caseaudit.core.denials import denied
from caseaudit.core.forms import date_parts_input, form_error_summary, refusal_on_form
from caseaudit.core.problems import Problem, Refused
from caseaudit.moderation.forms_stage2 import AssignForm, BalanceForm, Stage2Input
from caseaudit.moderation.models import Moderation
from caseaudit.moderation.presenters.stage2 import (
    agree_field_id,
    grade_field_id,
    grade_inputs,
    grade_row_views,
    moderation_view,
    pagination,
    queue_rows,
    reason_field_id,
    type_names,
)
from caseaudit.moderation.selectors import moderation_of
from caseaudit.moderation.selectors_stage2 import (
    ASSIGNED,
    MINE,
    UNASSIGNED,
    moderation_grades,
    moderation_queue,
    moderator_choices,
    moderator_get,
    qa_inbox,
    qa_inbox_item_get,
    queue_months,
)
from caseaudit.moderation.services.balance import moderation_balance_confirm, moderation_balance_preview
from caseaudit.moderation.services.stage2 import (
    FORM_SECTIONS,
    ModerationRefused,
    moderation_action_remove,
    moderation_actions,
    moderation_assign,
    moderation_complete,
    moderation_completion_problems,
    moderation_meeting_arrange,
    moderation_meeting_cancel,
    moderation_save,
    moderation_take,
    qa_inbox_item_read,
)
from caseaudit.questionnaires.clients import request_client
from caseaudit.questionnaires.errors import StaleVersion
from caseaudit.questionnaires.forms import FieldErrors, answers_from_stored, posted_version, question_field_id
from caseaudit.questionnaires.presenters import section_components
from caseaudit.questionnaires.selectors import response_answers
from caseaudit.templates_library.models import Question, Section
from caseaudit.templates_library.selectors import template_sections, template_spec

PAGE_SIZE = 50
ACTIONS_SECTION = "further_actions"


def _audit(request: HttpRequest, audit_id: int, perm: str) -> Audit:
    """The audit, when the person may see it (else 404) and has `perm` on it (else 403); both
    denials logged."""
    audit = audit_get(user=request.user, audit_id=audit_id)
    if audit is None:
        raise denied(request, object_type="audit", object_ref=str(audit_id))
    if not request.user.has_perm(perm, audit):
        raise denied(request, object_type="audit", object_ref=str(audit_id), forbidden=True, action=perm)
    return audit


def _moderation(audit: Audit) -> Moderation:
    moderation = moderation_of(audit=audit)
    if moderation is None:
        raise ModerationRefused([Problem("audit", "status", "This audit has no Stage 2 moderation.")])
    return moderation


def _refused_page(request: HttpRequest, audit: Audit, refused: Refused) -> HttpResponse:
    return render(
        request,
        "moderation/stage2/refused.html",
        {"audit_id": audit.pk, "case_id": audit.case.case_id, "problems": refused.problems},
        status=refused.status,
    )


def _month(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(f"{value}-01") if value else None
    except ValueError:
        return None


# --- the queue (MOD-2) ------------------------------------------------------------------------


@login_required
def queue_page(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("moderation.view_queue"):
        raise denied(request, object_type="moderation_queue", object_ref="all")
    month = _month(request.GET.get("month", ""))
    assigned = request.GET.get("assigned", "")
    assigned = assigned if assigned in (ASSIGNED, UNASSIGNED, MINE) else ""
    audits = moderation_queue(user=request.user, month=month, assigned=assigned)
    page = Paginator(audits, PAGE_SIZE).get_page(request.GET.get("page"))
    query = {
        key: value
        for key, value in (("month", request.GET.get("month", "")), ("assigned", assigned))
        if value
    }
    months = queue_months(user=request.user)
    return render(
        request,
        "moderation/stage2/queue.html",
        {
            "rows": queue_rows(
                audits=list(page.object_list),
                staff=user_staff(request.user),
                may_take=user_has_role(request.user, Role.MODERATOR),
            ),
            "page": page,
            "pagination": pagination(page, query, "Pages of the moderation queue"),
            "filtered": bool(query),
            "month_items": [{"value": "", "text": "Any month", "selected": month is None}]
            + [{"value": f"{m:%Y-%m}", "text": month_label(m), "selected": m == month} for m in months],
            "assigned_items": [
                {"value": value, "text": text, "selected": value == assigned}
                for value, text in (
                    ("", "Assigned or not"),
                    (UNASSIGNED, "Not assigned"),
                    (ASSIGNED, "Assigned"),
                    (MINE, "Assigned to me"),
                )
            ],
            "can_assign": request.user.has_perm("moderation.assign_moderator"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def balance_page(request: HttpRequest) -> HttpResponse:
    """QA share out a month's unassigned queue: the plan first, then confirm it (MOD-2)."""
    if not request.user.has_perm("moderation.assign_moderator"):
        raise denied(request, object_type="moderation_queue", object_ref="balance", forbidden=True)
    today = timezone.localdate().replace(day=1)
    months = sorted({*queue_months(user=request.user), today}, reverse=True)
    choices = [(f"{m:%Y-%m}", month_label(m)) for m in months]
    data = request.POST if request.method == "POST" else (request.GET if "month" in request.GET else None)
    form = BalanceForm(data, choices=choices, initial={"month": f"{today:%Y-%m}"})
    preview = None
    if data is not None and form.is_valid():
        month = _month(form.cleaned_data["month"])
        assert month is not None
        if request.method == "POST":
            try:
                plan = moderation_balance_confirm(
                    actor=request.user, month=month, fingerprint=form.cleaned_data["fingerprint"]
                )
            except Refused as refused:
                refusal_on_form(form, refused)
            else:
                left = f"; {len(plan.unassignable)} no moderator may take" if plan.unassignable else ""
                messages.success(
                    request,
                    f"{len(plan.assignments)} audits of {month_label(month)} assigned{left}. "
                    "Each moderator has been emailed.",
                )
                return redirect(reverse("moderation:queue") + f"?month={month:%Y-%m}")
        preview = moderation_balance_preview(user=request.user, month=month)
    return render(
        request,
        "moderation/stage2/balance.html",
        {"form": form, "errors": form_error_summary(form), "preview": _preview_view(preview)},
    )


def _preview_view(preview: Any) -> dict[str, Any] | None:
    if preview is None:
        return None
    plan = preview.plan
    audits = {audit.pk: audit for audit in preview.audits}
    names = {m.staff_pk: m for m in preview.moderators}
    given: dict[int, int] = {}
    for staff_pk in plan.assignments.values():
        given[staff_pk] = given.get(staff_pk, 0) + 1
    return {
        "month": f"{preview.month:%Y-%m}",
        "month_label": month_label(preview.month),
        "fingerprint": plan.fingerprint(),
        "count": len(preview.audits),
        "moderators": [
            {
                "name": m.name,
                "before": m.load,
                "given": given.get(m.staff_pk, 0),
                "after": plan.loads_after[m.staff_pk],
            }
            for m in preview.moderators
        ],
        "assignments": [
            {
                "case_id": audits[a].case.case_id,
                "moderator": names[s].name,
                "due": long_date(audits[a].moderation.due_date),
            }
            for a, s in sorted(plan.assignments.items(), key=lambda item: audits[item[0]].case.case_id)
        ],
        "unassignable": [audits[a].case.case_id for a in plan.unassignable],
    }


# --- who moderates it -------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def assign_page(request: HttpRequest, audit_id: int) -> HttpResponse:
    audit = _audit(request, audit_id, "moderation.assign_moderator")
    moderation = _moderation(audit)
    people = moderator_choices(audit=audit)
    choices = [
        (person.staff_id, person.name + (f" (may not: {' and '.join(reasons)})" if reasons else ""))
        for person, reasons in people
    ]
    initial = {"moderator": moderation.moderator.staff_id if moderation.moderator else ""}
    form = AssignForm(request.POST if request.method == "POST" else None, choices=choices, initial=initial)
    if request.method == "POST" and form.is_valid():
        moderator = moderator_get(staff_id=form.cleaned_data["moderator"])
        assert moderator is not None
        try:
            moderation_assign(actor=request.user, audit=audit, moderator=moderator)
        except Refused as refused:
            refusal_on_form(form, refused)
        else:
            messages.success(
                request, f"{moderator.name} will moderate case {audit.case.case_id}: they have been emailed."
            )
            return redirect(request.POST.get("next") or reverse("moderation:queue"))
    else:
        log_view(request, audit, action="assign_moderator")
    return render(
        request,
        "moderation/stage2/assign.html",
        {
            "audit_id": audit.pk,
            "case_id": audit.case.case_id,
            "team_name": audit.case.team.name,
            "due": long_date(moderation.due_date),
            "form": form,
            "errors": form_error_summary(form),
            "next": request.GET.get("next", "") or request.POST.get("next", ""),
        },
        status=422 if form.errors else 200,
    )


@login_required
@require_POST
def take_view(request: HttpRequest, audit_id: int) -> HttpResponse:
    audit = _audit(request, audit_id, "moderation.take_moderation")
    try:
        moderation_take(actor=request.user, audit=audit)
    except Refused as refused:
        return _refused_page(request, audit, refused)
    messages.success(request, f"You are moderating case {audit.case.case_id}.")
    return redirect("moderation:moderate", audit_id=audit.pk)


# --- the Stage 2 form (MOD-1) -----------------------------------------------------------------


@dataclass
class FormParts:
    """What the Stage 2 form is made of, read once per request."""

    audit: Audit
    moderation: Moderation
    sections: list[Section]
    questions: list[Question]
    actions_section: Section | None
    refs: list[str]
    row_of: dict[int, int] = field(default_factory=dict)


def _parts(audit: Audit, moderation: Moderation) -> FormParts:
    sections = list(template_sections(template_version=moderation.response.template_version))
    shown = [section for section in sections if section.ref in FORM_SECTIONS]
    return FormParts(
        audit=audit,
        moderation=moderation,
        sections=shown,
        questions=[question for section in shown for question in section.questions.all()],
        actions_section=next((s for s in sections if s.ref == ACTIONS_SECTION and s.actions_table), None),
        refs=grade_refs(template_spec(template_version=audit.template_version)),
    )


def _add_problem(errors: FieldErrors, problem: Problem, parts: FormParts) -> None:
    """A refusal of the service against the field it is about (the summary links to it)."""
    questions = {question.ref: question for question in parts.questions}
    if problem.ref in questions:
        field_id = question_field_id(problem.ref)
        is_date = questions[problem.ref].answer_type == "date"
        errors.add(field_id, problem.message, href=f"#{field_id}-day" if is_date else None)
    elif problem.ref in parts.refs:
        if problem.field == "agree":
            errors.add(agree_field_id(problem.ref), problem.message)
        elif problem.field in ("reason", "grade_reasons"):
            errors.add(reason_field_id(problem.ref), problem.message)
        else:
            errors.add(grade_field_id(problem.ref), problem.message)
    elif problem.ref.startswith("actions["):
        index = int(problem.ref[len("actions[") : -1] or 0)
        row = parts.row_of.get(index, index)
        name = problem.field if problem.field in ACTION_FIELDS else "what"
        field_id = action_field_id(row, name)
        errors.add(field_id, problem.message, href=f"#{field_id}-day" if name == "due_date" else None)
    else:
        errors.add_summary_only(problem.message)


def _stored_input(parts: FormParts, blank_rows: int = 1) -> Stage2Input:
    return Stage2Input(
        answers=answers_from_stored(parts.questions, response_answers(response=parts.moderation.response)),
        grades=grade_inputs(moderation_grades(moderation=parts.moderation)),
        actions=[ActionRow() for _ in range(max(1, min(blank_rows, 10)))],
    )


def _render_form(
    request: HttpRequest,
    parts: FormParts,
    given: Stage2Input,
    errors: FieldErrors,
    *,
    version: int | None,
    status: int = 200,
    stale: bool = False,
    saved_in_part: bool = False,
) -> HttpResponse:
    audit, moderation = parts.audit, parts.moderation
    stage2 = template_spec(template_version=moderation.response.template_version)
    owners = action_owner_choices(audit=audit)
    default_owner = audit.practice_manager.staff_id if audit.practice_manager else ""
    by_section = [
        (
            section,
            section_components(
                questions=list(section.questions.all()), given=given.answers, errors=errors, template=stage2
            ),
        )
        for section in parts.sections
    ]
    return render(
        request,
        "moderation/stage2/form.html",
        {
            "audit_id": audit.pk,
            "case_id": audit.case.case_id,
            "team_name": audit.case.team.name,
            "audit_type": type_names().get(audit.audit_type, audit.audit_type),
            "auditor": audit.auditor.name,
            "view": moderation_view(moderation, audit, with_record=False),
            "errors": errors.summary,
            "stale": stale,
            "saved_in_part": saved_in_part,
            "version": version,
            "sections": by_section,
            "grades": grade_row_views(audit=audit, given=given.grades, errors=errors),
            "actions_section": parts.actions_section,
            "added_actions": [
                {
                    "id": a.pk,
                    "what": a.what,
                    "owner": a.owner.name if a.owner else "",
                    "due": long_date(a.due_date),
                }
                for a in moderation_actions(moderation=moderation).select_related("owner")
            ],
            "action_rows": action_rows(
                given.actions, errors, owners, default_owner, rule=_stage2_rule(audit)
            ),
            "action_count": len(given.actions),
            "left": moderation_completion_problems(audit=audit, moderation=moderation)
            if status == 200
            else [],
        },
        status=status,
    )


def _save_posted(
    request: HttpRequest, parts: FormParts
) -> tuple[Stage2Input, FieldErrors, HttpResponse | None]:
    """Save what the form sent, keeping what is valid; (input, errors, the page to answer with
    instead, if any: a stale version, or a refusal of the whole save)."""
    given = Stage2Input.from_post(
        request.POST, questions=parts.questions, refs=parts.refs, actions_section=parts.actions_section
    )
    errors = FieldErrors()
    answers, actions, parts.row_of = given.payload(
        questions=parts.questions, actions_section=parts.actions_section, errors=errors
    )
    try:
        saved = moderation_save(
            actor=request.user,
            audit=parts.audit,
            version=posted_version(request.POST),
            answers=answers,
            grades=given.grades,
            actions=actions,
            client=request_client(request),
            partial=True,
        )
    except StaleVersion as stale:
        page = _render_form(
            request, parts, given, errors, version=stale.current_version, status=409, stale=True
        )
        return given, errors, page
    except Refused as refused:
        for problem in refused.problems:
            _add_problem(errors, problem, parts)
        page = _render_form(
            request, parts, given, errors, version=parts.moderation.response.version, status=422
        )
        return given, errors, page
    for problem in saved.refused:
        _add_problem(errors, problem, parts)
    parts.moderation = saved.moderation
    if errors:
        version = saved.moderation.response.version
        page = _render_form(request, parts, given, errors, version=version, status=422, saved_in_part=True)
        return given, errors, page
    return given, errors, None


@login_required
@require_http_methods(["GET", "POST"])
def moderate_page(request: HttpRequest, audit_id: int) -> HttpResponse:
    audit = _audit(request, audit_id, "moderation.moderate")
    moderation = _moderation(audit)
    if audit.status != MODERATION:
        messages.info(request, "The Stage 2 moderation of this audit is complete.")
        return redirect("audits:overview", audit_id=audit.pk)
    parts = _parts(audit, moderation)
    if request.method == "POST":
        given, _, page = _save_posted(request, parts)
        if page is not None:
            return page
        if "add_action" in request.POST:
            blank = sum(1 for row in given.actions if row.blank) + 1
            return redirect(reverse("moderation:moderate", args=[audit.pk]) + f"?blank={blank}#actions")
        messages.success(request, "Moderation saved")
        return redirect("moderation:moderate", audit_id=audit.pk)
    log_view(request, audit, action="moderate")
    blank = int(request.GET.get("blank", "1")) if request.GET.get("blank", "1").isdigit() else 1
    return _render_form(
        request, parts, _stored_input(parts, blank), FieldErrors(), version=moderation.response.version
    )


@login_required
@require_POST
def complete_view(request: HttpRequest, audit_id: int) -> HttpResponse:
    """Complete Stage 2, saving the form first when it is sent with it; refused (422) with every problem."""
    audit = _audit(request, audit_id, "moderation.moderate")
    try:
        moderation = _moderation(audit)
    except Refused as refused:
        return _refused_page(request, audit, refused)
    if audit.status != MODERATION:
        return _refused_page(
            request,
            audit,
            ModerationRefused(
                [Problem("audit", "status", "The Stage 2 moderation of this audit is complete.")]
            ),
        )
    parts = _parts(audit, moderation)
    given = _stored_input(parts)
    errors = FieldErrors()
    if "version" in request.POST:  # the form came with it: save it first
        given, errors, page = _save_posted(request, parts)
        if page is not None:
            return page
    try:
        moderation_complete(actor=request.user, audit=audit)
    except Refused as refused:
        for problem in refused.problems:
            _add_problem(errors, problem, parts)
        moderation.refresh_from_db()
        return _render_form(request, parts, given, errors, version=moderation.response.version, status=422)
    messages.success(
        request,
        "Stage 2 moderation completed: the audit is final. QA, the worker, their practice manager and "
        "group manager have been told.",
    )
    return redirect("audits:overview", audit_id=audit.pk)


@login_required
@require_POST
def action_remove_view(request: HttpRequest, audit_id: int) -> HttpResponse:
    audit = _audit(request, audit_id, "moderation.moderate")
    action_id = request.POST.get("action_id", "")
    try:
        moderation_action_remove(
            actor=request.user, audit=audit, action_id=int(action_id) if action_id.isdigit() else 0
        )
    except Refused as refused:
        return _refused_page(request, audit, refused)
    messages.success(request, "Action removed")
    return redirect(reverse("moderation:moderate", args=[audit.pk]) + "#actions")


# --- the discussion's invite ------------------------------------------------------------------


def _meeting_initial(moderation: Moderation) -> dict[str, Any]:
    return meeting_initial(
        starts_at=None if moderation.meeting_cancelled else moderation.meeting_starts_at,
        minutes=moderation.meeting_minutes,
        location=moderation.meeting_location,
        link=moderation.meeting_link,
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_page(request: HttpRequest, audit_id: int) -> HttpResponse:
    """Arrange, change or cancel the reflective discussion; everyone gets the invite."""
    audit = _audit(request, audit_id, "moderation.moderate")
    moderation = _moderation(audit)
    back = reverse("moderation:moderate", args=[audit.pk])
    if request.method == "POST" and request.POST.get("action") == "cancel":
        try:
            moderation_meeting_cancel(actor=request.user, audit=audit)
        except Refused as refused:
            messages.error(request, refused.problems[0].message)
        else:
            messages.success(request, "Discussion cancelled: everyone invited has been told")
        return redirect(back)
    form = DiscussionForm(
        request.POST if request.method == "POST" else None, initial=_meeting_initial(moderation)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            moderation_meeting_arrange(
                actor=request.user,
                audit=audit,
                starts_at=data["starts_at"],
                minutes=data["duration_minutes"],
                location=data.get("location", ""),
                link=data.get("online_link", ""),
            )
        except Refused as refused:
            refusal_on_form(form, refused)
        else:
            messages.success(request, "Discussion arranged: the invite is on its way to everyone taking part")
            return redirect(back)
    date_href = f"#date-{form.date_error_field()}" if form.is_bound else "#date-day"
    return render(
        request,
        "moderation/stage2/meeting.html",
        {
            "audit_id": audit.pk,
            "case_id": audit.case.case_id,
            "team_name": audit.case.team.name,
            "form": form,
            "date_input": date_parts_input(form),
            "minutes_suffix": {"text": "minutes"},
            "errors": form_error_summary(
                form, hrefs={"day": date_href, "month": date_href, "year": date_href}
            ),
            "view": moderation_view(moderation, audit, with_record=False),
            "arranged": moderation.meeting_starts_at is not None and not moderation.meeting_cancelled,
        },
        status=422 if form.errors else 200,
    )


# --- the QA inbox -----------------------------------------------------------------------------


@login_required
def qa_inbox_page(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("moderation.view_qa_inbox"):
        raise denied(request, object_type="qa_inbox", object_ref="all")
    page = Paginator(qa_inbox(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    items = [
        {
            "id": item.pk,
            "case_id": item.audit.case.case_id,
            "team": item.audit.case.team.name,
            "kind": item.get_kind_display(),
            "summary": item.summary,
            "received": long_date(timezone.localdate(item.created_at)),
            "audit_href": reverse("audits:overview", args=[item.audit_id]),
            "pdf_href": reverse("audits:document", args=[item.audit_id]) if item.document_id else "",
            "read": item.read_at is not None,
            "read_text": (
                f"Read {long_date(timezone.localdate(item.read_at))}"
                + (f" by {item.read_by}" if item.read_by else "")
                if item.read_at
                else ""
            ),
        }
        for item in page.object_list
    ]
    return render(
        request,
        "moderation/stage2/qa_inbox.html",
        {"items": items, "page": page, "pagination": pagination(page, {}, "Pages of the QA inbox")},
    )


@login_required
@require_POST
def qa_inbox_read(request: HttpRequest, item_id: int) -> HttpResponse:
    if not request.user.has_perm("moderation.view_qa_inbox"):
        raise denied(request, object_type="qa_inbox", object_ref=str(item_id))
    item = qa_inbox_item_get(user=request.user, item_id=item_id)
    if item is None:
        raise denied(request, object_type="qa_inbox", object_ref=str(item_id))
    qa_inbox_item_read(actor=request.user, item=item)
    messages.success(request, f"Marked as read: case {item.audit.case.case_id}")
    return redirect("moderation:qa-inbox")


urlpatterns: list[URLPattern] = [
    path("moderation/", queue_page, name="queue"),
    path("moderation/balance/", balance_page, name="balance"),
    path("qa-inbox/", qa_inbox_page, name="qa-inbox"),
    path("qa-inbox/<int:item_id>/read/", qa_inbox_read, name="qa-inbox-read"),
    path("audits/<int:audit_id>/moderation/", moderate_page, name="moderate"),
    path("audits/<int:audit_id>/moderation/assign/", assign_page, name="assign"),
    path("audits/<int:audit_id>/moderation/take/", take_view, name="take"),
    path("audits/<int:audit_id>/moderation/discussion/", meeting_page, name="meeting"),
    path("audits/<int:audit_id>/moderation/actions/remove/", action_remove_view, name="action-remove"),
    path("audits/<int:audit_id>/moderation/complete", complete_view, name="complete"),
]


def _stage2_rule(audit: Audit) -> DueRule | None:
    """ACT-2 for the actions Stage 2 adds: counted from today, under the audit's effective grades."""
    grades = dict(audit.effective_grades or {})
    return audit_due_rule(
        audit=audit,
        section_grades=grades,
        overall_grade=grades.get("overall", ""),
        concerns=audit.safeguarding_concerns,
        counts_from=timezone.localdate(),
    )
