"""Reads the audit pages need that the domain selectors do not offer. Each works on an audit that
was already found through `audit_get` (so scoped to the person asking)."""

import datetime
from typing import Any

from django.db.models import Count, F, Q, QuerySet

from caseaudit.accounts.selectors import user_staff
from caseaudit.audits.machines import AFTER_STAGE1
from caseaudit.audits.models import Audit
from caseaudit.audits.selectors import audit_list
from caseaudit.cases.models import Child
from caseaudit.org.models import LineManagementLink, Staff


def action_owner_choices(*, audit: Audit) -> list[tuple[str, str]]:
    """Who an action can be given to (AUD-4, ACT-1): the worker, their team, everyone above the
    worker, the auditor, and whoever already owns one of the audit's actions. Labelled with
    their role in the audit so the default (the practice manager) is easy to find."""
    worker = audit.worker
    people = Q(pk=audit.auditor_id) | Q(audit_actions__audit=audit)
    if worker is not None:
        above = LineManagementLink.objects.filter(report_id=worker.pk).values("manager_id")
        people |= Q(pk=worker.pk) | Q(pk__in=above)
        if worker.team_id is not None:
            people |= Q(team_id=worker.team_id)
    if audit.practice_manager_id is not None:
        people |= Q(pk=audit.practice_manager_id)
    staff = Staff.objects.filter(people, is_active=True).distinct().order_by("name")
    roles = {
        audit.practice_manager_id: "practice manager",
        audit.worker_id: "allocated worker",
        audit.auditor_id: "auditor",
    }
    choices = []
    for person in staff.only("pk", "staff_id", "name", "job_role"):
        role = roles.get(person.pk) or person.job_role
        choices.append((person.staff_id, f"{person.name} ({role})" if role else person.name))
    return choices


def child_audit_list(*, user: Any, child: Child) -> QuerySet[Audit]:
    """The audits of a child's cases that `user` may see, newest first."""
    return audit_list(user=user).filter(case__child=child).order_by("-created_at", "-id")


def audits_awaiting_me(*, user: Any) -> QuerySet[Audit]:
    """The audits not yet submitted of cases where `user` is the worker or the practice manager,
    each with its number of compliance gaps still to address; soonest due first (AUD-1, AUD-3)."""
    staff = user_staff(user)
    if staff is None or not staff.is_active:
        return Audit.objects.none()
    return (
        audit_list(user=user)
        .filter(Q(worker_id=staff.pk) | Q(practice_manager_id=staff.pk))
        .exclude(status__in=AFTER_STAGE1)
        .annotate(open_gaps=Count("compliance_gaps", filter=Q(compliance_gaps__addressed_at__isnull=True)))
        .select_related("case__team", "auditor")
        .order_by(F("due_date").asc(nulls_last=True), "audit_date", "pk")
    )


def case_last_audit_date(*, case_id: str) -> datetime.date | None:
    """The audit date of the case's latest audit past Stage 1 (the case page shows it only to
    those who may see the case's details)."""
    return (
        Audit.objects.filter(case__case_id=case_id, status__in=AFTER_STAGE1, audit_date__isnull=False)
        .order_by("-audit_date")
        .values_list("audit_date", flat=True)
        .first()
    )
