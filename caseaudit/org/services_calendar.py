"""The council's closure days (core.calendar counts them out of every working-day deadline):
added and removed by QA or an administrator, each change atomic with its audit-history row."""

import datetime
from typing import Any

from django.db import IntegrityError, transaction

from caseaudit.core.calendar import is_working_day, long_date
from caseaudit.core.problems import Problem, Refused
from caseaudit.core.services import audit_event_record, user_or_none
from caseaudit.org.models import ClosureDay
from caseaudit.org.selectors import authority_nation


class ClosureDayRefused(Refused):
    pass


def closure_day_add(*, actor: Any, day: datetime.date | None, name: str) -> ClosureDay:
    """Add a day the council is closed. Refused (every problem, field by field) without a date or
    a name, or on a day that is already not a working day (a weekend, a bank holiday, a closure
    day already kept)."""
    name = (name or "").strip()
    problems = []
    if day is None:
        problems.append(Problem("closure_day", "day", "Enter the date the council is closed"))
    elif not is_working_day(day, nation=authority_nation()):
        problems.append(
            Problem(
                "closure_day",
                "day",
                f"{long_date(day)} is already not a working day (a weekend or bank holiday)",
            )
        )
    if not name:
        problems.append(
            Problem("closure_day", "name", "Enter why the council is closed, e.g. Christmas closure")
        )
    elif len(name) > 100:
        problems.append(
            Problem("closure_day", "name", "Why the council is closed must be 100 characters or fewer")
        )
    if problems:
        raise ClosureDayRefused(problems)
    assert day is not None
    try:
        with transaction.atomic():
            closure = ClosureDay.objects.create(day=day, name=name, created_by=user_or_none(actor))
            audit_event_record(
                actor=actor,
                action="closure_day.added",
                object_type="closure_day",
                object_ref=day.isoformat(),
                summary=f"Closure day added: {long_date(day)} ({name})",
                changes={"day": [None, day.isoformat()], "name": [None, name]},
            )
    except IntegrityError:
        raise ClosureDayRefused(
            [Problem("closure_day", "day", f"{long_date(day)} is already a closure day")]
        ) from None
    return closure


def closure_day_remove(*, actor: Any, day: datetime.date) -> None:
    """Take a closure day out; deadlines already set keep their dates."""
    with transaction.atomic():
        closure = ClosureDay.objects.select_for_update().filter(day=day).first()
        if closure is None:
            raise ClosureDayRefused([Problem("closure_day", "day", f"{long_date(day)} is not a closure day")])
        closure.delete()
        audit_event_record(
            actor=actor,
            action="closure_day.removed",
            object_type="closure_day",
            object_ref=day.isoformat(),
            summary=f"Closure day removed: {long_date(day)} ({closure.name})",
            changes={"day": [day.isoformat(), None], "name": [closure.name, None]},
        )
