"""Reads over the case register, always scoped to what the person may see (SEC-1).

Three levels of access to a case (CONTRACTS §3):
- FULL: the child's name, dates and every detail;
- SUMMARY: only the case ID, team and the word "Restricted" (QA can still allocate it);
- NONE: the case does not exist for this person (404, and the denial is logged).

A restricted case opens only to its allocated worker, the people above them and people whose
access request was granted (SEL-6); its auditor sees the summary until then.
"""

import enum
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet, Subquery

from caseaudit.accounts.roles import Role
from caseaudit.accounts.selectors import user_has_role, user_is_qa, user_staff
from caseaudit.cases.models import Case, Child
from caseaudit.org.models import LineManagementLink


class Access(enum.Enum):
    NONE = "none"
    SUMMARY = "summary"
    FULL = "full"


@dataclass(frozen=True)
class CaseGrant:
    """A way a person comes to see cases outside their own line, told to the register by the app
    that knows it (the auditor's allocated cases, a granted access request, an audit to moderate).
    The register itself knows none of those apps, so it sits below them (docs/adr/0005).

    Each queryset gives case primary keys (`.values("case_id")` of the granting model)."""

    name: str
    visible: QuerySet[Any] | None = None  # at least the summary (case ID, team, "Restricted")
    full: QuerySet[Any] | None = None  # the case's details
    opens_restricted_child: bool = False  # the child's details even where the child is restricted
    opens_audits: bool = False  # every audit of the case, not only the person's own


GrantProvider = Callable[["CaseScope"], CaseGrant | None]
_grant_providers: list[GrantProvider] = []


def case_grant_provider(provider: GrantProvider) -> GrantProvider:
    """Register `provider(scope)` (a decorator; idempotent, so an app's ready() may run twice)."""
    if provider not in _grant_providers:
        _grant_providers.append(provider)
    return provider


def _in(cases: QuerySet[Any] | None, prefix: str) -> Q:
    return Q(pk__in=[]) if cases is None else Q(**{f"{prefix}pk__in": Subquery(cases)})


@dataclass(frozen=True)
class CaseScope:
    """What one person may see of the register, worked out once per request."""

    everything: bool  # Django superuser: the council's break-glass account
    all_cases: bool  # QA: every case, restricted ones as a summary
    staff_pk: int | None
    all_audits: bool = False  # moderators and panel chairs: the cases of every audit not restricted

    def grants(self) -> list[CaseGrant]:
        cached = self.__dict__.get("_grants")
        if cached is None:
            cached = [grant for provider in _grant_providers if (grant := provider(self)) is not None]
            object.__setattr__(self, "_grants", cached)
        return cached

    def line_q(self, prefix: str = "") -> Q:
        """Cases allocated to this person or to anyone below them in line management."""
        if self.staff_pk is None:
            return Q(pk__in=[])
        below = LineManagementLink.objects.filter(manager_id=self.staff_pk).values("report_id")
        return Q(**{f"{prefix}allocated_worker_id": self.staff_pk}) | Q(
            **{f"{prefix}allocated_worker_id__in": Subquery(below)}
        )

    def _granted(self, kind: str, prefix: str = "", **only: bool) -> Q:
        found = Q(pk__in=[])
        for grant in self.grants():
            if all(getattr(grant, flag) == value for flag, value in only.items()):
                found |= _in(getattr(grant, kind), prefix)
        return found

    def granted_full_q(self, prefix: str = "") -> Q:
        """Cases whose details every audit of which this person may open through a grant (a
        granted access request, SEL-6), as a filter with `prefix` (e.g. "case__" over Audit)."""
        return self._granted("full", prefix, opens_audits=True)

    def visible_q(self) -> Q:
        if self.everything or self.all_cases:
            return Q()
        return self.line_q() | self._granted("visible") | self._granted("full")

    def full_q(self) -> Q:
        """Cases whose details this person may see."""
        if self.everything:
            return Q()
        if self.all_cases:
            return Q(restricted=False) | self.line_q() | self._granted("full")
        return self.line_q() | self._granted("full")

    def child_details_q(self, prefix: str = "child__") -> Q:
        """Children whose name and details this person may see: a restricted child only
        through a case in their own line or a grant that opens it (a case they audit that is
        not restricted, or one they were granted access to; CONTRACTS §3)."""
        if self.everything:
            return Q()
        opened = self.line_q() | self._granted("full", opens_restricted_child=True)
        in_line = Q(**{f"{prefix}pk__in": Subquery(Case.objects.filter(opened).values("child_id"))})
        if self.all_cases:
            return Q(**{f"{prefix}restricted": False}) | in_line
        others = Case.objects.filter(self._granted("full", opens_restricted_child=False)).values("child_id")
        return in_line | Q(**{f"{prefix}restricted": False, f"{prefix}pk__in": Subquery(others)})


