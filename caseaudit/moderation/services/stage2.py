"""Writes of Stage 2 moderation (MOD-1, MOD-2, ESC-2, REC-1; CONTRACTS §9).

A moderator is assigned by QA, or takes an audit from the queue; either is atomic under the
audit's and the Moderation row's locks, so two moderators taking the same audit at once leave one
moderator (the second is told who took it: 409). The assigned moderator records the reflective
discussion (answers to the Stage 2 template, through the questionnaire engine), agrees or changes
each grade of the audit with a reason (ModerationGrade rows, checked against the Stage 1 limiting
judgements at save: audits.services_grades), may add actions, arranges the discussion (a calendar
invite) and completes: the grades are applied with `audit_grades_change`, the audit becomes final,
the moderated PDF is stored, QA get a copy in their inbox and the worker, their practice manager
and group manager a case audit alert.

Every write: one transaction, the audit locked (`audit_lock`), its status checked (422), an
audit-history row, mail through the outbox. Permission checks are the callers' (rules.py)."""

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from caseaudit.accounts.roles import Role
from caseaudit.accounts.selectors import user_staff
from caseaudit.audits.content import AuditChanges, content_check
from caseaudit.audits.documents import audit_document_render
from caseaudit.audits.machines import FINAL, MODERATION
from caseaudit.audits.models import Audit, AuditAction, AuditDocument
from caseaudit.audits.services_discussions import discussion_problems
from caseaudit.audits.services_grades import OVERALL, audit_grades_change, grade_refs, later_grade_problems
from caseaudit.core.calendar import long_datetime
from caseaudit.core.mail_text import display_name
from caseaudit.core.problems import Problem, Refused
from caseaudit.core.services import audit_event_record, user_or_none
from caseaudit.moderation.ics_stage2 import meeting_mail_enqueue
from caseaudit.moderation.mail_stage2 import (
    case_audit_alert_mail_enqueue,
    moderation_completed_qa_mail_enqueue,
    moderator_assigned_mail_enqueue,
)
from caseaudit.moderation.models import AuditAlert, Moderation, ModerationGrade, QaInboxItem
from caseaudit.moderation.selectors import moderation_conflicts, moderation_settings_get
from caseaudit.moderation.services.lifecycle import audit_fire, audit_lock, require_status
from caseaudit.org.models import Staff
from caseaudit.org.selectors import nearest_above_with_role
from caseaudit.questionnaires.content import ResponseChanges, response_apply, response_check
from caseaudit.questionnaires.selectors import response_answers, response_sections
from caseaudit.questionnaires.services import SaveLog, response_lock, response_version_raise
from caseaudit.questionnaires.validation import is_unanswered
from caseaudit.templates_library import grading
from caseaudit.templates_library.selectors import template_spec
from caseaudit.templates_library.spec import TemplateSpec

# The sections of the Stage 2 template the moderator answers with the engine. `grades` is kept as
# ModerationGrade rows (one per graded section of the audit), `further_actions` as the audit's
# actions, and `practitioner_feedback` is the worker's own step (MOD-3), not the moderator's.
FORM_SECTIONS = ("discussion", "difference")
REQUIRED_QUESTIONS = (
    "discussion.date",
    "discussion.attendees",
    "discussion.record",
    "difference.made_a_difference",
)
SAVE_ACTION = "moderation.saved"
MAX_MEETING_MINUTES = 60  # MOD-1: a reflective discussion of one hour at most
MAX_ROUNDS = 4


class ModerationRefused(Refused):
    """Refused by a rule (422): every problem."""


class ModerationTaken(ModerationRefused):
    """Someone else has the audit already (409)."""

    status = 409


@dataclass(frozen=True)
class GradeInput:
    """The moderator's view of one grade: agreed (True), changed (False, with the grade and a
    reason), or not yet answered (None)."""

    agree: bool | None
    grade: str = ""
    reason: str = ""


@dataclass(frozen=True)
class ModerationSaved:
    moderation: Moderation
    refused: list[Problem] = field(default_factory=list)


def grade_title(template: TemplateSpec, ref: str) -> str:
    if ref == OVERALL:
        return "the audit overall"
    section = template.section(ref)
    return section.title if section is not None else ref


