"""Reads of the stages after Stage 1, scoped to the person asking through the audit selectors
(an audit someone may not see is never listed to them, CONTRACTS §3)."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from caseaudit.audits.models import Audit, FamilyRespondent, GradeChange
from caseaudit.audits.selectors import audit_visible_q
from caseaudit.core.calendar import month_start
from caseaudit.moderation.models import (
    HeadOfQaDecision,
    Moderation,
    ModerationSettings,
    PanelAudit,
    WorkerFeedback,
)
from caseaudit.org.models import Staff
from caseaudit.org.selectors import working_calendar
from caseaudit.questionnaires.models import ResponseAnswer


def moderation_settings_get() -> ModerationSettings:
    """The council's settings for the stages after Stage 1: the one row, made when missing."""
    row = ModerationSettings.objects.order_by("pk").first()
    if row is None:
        row, _ = ModerationSettings.objects.get_or_create(pk=1)
    return row


def feedback_due_date(*, audit: Audit) -> date | None:
    """The last day of the worker's feedback window: `feedback_working_days` working days after
    Stage 1 was submitted. None before submission."""
    if audit.submitted_at is None:
        return None
    submitted = timezone.localdate(audit.submitted_at)
    return working_calendar().after(submitted, moderation_settings_get().feedback_working_days)


def moderation_due_date(*, audit: Audit, on: date | None = None) -> date:
    """Stage 2 is due by the 21st (a setting) of the month after the audit's allocation month,
    moved back to the previous working day (CONTRACTS §9). An audit not made by the monthly
    allocation counts from the month it entered moderation (`on`, default today)."""
    base = audit.allocation_month or month_start(on or timezone.localdate())
    following = date(base.year + base.month // 12, base.month % 12 + 1, 1)
    day = min(moderation_settings_get().moderation_due_day, 28)
    return working_calendar().on_or_before(following.replace(day=day))


def moderation_of(*, audit: Audit) -> Moderation | None:
    return Moderation.objects.filter(audit=audit).select_related("moderator", "response").first()


def moderation_conflicts(*, audit: Audit, staff: Staff) -> list[str]:
    """Why `staff` may not moderate `audit` (CONTRACTS §9), as sentences; empty when they may:
    they conducted it, it is their own case, or they are the worker's practice manager."""
    reasons = []
    if audit.auditor_id == staff.pk:
        reasons.append("they conducted the audit")
    if staff.pk in (audit.worker_id, audit.case.allocated_worker_id):
        reasons.append("it is their own case")
    if audit.practice_manager_id == staff.pk:
        reasons.append("they are the worker's practice manager")
    return reasons


def audits_after_stage1(*, user: Any) -> QuerySet[Audit]:
    """Audits past Stage 1 that `user` may see, with what lists show of each."""
    return (
        Audit.objects.filter(audit_visible_q(user=user))
        .exclude(status__in=[Audit.Status.ALLOCATED, Audit.Status.IN_PROGRESS])
        .select_related("case__team", "case__child", "auditor", "worker", "practice_manager", "response")
    )


@dataclass(frozen=True)
class AuditStages:
    """Every record of the stages after Stage 1 of one audit already found through a scoped
    selector, read in a fixed number of queries (the API's audit, CONTRACTS §9)."""

    grade_changes: list[GradeChange]
    feedback: WorkerFeedback | None
    decision: HeadOfQaDecision | None
    moderation: Moderation | None
    sampled: PanelAudit | None
    respondents: list[FamilyRespondent]
    answers: dict[int, dict[str, str]]  # {response id: {question ref: text}}


def audit_stages(*, audit: Audit) -> AuditStages:
    respondents = list(FamilyRespondent.objects.filter(audit=audit))
    answers: dict[int, dict[str, str]] = {}
    for row in ResponseAnswer.objects.filter(
        response_id__in=[r.response_id for r in respondents if r.response_id]
    ).order_by("question_ref"):
        answers.setdefault(row.response_id, {})[row.question_ref] = row.value
    return AuditStages(
        grade_changes=list(GradeChange.objects.filter(audit=audit).select_related("by__staff")),
        feedback=WorkerFeedback.objects.filter(audit=audit).select_related("given_by__staff").first(),
        decision=HeadOfQaDecision.objects.filter(audit=audit).select_related("decided_by__staff").first(),
        moderation=Moderation.objects.filter(audit=audit).select_related("moderator").first(),
        sampled=PanelAudit.objects.filter(audit=audit).select_related("panel__chair").first(),
        respondents=respondents,
        answers=answers,
    )
