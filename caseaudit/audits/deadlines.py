"""When an audit's actions must be done by (ACT-2, CONTRACTS §10), as pure functions over a
working calendar (core.calendar): no database.

Counted from the audit date (an action Stage 2 adds counts from the day it is added):
- where a grade of the audit (overall or any section) is Inadequate and the auditor has answered
  yes to "are there safeguarding concerns?", at most 5 working days, never later;
- otherwise at most 4 weeks: 28 days, moved back to the working day before when that is not a
  working day; later only with a recorded reason.
A due date is never before the date it counts from."""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

from caseaudit.core.calendar import WorkingCalendar, long_date
from caseaudit.core.problems import Problem

INADEQUATE = "inadequate"
SAFEGUARDING_WORKING_DAYS = 5
FOUR_WEEKS = datetime.timedelta(days=28)


def any_inadequate(grades: Mapping[str, str], overall: str = "") -> bool:
    """Whether any grade given (a section's, or the overall) is Inadequate."""
    return overall == INADEQUATE or INADEQUATE in grades.values()


@dataclass(frozen=True)
class DueRule:
    """The deadline rule for the actions of one audit."""

    counts_from: datetime.date
    latest: datetime.date  # the latest date allowed without a reason
    safeguarding: bool  # 5 working days, and never later

    @property
    def explanation(self) -> str:
        if self.safeguarding:
            return (
                f"With safeguarding concerns, every action is due within {SAFEGUARDING_WORKING_DAYS} "
                f"working days of {long_date(self.counts_from)}: by {long_date(self.latest)} at the latest."
            )
        return (
            f"Actions are due within 4 weeks of {long_date(self.counts_from)}: by "
            f"{long_date(self.latest)}, unless you give a reason for a later date."
        )


def due_rule(counts_from: datetime.date, *, safeguarding: bool, calendar: WorkingCalendar) -> DueRule:
    """The rule for actions counted from `counts_from` (the audit date); `safeguarding` when a grade
    is Inadequate and the auditor answered yes to safeguarding concerns."""
    if safeguarding:
        latest = calendar.after(counts_from, SAFEGUARDING_WORKING_DAYS)
    else:
        latest = max(calendar.on_or_before(counts_from + FOUR_WEEKS), counts_from)
    return DueRule(counts_from=counts_from, latest=latest, safeguarding=safeguarding)


def due_date_problems(rule: DueRule, *, index: int, due: datetime.date, reason: str) -> list[Problem]:
    """What refuses action `index` (0-based) being due on `due`, with `reason` for a later date."""
    ref, number = f"actions[{index}]", index + 1
    if due < rule.counts_from:
        return [
            Problem(
                ref,
                "due_date",
                f"Action {number}: the date it is due by must be on or after {long_date(rule.counts_from)}, "
                "the date it counts from",
                code="due_before_audit_date",
            )
        ]
    if due <= rule.latest:
        return []
    if rule.safeguarding:
        return [
            Problem(
                ref,
                "due_date",
                f"Action {number}: with safeguarding concerns it must be due within "
                f"{SAFEGUARDING_WORKING_DAYS} working days, by {long_date(rule.latest)} at the latest",
                code="due_after_safeguarding_limit",
            )
        ]
    if not reason.strip():
        return [
            Problem(
                ref,
                "due_date",
                f"Action {number}: it must be due within 4 weeks, by {long_date(rule.latest)}, or give a "
                "reason for a later date",
                code="due_after_four_weeks",
            )
        ]
    return []
