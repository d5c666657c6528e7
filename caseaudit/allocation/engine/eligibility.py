"""The rules of the monthly allocation as pure functions: which cases are eligible (SEL-2),
which auditors may audit a case (SEL-3), and in what order cases are wanted (priority).

Everything here works on plain facts (`CaseFacts`, `AuditorFacts`) gathered by the caller,
so it is tested directly and shared by the solver, the explanations and the tests. The
checker (`checker.py`) deliberately re-implements these rules instead of importing them."""

import functools
import hashlib
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

from caseaudit.core.calendar import long_date, month_label, month_name, months_before

# Codes are stable (CONTRACTS §6): pages, the API and tests rely on them.
ELIGIBLE = "eligible"
ALREADY_ALLOCATED = "already_allocated"
TEAM_NOT_ELIGIBLE = "team_not_eligible"
CLOSED_TOO_LONG_AGO = "closed_too_long_ago"
AUDITED_RECENTLY = "audited_recently"
NO_ALLOCATED_WORKER = "no_allocated_worker"
NO_POSSIBLE_AUDITOR = "no_possible_auditor"
NOT_PICKED = "not_picked"

# Hard rules of auditor fit (SEL-3): never relaxed.
SAME_TEAM = "same_team"
IS_WORKER = "is_worker"
ABOVE_WORKER = "above_worker"
MANAGES_TEAM = "manages_team"

CLOSED = "closed"


@dataclass(frozen=True)
class AllocationSettings:
    """The council's choices, with the seed guidance's defaults."""

    closed_within_days: int = 30
    not_audited_within_months: int = 3
    auditor_role: str = "group_manager"
    per_auditor: int = 1


@dataclass(frozen=True)
class CaseFacts:
    """What the allocation needs to know about one case of the register."""

    case_id: str
    child_id: str
    team_id: str
    team_eligible: bool
    area: str | None
    worker_id: str | None
    worker_chain: frozenset[str]  # everyone above the allocated worker, not only the line manager
    status: str  # "open" or "closed"
    closed_on: date | None
    last_audited_on: date | None  # the later of caseaudit's audits and the register's date
    already_allocated: bool = False
    restricted: bool = False
    # Names for the reasons a person reads (IDs stand in when they are missing).
    team_name: str = ""
    worker_name: str = ""

    @property
    def team(self) -> str:
        """The case's team, as the reasons name it: "team Assessment North"."""
        return f"team {self.team_name or self.team_id}"

    @property
    def worker(self) -> str:
        """The allocated worker, by name."""
        return self.worker_name or str(self.worker_id)


@dataclass(frozen=True)
class AuditorFacts:
    """A member of staff holding the auditing role, as the allocation sees them."""

    staff_id: str
    team_id: str | None
    area: str | None
    manages_team_ids: frozenset[str] = frozenset()  # teams with a member anywhere below them
    capacity: int | None = None  # None: the month's number of cases per auditor
    # Names for the reasons a person reads (IDs stand in when they are missing).
    name: str = ""
    team_name: str = ""

    @property
    def who(self) -> str:
        """The auditor, by name."""
        return self.name or self.staff_id

    @property
    def team(self) -> str | None:
        """The auditor's own team, as the reasons name it, or None."""
        return None if self.team_id is None else f"team {self.team_name or self.team_id}"


class Eligibility(NamedTuple):
    eligible: bool
    code: str
    reason: str


class Breach(NamedTuple):
    code: str
    message: str


def default_seed(month: date) -> int:
    """The month as a number (2026-12 → 202612), so a rerun gives the same draft (CONTRACTS §6)."""
    return month.year * 100 + month.month


@functools.lru_cache(maxsize=64)
def audit_cutoff(month: date, settings: AllocationSettings) -> date:
    """A case audited on or after this day was audited "within the last quarter" (SEL-2)."""
    return months_before(month, settings.not_audited_within_months)


@functools.lru_cache(maxsize=64)
def closed_cutoff(month: date, settings: AllocationSettings) -> date:
    """A case closed on or after this day is "recently closed" (SEL-2)."""
    return month - timedelta(days=settings.closed_within_days)


def case_eligibility(case: CaseFacts, *, month: date, settings: AllocationSettings) -> Eligibility:
    """SEL-2: whether the case may be picked this month, with its code and reason."""
    return ineligibility(case, month=month, settings=settings) or Eligibility(
        True, ELIGIBLE, eligible_reason(case, month=month, settings=settings)
    )


