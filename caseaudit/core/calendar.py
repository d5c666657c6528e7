"""Working days: weekends and the bank holidays of the authority's nation (ACT-2, AUD-5).

Pure functions over a nation code; `holidays` needs the UK subdivision, because plain "GB"
lacks Easter Monday and other regional bank holidays (STACK-NOTES)."""

from datetime import date, timedelta
from functools import lru_cache

import holidays

SUBDIVISIONS = {"england": "ENG", "wales": "WLS", "scotland": "SCT", "northern_ireland": "NIR"}


@lru_cache(maxsize=64)
def _bank_holidays(nation: str, year: int) -> frozenset[date]:
    subdiv = SUBDIVISIONS.get(nation)
    if subdiv is None:
        raise ValueError(f"unknown nation {nation!r}; expected one of {sorted(SUBDIVISIONS)}")
    return frozenset(holidays.country_holidays("GB", subdiv=subdiv, years=year).keys())


def is_working_day(day: date, *, nation: str = "england") -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(nation, day.year)


def working_days_after(start: date, days: int, *, nation: str = "england") -> date:
    """The date `days` working days after `start` (start itself not counted)."""
    if days < 0:
        raise ValueError("days must not be negative")
    current = start
    remaining = days
    while remaining:
        current += timedelta(days=1)
        if is_working_day(current, nation=nation):
            remaining -= 1
    return current


def on_or_before_working_day(day: date, *, nation: str = "england") -> date:
    """`day` if it is a working day, else the working day before it."""
    while not is_working_day(day, nation=nation):
        day -= timedelta(days=1)
    return day


def long_date(value: date | None) -> str:
    """Dates as GOV.UK writes them: 7 December 2026."""
    return f"{value.day} {value:%B %Y}" if value else ""
