"""Reads behind the lists of actions and escalations, the home page and the audit page's panel
(ACT-1, ESC-1, ESC-2), each built on the scoped selectors of `selectors.py` and each a fixed
number of queries however many actions there are."""

import datetime
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery

from caseaudit.accounts.roles import Role
from caseaudit.accounts.selectors import user_has_role, user_is_qa
from caseaudit.actions.models import Escalation
from caseaudit.actions.selectors import (
    LIVE,
    ROW_JOINS,
    action_settings,
    escalation_list,
    signer_q,
)
from caseaudit.audits.machines import AFTER_STAGE1
from caseaudit.audits.models import Audit, AuditAction
from caseaudit.cases.selectors import case_scope
from caseaudit.org.models import LineManagementLink

SOON_DAYS = 14  # "due soon" as selectors.my_actions counts it


def action_workers(*, actions: QuerySet[AuditAction]) -> list[tuple[str, str]]:
    """(staff ID, name) of each worker whose actions are in `actions` (a scoped list), by name:
    the worker filter offers only people whose actions the person may see."""
    rows = (
        actions.filter(audit__worker__isnull=False)
        .order_by("audit__worker__name", "audit__worker__staff_id")
        .values_list("audit__worker__staff_id", "audit__worker__name")
        .distinct()
    )
    return [(staff_id, name) for staff_id, name in rows]


def my_action_counts(*, user: Any, today: datetime.date, soon_days: int = SOON_DAYS) -> dict[str, int]:
    """What "My actions" holds, counted in two queries: {overdue, due_soon, open, done, to_sign_off}
    (`open` being those due later than soon)."""
    staff_pk = case_scope(user=user).staff_pk
    if staff_pk is None:
        return {"overdue": 0, "due_soon": 0, "open": 0, "done": 0, "to_sign_off": 0}
    live = AuditAction.objects.filter(audit__status__in=AFTER_STAGE1)
    soon = today + datetime.timedelta(days=soon_days)
    is_open = Q(status=AuditAction.Status.OPEN)
    owned = live.filter(owner_id=staff_pk, status__in=LIVE).aggregate(
        overdue=Count("pk", filter=is_open & Q(due_date__lt=today)),
        due_soon=Count("pk", filter=is_open & Q(due_date__gte=today, due_date__lte=soon)),
        open=Count("pk", filter=is_open & Q(due_date__gt=soon)),
        done=Count("pk", filter=Q(status=AuditAction.Status.DONE)),
    )
    to_sign_off = live.filter(signer_q(staff_pk), status=AuditAction.Status.DONE).count()
    return {**{key: int(value or 0) for key, value in owned.items()}, "to_sign_off": to_sign_off}


def audit_action_list(*, audit: Audit) -> QuerySet[AuditAction]:
    """The actions of an audit already found through a scoped selector, in the audit's order, with
    what a row shows joined in (one query)."""
    return AuditAction.objects.filter(audit=audit).select_related(*ROW_JOINS).order_by("order", "pk")


def audit_escalation_list(*, audit: Audit) -> QuerySet[Escalation]:
    """The escalations of an audit already found through a scoped selector, open first, newest first."""
    return (
        Escalation.objects.filter(audit=audit)
        .select_related("audit__case__team", "audit__worker", "closed_by__staff")
        .order_by("status", "-opened_at", "-pk")
    )


def _nearest_with_role(*, staff_pk: int, role: str) -> Q:
    """Escalations whose worker has `staff_pk` above them as the nearest person holding `role`
    (escalation.escalation_alerted, in SQL; a fallback line manager is not alerted)."""
    mine = LineManagementLink.objects.filter(manager_id=staff_pk, report_id=OuterRef("audit__worker_id"))
    my_depth = LineManagementLink.objects.filter(manager_id=staff_pk, report_id=OuterRef("report_id"))
    nearer = LineManagementLink.objects.filter(
        report_id=OuterRef("audit__worker_id"),
        depth__lt=Subquery(my_depth.values("depth")[:1]),
        manager__roles__role=role,
    )
    return Q(Exists(mine)) & ~Q(Exists(nearer))


def escalations_alerting(*, user: Any, today: datetime.date | None = None) -> QuerySet[Escalation]:
    """The open escalations that alert `user` (ESC-1: the worker's practice manager, group manager
    and head of service, and QA, as the setting's roles say) or that a senior manager follows
    (ESC-2), among those they may see; soonest due first."""
    scope = case_scope(user=user)
    escalations = escalation_list(user=user, status=Escalation.Status.OPEN, today=today).order_by(
        "due_date", "pk"
    )
    if user_has_role(user, Role.SENIOR_MANAGER):
        return escalations
    roles = set(action_settings().escalation_roles or [])
    if "qa" in roles and user_is_qa(user):
        return escalations
    if scope.staff_pk is None:
        return escalations.none()
    alerted = Q(pk__in=[])
    if "practice_manager" in roles:
        alerted |= Q(audit__practice_manager_id=scope.staff_pk)
    for key, role in (("group_manager", Role.GROUP_MANAGER), ("head_of_service", Role.HEAD_OF_SERVICE)):
        if key in roles and user_has_role(user, role):
            alerted |= _nearest_with_role(staff_pk=scope.staff_pk, role=role)
    return escalations.filter(alerted)


def escalation_open_counts(*, escalations: QuerySet[Escalation], today: datetime.date) -> dict[str, int]:
    """{open, overdue} of a list of escalations, in one query."""
    counts = escalations.order_by().aggregate(
        open=Count("pk", filter=Q(status=Escalation.Status.OPEN)),
        overdue=Count("pk", filter=Q(status=Escalation.Status.OPEN, due_date__lt=today)),
    )
    return {key: int(value or 0) for key, value in counts.items()}
