from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caseaudit.core.calendar import (
    is_working_day,
    long_date,
    on_or_before_working_day,
    working_days_after,
)


def test_easter_monday_is_a_bank_holiday_in_england_not_scotland() -> None:
    easter_monday_2027 = date(2027, 3, 29)
    assert not is_working_day(easter_monday_2027, nation="england")
    assert is_working_day(easter_monday_2027, nation="scotland")


def test_five_working_days_over_christmas() -> None:
    # Thu 24 Dec 2026; Fri 25 Dec, Mon 28 Dec (Boxing Day substitute) and Fri 1 Jan are bank
    # holidays: 29, 30, 31 Dec, 4 and 5 Jan are the five working days.
    assert working_days_after(date(2026, 12, 24), 5, nation="england") == date(2027, 1, 5)


def test_st_andrews_day_only_in_scotland() -> None:
    assert not is_working_day(date(2026, 11, 30), nation="scotland")
    assert is_working_day(date(2026, 11, 30), nation="england")


def test_due_date_moves_back_to_previous_working_day() -> None:
    # 21 March 2027 is a Sunday.
    assert on_or_before_working_day(date(2027, 3, 21)) == date(2027, 3, 19)
    assert on_or_before_working_day(date(2026, 12, 21)) == date(2026, 12, 21)


def test_unknown_nation_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown nation"):
        is_working_day(date(2026, 1, 5), nation="atlantis")


def test_long_date() -> None:
    assert long_date(date(2026, 12, 7)) == "7 December 2026"
    assert long_date(None) == ""


@given(st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31)), st.integers(0, 40))
def test_working_days_after_lands_on_a_working_day_and_counts_exactly(start: date, days: int) -> None:
    end = working_days_after(start, days)
    assert end >= start
    counted = sum(is_working_day(start + timedelta(days=i)) for i in range(1, (end - start).days + 1))
    assert counted == days
    if days:
        assert is_working_day(end)


def test_months_before_keeps_the_day_or_the_months_last_day() -> None:
    from caseaudit.core.calendar import month_start, months_before

    assert months_before(date(2026, 8, 31), 6) == date(2026, 2, 28)
    assert months_before(date(2026, 12, 1), 3) == date(2026, 9, 1)
    assert months_before(date(2026, 12, 1), -1) == date(2027, 1, 1)
    assert month_start(date(2026, 12, 7)) == date(2026, 12, 1)


def test_times_are_written_the_govuk_way_in_london_time() -> None:
    import datetime as dt

    from caseaudit.core.calendar import long_datetime, time_span

    utc = dt.UTC
    assert long_datetime(dt.datetime(2026, 12, 7, 14, 5, tzinfo=utc)) == "2:05pm on 7 December 2026"
    assert long_datetime(dt.datetime(2026, 7, 7, 11, 0, tzinfo=utc)) == "midday on 7 July 2026"  # BST
    assert long_datetime(None) == ""
    starts = dt.datetime(2026, 12, 7, 9, 30, tzinfo=utc)
    assert time_span(starts, starts + dt.timedelta(minutes=45)) == "9:30am to 10:15am on 7 December 2026"
