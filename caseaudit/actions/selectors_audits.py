"""The audits QA and managers follow (issue 11, 8): every audit the person may see, filtered by
month, type, team, auditor, status and overdue, each with where it is at Stage 1 and Stage 2 and
its actions' state, in one query (counts and the Stage 2 due date annotated)."""

import datetime
from typing import Any

from django.db.models import Count, DateField, OuterRef, Q, QuerySet, Subquery

from caseaudit.audits.machines import AFTER_STAGE1, EDITABLE
from caseaudit.audits.models import Audit, AuditAction
from caseaudit.audits.selectors import audit_list
from caseaudit.moderation.models import Moderation


def followed_audits(
    *,
    user: Any,
    today: datetime.date,
    month: datetime.date | None = None,
    audit_type: str = "",
    team_id: str = "",
    auditor_id: str = "",
    status: str = "",
    overdue: bool = False,
) -> QuerySet[Audit]:
    stage2_due = Moderation.objects.filter(audit=OuterRef("pk"), completed_at__isnull=True).values(
        "due_date"
    )[:1]
    open_now = Q(actions__status=AuditAction.Status.OPEN)
    audits = audit_list(user=user).annotate(
        stage2_due=Subquery(stage2_due, output_field=DateField()),
        actions_total=Count("actions", distinct=True),
        actions_open=Count("actions", filter=open_now, distinct=True),
        actions_overdue=Count("actions", filter=open_now & Q(actions__due_date__lt=today), distinct=True),
        actions_signed_off=Count(
            "actions", filter=Q(actions__status=AuditAction.Status.SIGNED_OFF), distinct=True
        ),
    )
    if month is not None:
        audits = audits.filter(
            Q(allocation_month=month)
            | Q(allocation_month__isnull=True, audit_date__year=month.year, audit_date__month=month.month)
        )
    if audit_type:
        audits = audits.filter(audit_type=audit_type)
    if team_id:
        audits = audits.filter(case__team__team_id=team_id)
    if auditor_id:
        audits = audits.filter(auditor__staff_id=auditor_id)
    if status:
        audits = audits.filter(status=status)
    if overdue:
        audits = audits.filter(
            Q(status__in=EDITABLE, due_date__lt=today) | Q(stage2_due__lt=today) | Q(actions_overdue__gt=0)
        )
    return audits.order_by("-allocation_month", "due_date", "pk")


def is_stage1_overdue(audit: Audit, today: datetime.date) -> bool:
    return audit.status in EDITABLE and audit.due_date is not None and audit.due_date < today


def is_after_stage1(audit: Audit) -> bool:
    return audit.status in AFTER_STAGE1