def ineligibility(case: CaseFacts, *, month: date, settings: AllocationSettings) -> Eligibility | None:
    """Why the case is not eligible (SEL-2), or None if it is. When several rules fail, the
    first in this order is reported: already allocated, team, closed, recently audited, no worker."""
    if case.already_allocated:
        return Eligibility(False, ALREADY_ALLOCATED, f"already allocated for audit in {month_label(month)}")
    if not case.team_eligible:
        return Eligibility(
            False, TEAM_NOT_ELIGIBLE, f"{case.team} is not one of the teams whose cases are audited"
        )
    if case.status == CLOSED:
        if case.closed_on is None:
            return Eligibility(False, CLOSED_TOO_LONG_AGO, "closed, and the register gives no closing date")
        if case.closed_on < closed_cutoff(month, settings):
            return Eligibility(
                False,
                CLOSED_TOO_LONG_AGO,
                f"closed on {long_date(case.closed_on)}, more than {settings.closed_within_days} days "
                f"before {long_date(month)}",
            )
    if case.last_audited_on is not None and case.last_audited_on >= audit_cutoff(month, settings):
        return Eligibility(
            False,
            AUDITED_RECENTLY,
            f"audited on {long_date(case.last_audited_on)}, within the "
            f"{settings.not_audited_within_months} months before {month_name(month)}",
        )
    if case.worker_id is None:
        return Eligibility(
            False,
            NO_ALLOCATED_WORKER,
            "no allocated worker: the audit is a discussion with the worker, and the auditor must be "
            "outside the worker's line management",
        )
    return None


def eligible_reason(case: CaseFacts, *, month: date, settings: AllocationSettings) -> str:
    if case.status == CLOSED and case.closed_on is not None:
        state = f"closed on {long_date(case.closed_on)}, within {settings.closed_within_days} days before"
        state += f" {long_date(month)}"
    else:
        state = "open"
    return (
        f"eligible: {state}, in {case.team} (whose cases are audited), and not audited in the "
        f"{settings.not_audited_within_months} months before {month_name(month)}"
    )


def hard_rule_breaches(case: CaseFacts, auditor: AuditorFacts) -> list[Breach]:
    """SEL-3's hard rules, which never relax: every one the pair breaks, each naming the people and
    the team."""
    breaches = []
    who = auditor.who
    if auditor.team_id is not None and auditor.team_id == case.team_id:
        breaches.append(Breach(SAME_TEAM, f"{who} is in {case.team}, the case's team"))
    if auditor.staff_id == case.worker_id:
        breaches.append(Breach(IS_WORKER, f"{who} is the case's allocated worker"))
    if auditor.staff_id in case.worker_chain:
        breaches.append(Breach(ABOVE_WORKER, f"{who} is above {case.worker} in line management"))
    if case.team_id in auditor.manages_team_ids:
        breaches.append(Breach(MANAGES_TEAM, f"{who} manages {case.team}"))
    return breaches


def may_audit(case: CaseFacts, auditor: AuditorFacts) -> bool:
    return not hard_rule_breaches(case, auditor)


def in_auditors_area(case: CaseFacts, auditor: AuditorFacts) -> bool:
    """SEL-3's soft rule. An auditor or a case with no area is never "in area" (CONTRACTS §1)."""
    return auditor.area is not None and auditor.area == case.area


def seeded_draw(case_ids: list[str], seed: int) -> dict[str, int]:
    """The seeded tie-break: each case's place in a random order fixed by the seed.

    A case's draw depends only on the seed and its own ID, so adding a case to the register
    does not reshuffle the others."""

    def ticket(case_id: str) -> bytes:
        return hashlib.blake2b(f"{seed}:{case_id}".encode(), digest_size=8).digest()

    ordered = sorted(case_ids, key=lambda case_id: (ticket(case_id), case_id))
    return {case_id: place for place, case_id in enumerate(ordered)}


def priority_text(case: CaseFacts, month: date) -> str:
    if case.last_audited_on is None:
        return "never audited"
    days = (month - case.last_audited_on).days
    return f"last audited on {long_date(case.last_audited_on)}, {days} days before {long_date(month)}"


def priority_key(case: CaseFacts, draw: int) -> tuple[int, int, int]:
    """Highest priority first: never audited, then longest since the last audit, then the draw."""
    if case.last_audited_on is None:
        return (0, 0, draw)
    return (1, case.last_audited_on.toordinal(), draw)