def case_scope(*, user: Any) -> CaseScope:
    cached = getattr(user, "_caseaudit_case_scope", None)
    if cached is not None:
        return cached
    staff = user_staff(user)
    active = staff is not None and staff.is_active
    scope = CaseScope(
        everything=bool(getattr(user, "is_superuser", False)),
        all_cases=user_is_qa(user),
        staff_pk=staff.pk if active else None,
        all_audits=user_has_role(user, Role.MODERATOR, Role.PANEL_CHAIR),
    )
    if user is not None and getattr(user, "is_authenticated", False):
        user._caseaudit_case_scope = scope
    return scope


def case_list(
    *,
    user: Any,
    search: str = "",
    team_id: str = "",
    case_type: str = "",
    status: str = "",
    area: str = "",
    worker_id: str = "",
) -> QuerySet[Case]:
    """Cases the person may see, each annotated with `details_visible` and `child_visible`."""
    scope = case_scope(user=user)
    qs = (
        Case.objects.filter(scope.visible_q())
        .select_related("child", "team", "team__geographical_area", "allocated_worker")
        .annotate(
            details_visible=ExpressionWrapper(scope.full_q(), output_field=BooleanField()),
            child_visible=ExpressionWrapper(scope.child_details_q(), output_field=BooleanField()),
        )
    )
    # The summary of a restricted case shows its case ID and team alone, so only those may match
    # it: filtering by a hidden field (type, status, worker, the child's ID or name) would tell
    # whether the case has it (CONTRACTS §3).
    full = scope.full_q()
    if team_id:
        qs = qs.filter(team__team_id=team_id)
    if area:
        qs = qs.filter(team__geographical_area__name=area)
    if case_type:
        qs = qs.filter(full, case_type=case_type)
    if status:
        qs = qs.filter(full, status=status)
    if worker_id:
        qs = qs.filter(full, allocated_worker__staff_id=worker_id)
    search = search.strip()
    if search:
        by_child_id = Q(child__child_id__iexact=search) & full & scope.child_details_q()
        # A restricted child's name must not be findable by someone who may not see it.
        by_name = Q(child__name__icontains=search) & full & scope.child_details_q()
        qs = qs.filter(Q(case_id__iexact=search) | by_child_id | by_name)
    return qs.order_by("case_id")


def case_get(*, user: Any, case_id: str) -> tuple[Case | None, Access]:
    """The case with register ID `case_id` and the person's access to it."""
    case = case_list(user=user).filter(case_id=case_id).first()
    if case is None:
        return None, Access.NONE
    return case, Access.FULL if getattr(case, "details_visible", False) else Access.SUMMARY


def case_access(*, user: Any, case: Case) -> Access:
    scope = case_scope(user=user)
    qs = Case.objects.filter(pk=case.pk)
    if not qs.filter(scope.visible_q()).exists():
        return Access.NONE
    return Access.FULL if qs.filter(scope.full_q()).exists() else Access.SUMMARY


def child_get(*, user: Any, child_id: str) -> Child | None:
    """The child, if the person may see their details; else None."""
    scope = case_scope(user=user)
    return (
        Child.objects.filter(child_id=child_id)
        .filter(scope.child_details_q(prefix=""))
        .filter(pk__in=Case.objects.filter(scope.visible_q()).values("child_id"))
        .first()
    )


def child_cases(*, user: Any, child: Child) -> QuerySet[Case]:
    return case_list(user=user).filter(child=child).order_by("-start_date", "case_id")
