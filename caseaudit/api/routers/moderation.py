"""Stage 2 moderation over the API (CONTRACTS §9, MOD-1, MOD-2), with the same services and
permissions as the pages.

An audit the caller may not see is 404 (and the denial logged); one they may see but may not do
this to is 403; an audit not in Stage 2, a conflicted moderator, or a grade a Stage 1 limiting
judgement forbids is 422 with every problem; an audit already taken by someone else, or a stale
`version`, is 409."""

import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema

from caseaudit.accounts.selectors import user_staff
from caseaudit.api.pagination import PageParams, page_of
from caseaudit.api.problems import ApiProblem, Problem, not_visible, refused_problem
from caseaudit.audits.models import Audit
from caseaudit.audits.selectors import audit_get
from caseaudit.audits.services_grades import OVERALL, grade_refs
from caseaudit.core.problems import Refused
from caseaudit.moderation.models import Moderation
from caseaudit.moderation.selectors import moderation_conflicts, moderation_of
from caseaudit.moderation.selectors_stage2 import (
    ASSIGNED,
    MINE,
    UNASSIGNED,
    moderation_grades,
    moderation_queue,
    moderator_get,
    stage2_grade_changes,
)
from caseaudit.moderation.services.stage2 import (
    GradeInput,
    moderation_assign,
    moderation_complete,
    moderation_save,
    moderation_take,
)
from caseaudit.questionnaires.clients import request_client
from caseaudit.questionnaires.errors import StaleVersion, VersionRequired
from caseaudit.questionnaires.selectors import response_answers
from caseaudit.templates_library.selectors import template_spec

router = Router(tags=["moderation"])

NOT_VISIBLE = "No audit with that ID, or you do not have access to it."
READ = {401: Problem, 403: Problem, 404: Problem}
WRITE = {400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem}


class AssignIn(Schema):
    moderator_id: str | None = Field(
        None,
        description="QA: the staff ID of the moderator to assign. Leave out to take it yourself.",
    )


class ModerationPatchIn(Schema):
    version: int | None = Field(None, description="The `version` you loaded (see GET).")
    answers: dict[str, Any] | None = Field(
        None, description="Answers to the Stage 2 form by question ref (discussion.*, difference.*)."
    )
    section_grades: dict[str, str] | None = Field(
        None,
        description="The grades you change, by section ref; a graded section left out is agreed. Send this "
        "(or `overall_grade`) to state every grade; leave both out to leave the grades as they are.",
    )
    overall_grade: str | None = Field(None, description="The overall grade, when you change it.")
    grade_reasons: dict[str, str] = Field(
        default_factory=dict, description='Why, for each grade changed: {section_ref or "overall": text}.'
    )
    actions: list[dict[str, Any]] | None = Field(
        None, description="Actions to add to the audit, with the same shape as Stage 1's."
    )


class ChangeOut(Schema):
    ref: str
    from_: str = Field(alias="from")
    to: str
    reason: str


class GradeOut(Schema):
    agree: bool
    grade: str
    reason: str


class ModerationOut(Schema):
    audit_id: int
    status: str
    moderator_id: str | None
    due_date: datetime.date | None
    completed_at: datetime.datetime | None
    changes: list[ChangeOut] = Field(description="Grades Stage 2 changed, once it is complete.")
    grades: dict[str, GradeOut] = Field(description="The moderator's view of each grade so far.")
    answers: dict[str, Any]
    version: int


class QueueItemOut(Schema):
    audit_id: int
    case_id: str
    team_id: str
    audit_type: str
    auditor_id: str
    moderator_id: str | None
    due_date: datetime.date | None
    overdue: bool
    allocation_month: datetime.date | None


class QueueOut(Schema):
    items: list[QueueItemOut]
    count: int


class QueueParams(PageParams):
    month: datetime.date | None = Field(None, description="The allocation month, as its first day.")
    assigned: str = Field("", description="assigned, unassigned or mine.")


def _audit(request: HttpRequest, audit_id: int) -> Audit:
    audit = audit_get(user=request.user, audit_id=audit_id)
    if audit is None:
        raise not_visible(request, object_type="audit", object_ref=audit_id, detail=NOT_VISIBLE)
    return audit


