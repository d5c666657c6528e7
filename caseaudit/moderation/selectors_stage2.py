"""Reads of Stage 2 moderation (MOD-1, MOD-2), scoped to the person asking through the audit
selectors (`audits_after_stage1`): an audit someone may not see is never listed to them.

The queue reads in a fixed number of queries whatever its length: each audit with its case,
team, auditor, worker and moderation (and its moderator) in one select."""

from datetime import date
from typing import Any

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from caseaudit.accounts.roles import Role
from caseaudit.accounts.selectors import user_staff
from caseaudit.audits.machines import MODERATION
from caseaudit.audits.models import Audit, GradeChange
from caseaudit.moderation.models import AuditAlert, Moderation, ModerationGrade, QaInboxItem
from caseaudit.moderation.selectors import audits_after_stage1, moderation_conflicts
from caseaudit.org.models import Staff

ASSIGNED = "assigned"
UNASSIGNED = "unassigned"
MINE = "mine"


def moderation_queue(*, user: Any, month: date | None = None, assigned: str = "") -> QuerySet[Audit]:
    """The audits in Stage 2 that `user` may see, soonest due first; `month` the allocation
    month, `assigned` one of "assigned", "unassigned", "mine" (the moderator's own)."""
    audits = (
        audits_after_stage1(user=user)
        .filter(status=MODERATION, moderation__isnull=False)
        .select_related("moderation__moderator")
    )
    if month is not None:
        audits = audits.filter(allocation_month=month)
    if assigned == ASSIGNED:
        audits = audits.filter(moderation__moderator__isnull=False)
    elif assigned == UNASSIGNED:
        audits = audits.filter(moderation__moderator__isnull=True)
    elif assigned == MINE:
        staff = user_staff(user)
        if staff is None:
            return audits.none()
        audits = audits.filter(moderation__moderator_id=staff.pk)
    return audits.order_by(F("moderation__due_date").asc(nulls_last=True), "case__case_id", "pk")


def queue_months(*, user: Any) -> list[date]:
    """The allocation months of the audits in Stage 2 `user` may see, newest first."""
    months = (
        audits_after_stage1(user=user)
        .filter(status=MODERATION, allocation_month__isnull=False)
        .values_list("allocation_month", flat=True)
        .distinct()
    )
    return sorted({month for month in months if month is not None}, reverse=True)


def queue_counts(*, user: Any) -> tuple[int, int]:
    """(unassigned, overdue) of the audits in Stage 2 `user` may see."""
    audits = audits_after_stage1(user=user).filter(status=MODERATION)
    unassigned = audits.filter(moderation__moderator__isnull=True).count()
    overdue = audits.filter(moderation__due_date__lt=timezone.localdate()).count()
    return unassigned, overdue


def moderations_of_mine(*, user: Any) -> QuerySet[Audit]:
    """The audits in Stage 2 assigned to `user` (a moderator) that they may see, soonest due first."""
    return moderation_queue(user=user, assigned=MINE)


def moderator_choices(*, audit: Audit) -> list[tuple[Staff, list[str]]]:
    """Every active moderator, with why each may not moderate `audit` (empty when they may)."""
    moderators = Staff.objects.filter(is_active=True, roles__role=Role.MODERATOR).distinct().order_by("name")
    return [(person, moderation_conflicts(audit=audit, staff=person)) for person in moderators]


def moderator_get(*, staff_id: str) -> Staff | None:
    return Staff.objects.filter(staff_id=staff_id).prefetch_related("roles").first()


def moderation_grades(*, moderation: Moderation) -> dict[str, ModerationGrade]:
    return {row.ref: row for row in ModerationGrade.objects.filter(moderation=moderation)}


def stage2_grade_changes(*, audit: Audit) -> list[GradeChange]:
    return list(GradeChange.objects.filter(audit=audit, stage=GradeChange.Stage.STAGE2).order_by("at", "id"))


def qa_inbox(*, user: Any) -> QuerySet[QaInboxItem]:
    """The QA inbox's items of audits `user` may see: unread first, then newest first."""
    visible = audits_after_stage1(user=user).values("pk")
    return (
        QaInboxItem.objects.filter(audit_id__in=visible)
        .select_related("audit__case__team", "document", "read_by__staff")
        .order_by(F("read_at").asc(nulls_first=True), "-created_at", "-id")
    )


def qa_inbox_item_get(*, user: Any, item_id: int) -> QaInboxItem | None:
    return qa_inbox(user=user).filter(pk=item_id).first()


def qa_inbox_unread(*, user: Any) -> int:
    return qa_inbox(user=user).filter(read_at__isnull=True).count()


def moderation_alerts(*, user: Any) -> QuerySet[AuditAlert]:
    """The case audit alerts of completed moderations to `user`, of audits they may still see."""
    staff = user_staff(user)
    if staff is None:
        return AuditAlert.objects.none()
    visible = audits_after_stage1(user=user).values("pk")
    return (
        AuditAlert.objects.filter(
            Q(staff=staff, kind=AuditAlert.Kind.MODERATION_COMPLETED, dismissed_at__isnull=True),
            audit_id__in=visible,
        )
        .select_related("audit__case__team")
        .order_by("-created_at", "-id")
    )