def _lock(audit: Audit) -> Moderation:
    """The audit's Moderation under a row lock (the audit's row is locked first, by the caller)."""
    moderation = (
        Moderation.objects.select_for_update(of=("self",))
        .select_related("moderator", "response__template_version")
        .filter(audit=audit)
        .first()
    )
    if moderation is None:
        raise ModerationRefused([Problem("audit", "status", "This audit has no Stage 2 moderation.")])
    return moderation


def _refuse(field_name: str | None, message: str, code: str = "") -> ModerationRefused:
    return ModerationRefused([Problem("moderation", field_name, message, code)])


# --- who moderates it (MOD-2) -----------------------------------------------------------------


def moderator_problems(*, audit: Audit, moderator: Staff) -> list[Problem]:
    """Why `moderator` may not moderate `audit`: not an active moderator, or conflicted (CONTRACTS §9)."""
    if not moderator.is_active:
        return [Problem("moderation", "moderator_id", f"{moderator.name} has left and cannot moderate.")]
    if not moderator.roles.filter(role=Role.MODERATOR).exists():
        return [Problem("moderation", "moderator_id", f"{moderator.name} is not a moderator.")]
    reasons = moderation_conflicts(audit=audit, staff=moderator)
    if reasons:
        return [
            Problem(
                "moderation",
                "moderator_id",
                f"{moderator.name} may not moderate this audit: {' and '.join(reasons)}.",
                "moderator_conflicted",
            )
        ]
    return []


def _assign(*, actor: Any, audit: Audit, moderation: Moderation, moderator: Staff, taken: bool) -> Moderation:
    before = moderation.moderator.staff_id if moderation.moderator is not None else None
    moderation.moderator = moderator
    moderation.assigned_at = timezone.now()
    moderation.assigned_by = user_or_none(actor)
    moderation.save(update_fields=["moderator", "assigned_at", "assigned_by"])
    audit_event_record(
        actor=actor,
        action="moderation.taken" if taken else "moderation.assigned",
        object_type="audit",
        object_ref=str(audit.pk),
        summary=f"Stage 2 moderation of audit {audit.pk} "
        f"{'taken by' if taken else 'assigned to'} {moderator.name}",
        changes={"moderator": [before, moderator.staff_id]},
    )
    moderator_assigned_mail_enqueue(
        audit=audit,
        moderator=moderator,
        due=moderation.due_date,
        assigned_by=display_name(actor),
        taken=taken,
    )
    return moderation


def moderation_assign(*, actor: Any, audit: Audit, moderator: Staff) -> Moderation:
    """QA assign (or reassign) the audit's moderator; a conflicted one is refused with the reason."""
    with transaction.atomic():
        audit_lock(audit)
        require_status(audit, MODERATION, doing="assign a moderator")
        moderation = _lock(audit)
        if moderation.moderator_id == moderator.pk:
            return moderation
        problems = moderator_problems(audit=audit, moderator=moderator)
        if problems:
            raise ModerationRefused(problems)
        return _assign(actor=actor, audit=audit, moderation=moderation, moderator=moderator, taken=False)


def moderation_take(*, actor: Any, audit: Audit) -> Moderation:
    """A moderator takes an unassigned audit from the queue. Whoever comes second is refused
    (409), named the one who took it: the audit's row lock makes them wait for the first."""
    staff = user_staff(actor)
    if staff is None:
        raise _refuse("moderator_id", "Only a moderator can take an audit to moderate.")
    with transaction.atomic():
        audit_lock(audit)
        require_status(audit, MODERATION, doing="take this audit")
        moderation = _lock(audit)
        if moderation.moderator_id == staff.pk:
            return moderation
        if moderation.moderator is not None:
            raise ModerationTaken(
                [
                    Problem(
                        "moderation",
                        "moderator_id",
                        f"This audit has already been taken by {moderation.moderator.name}.",
                        "already_taken",
                    )
                ]
            )
        problems = moderator_problems(audit=audit, moderator=staff)
        if problems:
            raise ModerationRefused(problems)
        return _assign(actor=actor, audit=audit, moderation=moderation, moderator=staff, taken=True)