def _moderation(audit: Audit) -> Moderation:
    moderation = moderation_of(audit=audit)
    if moderation is None:
        raise ApiProblem(
            422,
            "This audit has no Stage 2 moderation.",
            errors=[{"ref": "audit", "field": "status", "message": "This audit has no Stage 2 moderation."}],
        )
    return moderation


def _out(audit: Audit) -> dict[str, Any]:
    moderation = _moderation(audit)
    audit.refresh_from_db(fields=["status", "effective_grades", "moderated_grades"])
    answers = {}
    for ref, answer in response_answers(response=moderation.response).items():
        answers[ref] = {"value": answer.value, "reason": answer.reason} if answer.reason else answer.value
    return {
        "audit_id": audit.pk,
        "status": audit.status,
        "moderator_id": moderation.moderator.staff_id if moderation.moderator else None,
        "due_date": moderation.due_date,
        "completed_at": moderation.completed_at,
        "changes": [
            {"ref": c.ref, "from": c.from_grade, "to": c.to_grade, "reason": c.reason}
            for c in stage2_grade_changes(audit=audit)
        ],
        "grades": {
            ref: {"agree": row.agree, "grade": row.grade, "reason": row.reason}
            for ref, row in moderation_grades(moderation=moderation).items()
        },
        "answers": answers,
        "version": moderation.response.version,
    }


def _refused(exc: Refused, detail: str) -> ApiProblem:
    return refused_problem(exc, detail)


def _stale(exc: StaleVersion) -> ApiProblem:
    if isinstance(exc, VersionRequired):
        detail = (
            "Another client saved this moderation since you may have loaded it, and you sent no `version`. "
            "Nothing was saved: load it again, then send your change with the `version` you loaded."
        )
        return ApiProblem(
            409, detail, errors=[{"ref": "moderation", "field": "version", "message": str(exc)}]
        )
    return ApiProblem(
        409,
        f"The moderation has changed since you loaded it (it is now version {exc.current_version}). "
        "Nothing was saved: load it again, then make your change.",
        extra={"current_version": exc.current_version, "changed": exc.changed},
    )


@router.get(
    "/audits/{audit_id}/moderation",
    response={200: ModerationOut, **READ},
    by_alias=True,
    summary="Get an audit's Stage 2 moderation",
    operation_id="moderation_get",
)
def moderation_get(request: HttpRequest, audit_id: Path[int]) -> dict[str, Any]:
    """Anyone who may see the audit. 404 when it has no Stage 2 moderation."""
    audit = _audit(request, audit_id)
    if moderation_of(audit=audit) is None:
        raise ApiProblem(404, "This audit has no Stage 2 moderation.")
    return _out(audit)


@router.post(
    "/audits/{audit_id}/moderation",
    response={200: ModerationOut, **WRITE},
    by_alias=True,
    summary="Assign the moderator (QA), or take the audit (a moderator)",
    operation_id="moderation_assign",
)
def moderation_post(
    request: HttpRequest, audit_id: Path[int], payload: AssignIn | None = None
) -> dict[str, Any]:
    """With `moderator_id`, QA assign (or change) the moderator; without a body, a moderator takes
    the audit. A conflicted moderator is refused with the reason (422, or 403 for a moderator
    taking one they may not moderate); one already taken by someone else is 409."""
    audit = _audit(request, audit_id)
    moderator_id = payload.moderator_id if payload is not None else None
    try:
        if moderator_id:
            if not request.user.has_perm("moderation.assign_moderator", audit):
                raise ApiProblem(403, "Only QA may assign a moderator.")
            moderator = moderator_get(staff_id=moderator_id)
            if moderator is None:
                message = f"There is no member of staff with the ID {moderator_id!r}."
                raise ApiProblem(
                    422, message, errors=[{"ref": "moderation", "field": "moderator_id", "message": message}]
                )
            moderation_assign(actor=request.user, audit=audit, moderator=moderator)
        else:
            if not request.user.has_perm("moderation.take_moderation", audit):
                staff = user_staff(request.user)
                reasons = moderation_conflicts(audit=audit, staff=staff) if staff is not None else []
                why = f": {' and '.join(reasons)}" if reasons else ""
                raise ApiProblem(403, f"You may not take this audit to moderate{why}.")
            moderation_take(actor=request.user, audit=audit)
    except Refused as exc:
        raise _refused(exc, "No moderator was assigned: see `errors`.") from exc
    return _out(audit)


