"""Sharing out a month's unassigned Stage 2 queue across every active moderator (MOD-2).

The plan is a pure function (`balance_plan`): the audits in a fixed order (due date, case ID,
audit), each given to the least-loaded moderator who is not conflicted (CONTRACTS §9: not the
auditor, not the worker, not the worker's practice manager), counting the open moderations each
already has; ties go to the lower staff ID, so the same queue always gives the same plan. An audit
no moderator may take is reported, not assigned. Loads end up differing by at most one wherever
the conflicts allow it.

QA see the plan on a preview page, then confirm it: `moderation_balance_confirm` applies the plan
again on what is in the database then, under the Moderation rows' locks, and refuses (409) if the
queue changed since the preview (its fingerprint differs), so what was confirmed is what was seen."""

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from caseaudit.accounts.roles import Role
from caseaudit.audits.machines import MODERATION
from caseaudit.audits.models import Audit
from caseaudit.core.calendar import month_label
from caseaudit.core.mail_text import display_name
from caseaudit.core.problems import Problem
from caseaudit.core.services import audit_event_record, user_or_none
from caseaudit.moderation.mail_stage2 import moderations_balanced_mail_enqueue
from caseaudit.moderation.models import Moderation
from caseaudit.moderation.selectors import audits_after_stage1
from caseaudit.moderation.services.stage2 import ModerationTaken
from caseaudit.org.models import Staff


@dataclass(frozen=True)
class QueuedAudit:
    audit_id: int
    case_id: str
    due_date: date | None
    conflicted: frozenset[int]  # staff pks who may not moderate it


@dataclass(frozen=True)
class ModeratorLoad:
    staff_pk: int
    staff_id: str
    name: str
    load: int  # open moderations already theirs


@dataclass
class BalancePlan:
    assignments: dict[int, int] = field(default_factory=dict)  # audit id -> staff pk
    unassignable: list[int] = field(default_factory=list)  # audit ids no moderator may take
    loads_after: dict[int, int] = field(default_factory=dict)  # staff pk -> open moderations after

    def fingerprint(self) -> str:
        text = ";".join(f"{audit}:{staff}" for audit, staff in sorted(self.assignments.items()))
        text += "|" + ",".join(str(audit) for audit in sorted(self.unassignable))
        return hashlib.sha256(text.encode()).hexdigest()[:16]


def balance_plan(audits: Sequence[QueuedAudit], moderators: Sequence[ModeratorLoad]) -> BalancePlan:
    """Each audit, in order, to the least-loaded moderator not conflicted (ties: lower staff ID)."""
    plan = BalancePlan(loads_after={m.staff_pk: m.load for m in moderators})
    ordered_audits = sorted(audits, key=lambda a: (a.due_date or date.max, a.case_id, a.audit_id))
    staff_ids = {m.staff_pk: m.staff_id for m in moderators}
    for audit in ordered_audits:
        choices = [pk for pk in plan.loads_after if pk not in audit.conflicted]
        if not choices:
            plan.unassignable.append(audit.audit_id)
            continue
        chosen = min(choices, key=lambda pk: (plan.loads_after[pk], staff_ids[pk]))
        plan.assignments[audit.audit_id] = chosen
        plan.loads_after[chosen] += 1
    return plan


# --- reads ------------------------------------------------------------------------------------


def moderators_with_loads() -> list[ModeratorLoad]:
    """Every active moderator, with the open moderations already theirs (one query)."""
    rows = (
        Staff.objects.filter(is_active=True, roles__role=Role.MODERATOR)
        .annotate(
            open_moderations=Count(
                "moderations",
                filter=Q(moderations__completed_at__isnull=True, moderations__audit__status=MODERATION),
                distinct=True,
            )
        )
        .order_by("staff_id")
    )
    return [ModeratorLoad(row.pk, row.staff_id, row.name, row.open_moderations) for row in rows]