# --- the Stage 2 form (MOD-1) -----------------------------------------------------------------


def _answer_problems(answers: Mapping[str, Any]) -> list[Problem]:
    return [
        Problem(ref, "answer", f"There is no question {ref!r} on the Stage 2 form.")
        for ref in answers
        if ref.split(".")[0] not in FORM_SECTIONS
    ]


def _grade_problems(audit: Audit, refs: list[str], grades: Mapping[str, GradeInput]) -> list[Problem]:
    """What refuses a grade at save: an unknown ref, a grade outside the scale or one a Stage 1
    limiting judgement forbids (the same message as Stage 1's). A missing reason is asked for on
    completion, not here, so the rest of the form can be saved as it goes."""
    problems = []
    for ref, given in grades.items():
        if ref not in refs:
            problems.append(
                Problem(ref, "section_grades", f"There is no graded section {ref!r} in this audit.")
            )
            continue
        if given.agree is False and given.grade.strip():
            problems += [
                problem
                for problem in later_grade_problems(
                    audit=audit, grades={ref: given.grade}, reasons={ref: given.reason}
                )
                if problem.code != "grade_reason_missing"
            ]
    return problems


def _action_problems(audit: Audit, actions: list[Any]) -> tuple[list[Problem], Any]:
    """Stage 1's own checks of actions (audits.content), on actions to add: (problems, the check).
    Their deadlines (ACT-2) count from the day they are added, under the audit's effective grades."""
    check = content_check(
        audit=audit,
        template=template_spec(template_version=audit.template_version),
        sections=response_sections(response=audit.response),
        changes=AuditChanges(response=ResponseChanges(), actions=actions),
        counts_from=timezone.localdate(),
        section_grades=dict(audit.effective_grades or {}),
    )
    problems = [p for p in check.problems if p.ref.startswith("actions")]
    for index, item in enumerate(actions):
        if isinstance(item, dict) and item.get("id") is not None:
            problems.append(
                Problem(
                    f"actions[{index}]",
                    "id",
                    f"Action {index + 1}: Stage 2 adds actions; it cannot change the audit's own.",
                )
            )
    return problems, check


def moderation_save(
    *,
    actor: Any,
    audit: Audit,
    version: int | None = None,
    answers: Mapping[str, Any] | None = None,
    grades: Mapping[str, GradeInput] | None = None,
    actions: list[Any] | None = None,
    client: str | None = None,
    partial: bool = False,
) -> ModerationSaved:
    """Save part or all of the moderation: answers of the Stage 2 form (what is not sent is kept),
    the moderator's view of grades (each ref sent replaces its row; agree None clears it), and
    actions to add to the audit. Refused whole (ModerationRefused, every problem) unless
    `partial`, which saves all but what is refused and returns the refusals (a person's form: no
    lost input). StaleVersion when `version` is not the current one (CONTRACTS §5)."""
    answers = dict(answers or {})
    grades = dict(grades or {})
    with transaction.atomic():
        audit_lock(audit)
        require_status(audit, MODERATION, doing="change the moderation")
        moderation = _lock(audit)
        response = moderation.response
        log = SaveLog(object_type="audit", object_ref=str(audit.pk), action=SAVE_ACTION)
        response_lock(response=response, version=version, client=client, log=log)
        template = template_spec(template_version=response.template_version)
        refs = grade_refs(template_spec(template_version=audit.template_version))
        sections = response_sections(response=response)
        stored = response_answers(response=response)

        refused = _answer_problems(answers) + _grade_problems(audit, refs, grades)
        changes = ResponseChanges(
            answers={ref: v for ref, v in answers.items() if ref.split(".")[0] in FORM_SECTIONS}
        )
        check = response_check(
            response=response, template=template, stored_answers=stored, sections=sections, changes=changes
        )
        refused += check.problems
        action_check = None
        if actions is not None:
            found, action_check = _action_problems(audit, actions)
            refused += found
        if refused and not partial:
            raise ModerationRefused(refused)
        for _ in range(MAX_ROUNDS):
            if not check.problems:
                break
            changes = changes.without(check.problems, template)
            check = response_check(
                response=response,
                template=template,
                stored_answers=stored,
                sections=sections,
                changes=changes,
            )
            refused += [problem for problem in check.problems if problem not in refused]
        if check.problems:
            raise ModerationRefused(refused)
        grade_refused = {p.ref for p in refused if p.field in ("section_grades", "overall_grade", "grade")}
        if actions is not None and refused:
            kept = [
                item for i, item in enumerate(actions) if not any(p.ref == f"actions[{i}]" for p in refused)
            ]
            found, action_check = _action_problems(audit, kept) if kept else ([], None)
            if found:
                action_check = None

        changed = response_apply(actor=actor, response=response, sections=sections, check=check)
        changed |= _grades_apply(
            moderation, {ref: g for ref, g in grades.items() if ref in refs and ref not in grade_refused}
        )
        if action_check is not None:
            changed |= _actions_add(audit, action_check)
        if changed:
            changed["version"] = response_version_raise(response=response, client=client)
            audit_event_record(
                actor=actor,
                action=SAVE_ACTION,
                object_type="audit",
                object_ref=str(audit.pk),
                summary=f"Stage 2 moderation of audit {audit.pk} saved (version {response.version})"
                + (f": {len(refused)} refused" if refused else ""),
                changes=changed,
            )
    return ModerationSaved(moderation, list(dict.fromkeys(refused)))