def _grades(audit: Audit, payload: ModerationPatchIn) -> dict[str, GradeInput] | None:
    """`section_grades` given: changed from the effective grade; a graded section left out: agreed."""
    if payload.section_grades is None and payload.overall_grade is None:
        return None
    refs = grade_refs(template_spec(template_version=audit.template_version))
    changed = dict(payload.section_grades or {})
    if payload.overall_grade is not None:
        changed[OVERALL] = payload.overall_grade
    effective = audit.effective_grades or {}
    grades: dict[str, GradeInput] = {}
    for ref in [*refs, *(ref for ref in changed if ref not in refs)]:
        grade = (changed.get(ref) or "").strip().lower()
        if ref in changed and grade != effective.get(ref):
            grades[ref] = GradeInput(False, grade, payload.grade_reasons.get(ref, ""))
        else:
            grades[ref] = GradeInput(True)
    return grades


@router.patch(
    "/audits/{audit_id}/moderation",
    response={200: ModerationOut, **WRITE},
    by_alias=True,
    summary="Save the Stage 2 form",
    operation_id="moderation_update",
)
def moderation_patch(request: HttpRequest, audit_id: Path[int], payload: ModerationPatchIn) -> dict[str, Any]:
    """The assigned moderator. One request, one outcome: every problem refuses the whole save
    (422), a grade a Stage 1 limiting judgement forbids with the same message as Stage 1's. Send the
    `version` you loaded; a stale one is 409 and nothing is saved."""
    audit = _audit(request, audit_id)
    if not request.user.has_perm("moderation.moderate", audit):
        raise ApiProblem(403, "Only the assigned moderator may record the moderation.")
    try:
        moderation_save(
            actor=request.user,
            audit=audit,
            version=payload.version,
            answers=payload.answers,
            grades=_grades(audit, payload),
            actions=payload.actions,
            client=request_client(request),
        )
    except StaleVersion as exc:
        raise _stale(exc) from exc
    except Refused as exc:
        raise _refused(exc, "Nothing was saved: see `errors`.") from exc
    return _out(audit)


@router.post(
    "/audits/{audit_id}/moderation/complete",
    response={200: ModerationOut, **WRITE},
    by_alias=True,
    summary="Complete Stage 2 moderation",
    operation_id="moderation_complete",
)
def moderation_complete_post(request: HttpRequest, audit_id: Path[int]) -> dict[str, Any]:
    """The assigned moderator. Refused (422) with every problem until the discussion's date, who
    took part, its record, whether we made a difference and every grade (agreed, or changed with a
    reason) are given; then the audit is final, the moderated PDF stored, QA and the worker's line told."""
    audit = _audit(request, audit_id)
    if not request.user.has_perm("moderation.moderate", audit):
        raise ApiProblem(403, "Only the assigned moderator may complete the moderation.")
    try:
        moderation_complete(actor=request.user, audit=audit)
    except Refused as exc:
        raise _refused(exc, "The moderation cannot be completed yet: see `errors`.") from exc
    return _out(audit)


@router.get(
    "/moderation-queue",
    response={200: QueueOut, **READ},
    summary="The moderation queue",
    operation_id="moderation_queue",
)
def moderation_queue_get(request: HttpRequest, params: Query[QueueParams]) -> dict[str, Any]:
    """Moderators and QA: the audits in Stage 2 they may see, soonest due first, with due dates."""
    if not request.user.has_perm("moderation.view_queue"):
        raise ApiProblem(403, "The moderation queue is for moderators and QA.")
    assigned = params.assigned if params.assigned in (ASSIGNED, UNASSIGNED, MINE) else ""
    month = params.month.replace(day=1) if params.month else None
    rows = moderation_queue(user=request.user, month=month, assigned=assigned)
    today = timezone.localdate()

    def present(audit: Audit) -> dict[str, Any]:
        moderation = audit.moderation
        return {
            "audit_id": audit.pk,
            "case_id": audit.case.case_id,
            "team_id": audit.case.team.team_id,
            "audit_type": audit.audit_type,
            "auditor_id": audit.auditor.staff_id,
            "moderator_id": moderation.moderator.staff_id if moderation.moderator else None,
            "due_date": moderation.due_date,
            "overdue": moderation.due_date is not None and moderation.due_date < today,
            "allocation_month": audit.allocation_month,
        }

    return page_of(rows, params=params, present=present)