def month_queue(*, user: Any, month: date) -> list[Audit]:
    """The unassigned audits in Stage 2 of the allocation month `month` that `user` may see (an
    audit not made by the monthly allocation counts in the month its moderation was opened)."""
    following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    in_month = Q(allocation_month=month) | Q(
        allocation_month__isnull=True,
        moderation__opened_at__date__gte=month,
        moderation__opened_at__date__lt=following,
    )
    return list(
        audits_after_stage1(user=user)
        .filter(
            in_month,
            status=MODERATION,
            moderation__moderator__isnull=True,
            moderation__completed_at__isnull=True,
        )
        .select_related("case", "moderation")
        .order_by("pk")
    )


def queued(audits: Iterable[Audit]) -> list[QueuedAudit]:
    return [
        QueuedAudit(
            audit_id=audit.pk,
            case_id=audit.case.case_id,
            due_date=audit.moderation.due_date,
            conflicted=frozenset(
                pk
                for pk in (
                    audit.auditor_id,
                    audit.worker_id,
                    audit.case.allocated_worker_id,
                    audit.practice_manager_id,
                )
                if pk is not None
            ),
        )
        for audit in audits
    ]


@dataclass(frozen=True)
class BalancePreview:
    month: date
    audits: list[Audit]
    moderators: list[ModeratorLoad]
    plan: BalancePlan


def moderation_balance_preview(*, user: Any, month: date) -> BalancePreview:
    audits = month_queue(user=user, month=month)
    moderators = moderators_with_loads()
    return BalancePreview(month, audits, moderators, balance_plan(queued(audits), moderators))


# --- the write --------------------------------------------------------------------------------


def moderation_balance_confirm(*, actor: Any, month: date, fingerprint: str = "") -> BalancePlan:
    """Apply the month's plan, as previewed (`fingerprint`: refused with 409 if the queue or the
    moderators changed since); one mail to each moderator with the number they were given."""
    with transaction.atomic():
        audits = month_queue(user=actor, month=month)
        ids = [audit.pk for audit in audits]
        # Lock the rows, then read them again: someone may have taken one meanwhile.
        list(Moderation.objects.select_for_update().filter(audit_id__in=ids).values_list("pk", flat=True))
        audits = month_queue(user=actor, month=month)
        moderators = moderators_with_loads()
        plan = balance_plan(queued(audits), moderators)
        if fingerprint and plan.fingerprint() != fingerprint:
            raise ModerationTaken(
                [
                    Problem(
                        "moderation",
                        None,
                        "The queue has changed since you previewed it: "
                        "check the new plan and confirm it again.",
                        "plan_changed",
                    )
                ]
            )
        now = timezone.now()
        by_staff: dict[int, list[int]] = {}
        for audit_id, staff_pk in plan.assignments.items():
            by_staff.setdefault(staff_pk, []).append(audit_id)
        for staff_pk, audit_ids in by_staff.items():
            Moderation.objects.filter(audit_id__in=audit_ids, moderator__isnull=True).update(
                moderator_id=staff_pk, assigned_at=now, assigned_by=user_or_none(actor)
            )
        names = {m.staff_pk: m for m in moderators}
        label = month_label(month)
        audit_event_record(
            actor=actor,
            action="moderation.balanced",
            object_type="moderation_queue",
            object_ref=month.isoformat(),
            summary=f"Stage 2 queue of {label} balanced: {len(plan.assignments)} assigned, "
            f"{len(plan.unassignable)} left for QA",
            changes={
                "assigned": {str(a): names[s].staff_id for a, s in sorted(plan.assignments.items())},
                "unassignable": sorted(plan.unassignable),
            },
        )
        for audit_id, staff_pk in sorted(plan.assignments.items()):
            audit_event_record(
                actor=actor,
                action="moderation.assigned",
                object_type="audit",
                object_ref=str(audit_id),
                summary=f"Stage 2 moderation of audit {audit_id} assigned to {names[staff_pk].name} "
                f"(the queue of {label} balanced)",
                changes={"moderator": [None, names[staff_pk].staff_id]},
            )
        moderators_by_pk = {s.pk: s for s in Staff.objects.filter(pk__in=by_staff)}
        for staff_pk, audit_ids in sorted(by_staff.items()):
            moderations_balanced_mail_enqueue(
                moderator=moderators_by_pk[staff_pk],
                count=len(audit_ids),
                month_label=label,
                assigned_by=display_name(actor),
            )
    return plan