def _grades_apply(moderation: Moderation, grades: Mapping[str, GradeInput]) -> dict[str, list[Any]]:
    rows = {row.ref: row for row in ModerationGrade.objects.filter(moderation=moderation)}
    changed: dict[str, list[Any]] = {}
    for ref, given in grades.items():
        row = rows.get(ref)
        before = _grade_json(row)
        if given.agree is None:
            if row is not None:
                row.delete()
                changed[f"grades.{ref}"] = [before, None]
            continue
        agree = bool(given.agree)
        values = {
            "agree": agree,
            "grade": "" if agree else given.grade.strip().lower(),
            "reason": "" if agree else given.reason.strip(),
        }
        if row is None:
            row = ModerationGrade.objects.create(moderation=moderation, ref=ref, **values)
        elif any(getattr(row, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(row, name, value)
            row.save(update_fields=list(values))
        after = _grade_json(row)
        if after != before:
            changed[f"grades.{ref}"] = [before, after]
    return changed


def _grade_json(row: ModerationGrade | None) -> dict[str, Any] | None:
    if row is None:
        return None
    return {"agree": row.agree, "grade": row.grade, "reason": row.reason}


def _actions_add(audit: Audit, check: Any) -> dict[str, list[Any]]:
    """Add the checked actions after the audit's own (AUD-4's shape; the practice manager by default)."""
    if not check.actions:
        return {}
    last = AuditAction.objects.filter(audit=audit).order_by("-order").values_list("order", flat=True).first()
    order = (last or 0) + 1
    added = []
    for item in check.actions:
        owner = check.owners.get(item.owner_id) if item.owner_id else audit.practice_manager
        fallback = (
            owner is not None and owner.pk == audit.practice_manager_id and audit.practice_manager_is_fallback
        )
        action = AuditAction.objects.create(
            audit=audit,
            order=order,
            what=item.what,
            owner=owner,
            owner_is_fallback=fallback,
            due_date=item.due_date,
            due_reason=item.due_reason,
            impact=item.impact,
        )
        order += 1
        added.append(
            {
                "id": action.pk,
                "what": action.what,
                "owner_id": owner.staff_id if owner else None,
                "due_date": action.due_date.isoformat(),
                "due_reason": action.due_reason,
                "impact": action.impact,
            }
        )
    return {"actions_added": [None, added]}


def moderation_action_remove(*, actor: Any, audit: Audit, action_id: int) -> None:
    """Take back an action the moderator added (one added at Stage 2, never the audit's own)."""
    with transaction.atomic():
        audit_lock(audit)
        require_status(audit, MODERATION, doing="change the moderation")
        moderation = _lock(audit)
        action = moderation_actions(moderation=moderation).filter(pk=action_id).first()
        if action is None:
            raise _refuse("actions", "There is no action of the moderation to remove.")
        action.delete()
        raised = response_version_raise(response=moderation.response, client=None)
        audit_event_record(
            actor=actor,
            action=SAVE_ACTION,
            object_type="audit",
            object_ref=str(audit.pk),
            summary=f"Stage 2 moderation of audit {audit.pk}: an action removed",
            changes={"version": raised, "actions_removed": [action_id, None]},
        )


def moderation_actions(*, moderation: Moderation) -> Any:
    """The actions added at Stage 2: the audit's actions made once its moderation was opened
    (Stage 1's are frozen at submission, before that)."""
    return AuditAction.objects.filter(audit_id=moderation.audit_id, created_at__gte=moderation.opened_at)


# --- the discussion's invite (MOD-1, CONTRACTS §7) ---------------------------------------------


def moderation_meeting_arrange(
    *, actor: Any, audit: Audit, starts_at: datetime, minutes: int = 60, location: str = "", link: str = ""
) -> Moderation:
    """Arrange, or change, the reflective discussion: the invite goes to the moderator, the group
    manager (the auditor), the practice manager and the worker. SEQUENCE is raised on every change,
    the UID kept; arranged again after a cancellation, it is a new meeting. Unchanged, nothing is sent."""
    location, link = (location or "").strip(), (link or "").strip()
    problems = discussion_problems(
        starts_at=starts_at, duration_minutes=minutes, location=location, online_link=link, now=timezone.now()
    )
    if minutes > MAX_MEETING_MINUTES and not any(p.field == "duration_minutes" for p in problems):
        problems.append(
            Problem(
                "discussion",
                "duration_minutes",
                "The reflective discussion lasts an hour at most: 15 to 60 minutes",
            )
        )
    if problems:
        raise ModerationRefused(problems)
    wanted = {
        "meeting_starts_at": starts_at,
        "meeting_minutes": minutes,
        "meeting_location": location,
        "meeting_link": link,
    }
    with transaction.atomic():
        audit_lock(audit)
        require_status(audit, MODERATION, doing="arrange the discussion")
        moderation = _lock(audit)
        if moderation.moderator is None:
            raise _refuse(None, "Assign a moderator before arranging the discussion.")
        if moderation.meeting_starts_at is not None and not moderation.meeting_cancelled:
            changed = {key: value for key, value in wanted.items() if getattr(moderation, key) != value}
            if not changed:
                return moderation
            moderation.meeting_sequence += 1
            action, headline = "moderation.meeting_changed", "Changed"
        else:
            changed = dict(wanted)
            if moderation.meeting_starts_at is not None:  # arranged again after a cancellation
                moderation.meeting_uid, moderation.meeting_sequence = uuid.uuid4(), 0
                moderation.meeting_cancelled = False
            action, headline = "moderation.meeting_arranged", "Arranged"
        for key, value in wanted.items():
            setattr(moderation, key, value)
        moderation.save(update_fields=[*wanted, "meeting_uid", "meeting_sequence", "meeting_cancelled"])
        audit_event_record(
            actor=actor,
            action=action,
            object_type="audit",
            object_ref=str(audit.pk),
            summary=f"Stage 2 discussion {headline.lower()} for {long_datetime(starts_at)}",
            changes={
                "uid": str(moderation.meeting_uid),
                "sequence": moderation.meeting_sequence,
                **{k: v.isoformat() if isinstance(v, datetime) else v for k, v in changed.items()},
            },
        )
        meeting_mail_enqueue(moderation=moderation, audit=audit, headline=headline, stamp=timezone.now())
    return moderation


def moderation_meeting_cancel(*, actor: Any, audit: Audit) -> Moderation:
    """Cancel the arranged discussion: SEQUENCE raised, METHOD:CANCEL sent to everyone invited."""
    with transaction.atomic():
        audit_lock(audit)
        require_status(audit, MODERATION, doing="cancel the discussion")
        moderation = _lock(audit)
        if (
            moderation.meeting_starts_at is None
            or moderation.meeting_cancelled
            or moderation.moderator is None
        ):
            raise _refuse(None, "There is no arranged discussion to cancel.")
        moderation.meeting_sequence += 1
        moderation.meeting_cancelled = True
        moderation.save(update_fields=["meeting_sequence", "meeting_cancelled"])
        audit_event_record(
            actor=actor,
            action="moderation.meeting_cancelled",
            object_type="audit",
            object_ref=str(audit.pk),
            summary=f"Stage 2 discussion of {long_datetime(moderation.meeting_starts_at)} cancelled",
            changes={"uid": str(moderation.meeting_uid), "sequence": moderation.meeting_sequence},
        )
        meeting_mail_enqueue(moderation=moderation, audit=audit, headline="Cancelled", stamp=timezone.now())
    return moderation


# --- completion (MOD-1, MOD-2, ESC-2, REC-1) ---------------------------------------------------


def moderation_completion_problems(*, audit: Audit, moderation: Moderation) -> list[Problem]:
    """Everything that stops the moderation being completed, in the order of the form: the
    discussion's date, who took part, its record, whether we made a difference; then for every
    graded section and overall, agreed or changed (with the grade and the reason)."""
    template = template_spec(template_version=moderation.response.template_version)
    questions = {question.ref: question for question in template.questions}
    answers = response_answers(response=moderation.response)
    problems = []
    for ref in REQUIRED_QUESTIONS:
        question = questions.get(ref)
        if question is not None and is_unanswered(answers.get(ref)):
            problems.append(Problem(ref, "answer", f"Answer '{question.text}'", "unanswered"))
    audit_template = template_spec(template_version=audit.template_version)
    rows = {row.ref: row for row in ModerationGrade.objects.filter(moderation=moderation)}
    effective = audit.effective_grades or {}
    for ref in grade_refs(audit_template):
        title = grade_title(audit_template, ref)
        row = rows.get(ref)
        if row is None:
            problems.append(
                Problem(
                    ref,
                    "agree",
                    f"Say whether you agree with the auditor's grade for {title}",
                    "agree_missing",
                )
            )
            continue
        if row.agree:
            continue
        if not row.grade:
            problems.append(Problem(ref, "grade", f"Choose the moderated grade for {title}", "grade_missing"))
        elif row.grade == effective.get(ref):
            problems.append(
                Problem(
                    ref,
                    "grade",
                    f"The moderated grade for {title} is the auditor's: answer Yes if you agree, "
                    "or choose another",
                    "grade_unchanged",
                )
            )
        if not row.reason.strip():
            problems.append(
                Problem(
                    ref,
                    "reason",
                    f"Give the reason for changing the grade of {title}.",
                    "grade_reason_missing",
                )
            )
    return problems


def moderation_complete(*, actor: Any, audit: Audit) -> Moderation:
    """Complete Stage 2: refused with every problem until the form is complete; then the grades
    (agreed: the current effective grade; changed: the moderator's, with the reason), the audit
    final, the moderated PDF stored (deleted again should the transaction fail), the QA inbox's
    copy and mailbox, and the case audit alerts. Returns the completed Moderation."""
    written: list[AuditDocument] = []
    committed: list[bool] = []
    try:
        with transaction.atomic():
            transaction.on_commit(lambda: committed.append(True))  # the first hook to run
            audit_lock(audit)
            require_status(audit, MODERATION, doing="complete the moderation")
            moderation = _lock(audit)
            problems = moderation_completion_problems(audit=audit, moderation=moderation)
            if problems:
                raise ModerationRefused(problems, "The moderation cannot be completed yet.")
            rows = {row.ref: row for row in ModerationGrade.objects.filter(moderation=moderation)}
            effective = dict(audit.effective_grades or {})
            grades = {ref: (effective.get(ref, "") if row.agree else row.grade) for ref, row in rows.items()}
            reasons = {ref: row.reason for ref, row in rows.items() if not row.agree}
            changes = _grades_change(actor, audit, grades, reasons)
            now = timezone.now()
            moderation.completed_at, moderation.completed_by = now, user_or_none(actor)
            moderation.save(update_fields=["completed_at", "completed_by"])
            audit_fire(actor=actor, audit=audit, event="moderation_completed", to_status=FINAL)
            audit_event_record(
                actor=actor,
                action="moderation.completed",
                object_type="audit",
                object_ref=str(audit.pk),
                summary=f"Stage 2 moderation of audit {audit.pk} completed: {len(changes)} grade(s) changed",
                changes={"completed_at": [None, now.isoformat()], "grades_changed": [None, len(changes)]},
            )
            document = audit_document_render(audit=audit, actor=actor, stage="stage2")
            written.append(document)
            QaInboxItem.objects.create(
                audit=audit,
                kind=QaInboxItem.Kind.MODERATION_COMPLETED,
                document=document,
                summary=f"Case {audit.case.case_id} ({audit.case.team.name}): "
                f"{len(changes)} grade{'s' if len(changes) != 1 else ''} changed by {display_name(actor)}.",
            )
            moderation_completed_qa_mail_enqueue(
                audit=audit,
                mailbox=moderation_settings_get().qa_mailbox,
                completed_by=display_name(actor),
                changes=len(changes),
            )
            _case_audit_alerts(audit)
    except BaseException:
        if not committed:  # a failure after the commit (an on-commit hook) keeps the document
            for document in written:
                document.file.delete(save=False)
        raise
    return moderation


def _grades_change(actor: Any, audit: Audit, grades: dict[str, str], reasons: dict[str, str]) -> list[Any]:
    return audit_grades_change(
        actor=actor, audit=audit, stage="stage2", grades=grades, reasons=reasons, moderated=True
    )


def _case_audit_alerts(audit: Audit) -> None:
    """MOD-2, ESC-2: the worker's practice manager and group manager, and the worker, are told."""
    worker = audit.worker if audit.worker_id is not None else audit.case.allocated_worker
    group_manager = nearest_above_with_role(staff=worker, role=Role.GROUP_MANAGER)[0] if worker else None
    template = template_spec(template_version=audit.template_version)
    effective = audit.effective_grades or {}
    strengths = sum(
        1
        for section in template.graded_sections
        if grading.grade_in_scale(template, effective.get(section.ref))
        and grading.limited_by_judgements(template, str(effective.get(section.ref)))
    )
    grade_label = template.grade_label(str(effective.get(OVERALL, ""))) or "not graded"
    actions = list(AuditAction.objects.filter(audit=audit).values_list("owner_id", flat=True))
    told: set[int] = set()
    for person, role in (
        (audit.practice_manager, "the worker's practice manager"),
        (group_manager, "the worker's group manager"),
        (worker, "the worker"),
    ):
        if person is None or person.pk in told or not person.is_active:
            continue
        told.add(person.pk)
        own = sum(1 for owner in actions if owner == person.pk)
        AuditAlert.objects.create(
            audit=audit,
            staff=person,
            kind=AuditAlert.Kind.MODERATION_COMPLETED,
            text=f"Stage 2 moderation of case {audit.case.case_id} is complete: overall {grade_label}, "
            f"{strengths} section{'s' if strengths != 1 else ''} graded Good or better, "
            f"{len(actions)} action{'s' if len(actions) != 1 else ''} ({own} yours).",
        )
        case_audit_alert_mail_enqueue(
            audit=audit,
            person=person,
            role=role,
            grade_label=grade_label,
            strengths=strengths,
            actions=len(actions),
            own_actions=own,
        )


def qa_inbox_item_read(*, actor: Any, item: QaInboxItem) -> QaInboxItem:
    """Someone in QA marks an item of the QA inbox as read (once: the first reader is kept)."""
    with transaction.atomic():
        item = QaInboxItem.objects.select_for_update().get(pk=item.pk)
        if item.read_at is not None:
            return item
        item.read_at, item.read_by = timezone.now(), user_or_none(actor)
        item.save(update_fields=["read_at", "read_by"])
        audit_event_record(
            actor=actor,
            action="qa_inbox.read",
            object_type="audit",
            object_ref=str(item.audit_id),
            summary=f"QA inbox item {item.pk} ({item.get_kind_display()}) marked as read",
            changes={"read_at": [None, item.read_at.isoformat()]},
        )
    return item
