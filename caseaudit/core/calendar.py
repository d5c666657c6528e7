"""The one home of dates: working days, month arithmetic and how dates and times are written.

Working days skip weekends, the bank holidays of the authority's nation and the council's own
closure days (ACT-2, AUD-5). Pure functions over a nation code and a set of closure days, or a
`WorkingCalendar` that carries both (org.selectors.working_calendar reads the authority's);
`holidays` needs the UK subdivision, because plain "GB" lacks Easter Monday and other regional
bank holidays (STACK-NOTES). Dates are written as GOV.UK writes them, times in Europe/London
(CONTRACTS §7)."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

import holidays
from django.utils import timezone

SUBDIVISIONS = {"england": "ENG", "wales": "WLS", "scotland": "SCT", "northern_ireland": "NIR"}


@lru_cache(maxsize=64)
def _bank_holidays(nation: str, year: int) -> frozenset[date]:
    subdiv = SUBDIVISIONS.get(nation)
    if subdiv is None:
        raise ValueError(f"unknown nation {nation!r}; expected one of {sorted(SUBDIVISIONS)}")
    return frozenset(holidays.country_holidays("GB", subdiv=subdiv, years=year).keys())


NO_CLOSURES: frozenset[date] = frozenset()


def is_working_day(day: date, *, nation: str = "england", closures: frozenset[date] = NO_CLOSURES) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(nation, day.year) and day not in closures


def working_days_after(
    start: date, days: int, *, nation: str = "england", closures: frozenset[date] = NO_CLOSURES
) -> date:
    """The date `days` working days after `start` (start itself not counted)."""
    if days < 0:
        raise ValueError("days must not be negative")
    current = start
    remaining = days
    while remaining:
        current += timedelta(days=1)
        if is_working_day(current, nation=nation, closures=closures):
            remaining -= 1
    return current


def working_days_before(
    day: date, days: int, *, nation: str = "england", closures: frozenset[date] = NO_CLOSURES
) -> date:
    """The date `days` working days before `day` (day itself not counted)."""
    if days < 0:
        raise ValueError("days must not be negative")
    current, remaining = day, days
    while remaining:
        current -= timedelta(days=1)
        if is_working_day(current, nation=nation, closures=closures):
            remaining -= 1
    return current


def working_days_between(
    start: date, end: date, *, nation: str = "england", closures: frozenset[date] = NO_CLOSURES
) -> int:
    """The working days after `start` up to and including `end` (0 when `end` is not after it)."""
    count, current = 0, start
    while current < end:
        current += timedelta(days=1)
        if is_working_day(current, nation=nation, closures=closures):
            count += 1
    return count


def on_or_before_working_day(
    day: date, *, nation: str = "england", closures: frozenset[date] = NO_CLOSURES
) -> date:
    """`day` if it is a working day, else the working day before it."""
    while not is_working_day(day, nation=nation, closures=closures):
        day -= timedelta(days=1)
    return day


@dataclass(frozen=True)
class WorkingCalendar:
    """An authority's working days: its nation's bank holidays and its own closure days."""

    nation: str = "england"
    closures: frozenset[date] = NO_CLOSURES

    @classmethod
    def of(cls, nation: str, closures: Iterable[date] = ()) -> "WorkingCalendar":
        return cls(nation=nation, closures=frozenset(closures))

    def is_working_day(self, day: date) -> bool:
        return is_working_day(day, nation=self.nation, closures=self.closures)

    def after(self, start: date, days: int) -> date:
        return working_days_after(start, days, nation=self.nation, closures=self.closures)

    def before(self, day: date, days: int) -> date:
        return working_days_before(day, days, nation=self.nation, closures=self.closures)

    def between(self, start: date, end: date) -> int:
        return working_days_between(start, end, nation=self.nation, closures=self.closures)

    def on_or_before(self, day: date) -> date:
        return on_or_before_working_day(day, nation=self.nation, closures=self.closures)


# --- months -------------------------------------------------------------------------------


def month_start(day: date) -> date:
    """The first day of `day`'s month."""
    return day.replace(day=1)


def months_before(day: date, months: int) -> date:
    """The same day `months` calendar months earlier (later when negative), on the month's last
    day where that month is shorter: 31 August less 6 months is 28 February."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    following = date(year + (month == 12), month % 12 + 1, 1)
    last_day = (following - timedelta(days=1)).day
    return date(year, month, min(day.day, last_day))


# --- how dates are written -----------------------------------------------------------------


@lru_cache(maxsize=8192)
def _long_date(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


def long_date(value: date | None) -> str:
    """Dates as GOV.UK writes them: 7 December 2026."""
    return _long_date(value) if value else ""


def month_name(month: date) -> str:
    """December."""
    return f"{month:%B}"


def month_label(month: date) -> str:
    """December 2026."""
    return f"{month:%B} {month.year}"


def clock_time(value: datetime) -> str:
    """14:05, in Europe/London (the 24-hour time people type into a time field)."""
    return f"{timezone.localtime(value):%H:%M}"


def time_of_day(value: datetime) -> str:
    """GOV.UK's style, in Europe/London: 2:05pm (midday and midnight by name)."""
    local = timezone.localtime(value)
    if (local.hour, local.minute) == (12, 0):
        return "midday"
    if (local.hour, local.minute) == (0, 0):
        return "midnight"
    return f"{local.hour % 12 or 12}:{local.minute:02d}{'am' if local.hour < 12 else 'pm'}"


def long_datetime(value: datetime | None) -> str:
    """2:05pm on 7 December 2026, in Europe/London."""
    if value is None:
        return ""
    return f"{time_of_day(value)} on {long_date(timezone.localtime(value).date())}"


def time_span(starts: datetime, ends: datetime) -> str:
    """2:30pm to 3:15pm on 7 December 2026 (a meeting within one day)."""
    return f"{time_of_day(starts)} to {time_of_day(ends)} on {long_date(timezone.localtime(starts).date())}"
