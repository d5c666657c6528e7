"""Reads of actions and escalations, scoped like audits (SEC-1, CONTRACTS §3, §10): an action is
seen by whoever may see its audit, and by its owner; an escalation by whoever may see its audit.
Only actions of audits past Stage 1 are live (a draft audit's actions are its form's).

Each list is one query with what a row shows joined in, so a page's queries do not grow with the
number of actions."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from caseaudit.actions.models import ActionEvent, ActionSettings, Escalation
from caseaudit.audits.machines import AFTER_STAGE1
from caseaudit.audits.models import Audit, AuditAction
from caseaudit.audits.selectors import audit_visible_q
from caseaudit.cases.selectors import case_scope

LIVE = (AuditAction.Status.OPEN, AuditAction.Status.DONE)
ROW_JOINS = (
    "audit__case__team",
    "audit__worker__line_manager",
    "audit__response__template_version",
    "owner__line_manager",
)


def action_settings() -> ActionSettings:
    """The council's action settings (the one row, made with the defaults when missing)."""
    found = ActionSettings.objects.order_by("pk").first()
    return found if found is not None else ActionSettings.objects.create()


def _visible_audits(user: Any) -> Any:
    return Audit.objects.filter(audit_visible_q(user=user)).values("pk")


def action_visible_q(*, user: Any) -> Q:
    """The actions `user` may see, as a filter over AuditAction."""
    scope = case_scope(user=user)
    if scope.everything:
        return Q()
    visible = Q(audit_id__in=_visible_audits(user))
    if scope.staff_pk is not None:
        visible |= Q(owner_id=scope.staff_pk)
    return visible


def action_list(
    *,
    user: Any,
    owner_id: str | None = None,
    worker_id: str | None = None,
    team_id: str | None = None,
    status: str | None = None,
    overdue: bool = False,
    today: datetime.date | None = None,
) -> QuerySet[AuditAction]:
    """The live actions `user` may see, soonest due first, filtered as CONTRACTS §10's
    `GET /api/actions` (staff and team IDs are the council's own)."""
    actions = (
        AuditAction.objects.filter(action_visible_q(user=user), audit__status__in=AFTER_STAGE1)
        .select_related(*ROW_JOINS)
        .order_by("due_date", "audit_id", "order", "pk")
    )
    if owner_id:
        actions = actions.filter(owner__staff_id=owner_id)
    if worker_id:
        actions = actions.filter(audit__worker__staff_id=worker_id)
    if team_id:
        actions = actions.filter(audit__case__team__team_id=team_id)
    if status:
        actions = actions.filter(status=status)
    if overdue:
        actions = actions.filter(overdue_q(today or timezone.localdate()))
    return actions


def overdue_q(today: datetime.date) -> Q:
    """Open and past its due date (a done action waits for sign-off, not for its owner)."""
    return Q(status=AuditAction.Status.OPEN, due_date__lt=today)


def action_get(*, user: Any, action_id: int) -> AuditAction | None:
    return action_list(user=user).filter(pk=action_id).first()


def action_events(*, action: AuditAction) -> QuerySet[ActionEvent]:
    return ActionEvent.objects.filter(action=action).select_related("by__staff").order_by("at", "pk")


def audit_actions(*, audit: Audit) -> QuerySet[AuditAction]:
    """The actions of an audit already found through a scoped selector, in the audit's order."""
    return AuditAction.objects.filter(audit=audit).select_related(*ROW_JOINS).order_by("order", "pk")


def signer_q(staff_pk: int) -> Q:
    """Done actions this person signs off (rules.action_signer, in SQL): the worker's line manager
    where someone else owns it; the owner's line manager where the worker's line manager owns it
    or the worker has none."""
    as_workers_manager = Q(audit__worker__line_manager_id=staff_pk) & ~Q(owner_id=staff_pk)
    as_owners_manager = Q(owner__line_manager_id=staff_pk) & (
        Q(owner_id=F("audit__worker__line_manager_id")) | Q(audit__worker__line_manager__isnull=True)
    )
    return as_workers_manager | as_owners_manager


SECTION_LIMIT = 50  # rows a section of "My actions" shows; its count says how many there are


@dataclass(frozen=True)
class MyActions:
    """ "My actions" (ACT-1): what the person owns, and what waits for their sign-off; each list the
    first SECTION_LIMIT, soonest due first, and `counts` how many each holds."""

    overdue: list[AuditAction]
    due_soon: list[AuditAction]
    open: list[AuditAction]
    done: list[AuditAction]  # done by me, awaiting sign-off
    to_sign_off: list[AuditAction]  # done by others, for me to sign off
    counts: dict[str, int]

    @property
    def count(self) -> int:
        return sum(self.counts.values())


def my_actions(*, user: Any, today: datetime.date, soon_days: int = 14) -> MyActions:
    """Six queries however many actions there are: a capped list per section and their counts."""
    staff_pk = case_scope(user=user).staff_pk
    names = ("overdue", "due_soon", "open", "done", "to_sign_off")
    if staff_pk is None:
        return MyActions([], [], [], [], [], dict.fromkeys(names, 0))
    soon = today + datetime.timedelta(days=soon_days)
    opened = Q(owner_id=staff_pk, status=AuditAction.Status.OPEN)
    filters = {
        "overdue": opened & Q(due_date__lt=today),
        "due_soon": opened & Q(due_date__gte=today, due_date__lte=soon),
        "open": opened & Q(due_date__gt=soon),
        "done": Q(owner_id=staff_pk, status=AuditAction.Status.DONE),
        "to_sign_off": signer_q(staff_pk) & Q(status=AuditAction.Status.DONE),
    }
    live = AuditAction.objects.filter(audit__status__in=AFTER_STAGE1)
    counted = live.order_by().aggregate(**{name: Count("pk", filter=q) for name, q in filters.items()})
    counts = {name: int(counted[name] or 0) for name in names}
    rows = live.select_related(*ROW_JOINS)

    def first(name: str, *order: str) -> list[AuditAction]:
        return list(rows.filter(filters[name]).order_by(*order)[:SECTION_LIMIT]) if counts[name] else []

    return MyActions(
        overdue=first("overdue", "due_date", "pk"),
        due_soon=first("due_soon", "due_date", "pk"),
        open=first("open", "due_date", "pk"),
        done=first("done", "status_at", "pk"),
        to_sign_off=first("to_sign_off", "status_at", "pk"),
        counts=counts,
    )


def action_counts(*, actions: QuerySet[AuditAction], today: datetime.date) -> dict[str, int]:
    """{open, overdue, done, signed_off, cancelled} of a list, in one query."""
    counts = actions.order_by().aggregate(
        open=Count("pk", filter=Q(status=AuditAction.Status.OPEN)),
        overdue=Count("pk", filter=overdue_q(today)),
        done=Count("pk", filter=Q(status=AuditAction.Status.DONE)),
        signed_off=Count("pk", filter=Q(status=AuditAction.Status.SIGNED_OFF)),
        cancelled=Count("pk", filter=Q(status=AuditAction.Status.CANCELLED)),
    )
    return {key: int(value or 0) for key, value in counts.items()}


# --- escalations ----------------------------------------------------------------------------


def escalation_list(
    *, user: Any, status: str | None = None, overdue: bool = False, today: datetime.date | None = None
) -> QuerySet[Escalation]:
    scope = case_scope(user=user)
    escalations = Escalation.objects.select_related(
        "audit__case__team", "audit__worker", "audit__practice_manager", "closed_by__staff"
    ).order_by("-status", "due_date", "pk")  # open before closed
    if not scope.everything:
        escalations = escalations.filter(audit_id__in=_visible_audits(user))
    if status:
        escalations = escalations.filter(status=status)
    if overdue:
        escalations = escalations.filter(
            status=Escalation.Status.OPEN, due_date__lt=today or timezone.localdate()
        )
    return escalations


def escalation_get(*, user: Any, escalation_id: int) -> Escalation | None:
    return escalation_list(user=user).filter(pk=escalation_id).first()


def escalations_of(*, audit: Audit) -> QuerySet[Escalation]:
    """The escalations of an audit already found through a scoped selector, newest first."""
    return (
        Escalation.objects.filter(audit=audit)
        .select_related("closed_by__staff")
        .order_by("-opened_at", "-pk")
    )


def open_escalation_of(*, audit: Audit) -> Escalation | None:
    return Escalation.objects.filter(audit=audit, status=Escalation.Status.OPEN).first()
