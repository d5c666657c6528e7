"""ACT-2: the deadline rule of an audit's actions, without the database: 5 working days with
safeguarding concerns, else 4 weeks moved back to a working day; never before the audit date.
Dates worked by hand from the England and Wales calendar."""

import datetime

import holidays
from hypothesis import given, settings
from hypothesis import strategies as st

from caseaudit.audits.deadlines import DueRule, any_inadequate, due_date_problems, due_rule
from caseaudit.core.calendar import SUBDIVISIONS, WorkingCalendar

D = datetime.date
ENGLAND = WorkingCalendar()


def latest(day: datetime.date, *, safeguarding: bool, calendar: WorkingCalendar = ENGLAND) -> datetime.date:
    return due_rule(day, safeguarding=safeguarding, calendar=calendar).latest


def test_five_working_days_from_a_friday_before_a_bank_holiday_monday() -> None:
    # Friday 28 August 2026; Monday 31 August is the summer bank holiday: 1, 2, 3, 4, 7 September.
    assert latest(D(2026, 8, 28), safeguarding=True) == D(2026, 9, 7)
    # Friday 28 May 2027 before the spring bank holiday (31 May): 1, 2, 3, 4, 7 June.
    assert latest(D(2027, 5, 28), safeguarding=True) == D(2027, 6, 7)


def test_the_christmas_week_with_and_without_council_closure_days() -> None:
    # Wednesday 23 December 2026: 24; (25, 28 bank holidays) 29, 30, 31; (1 January) 4 January.
    assert latest(D(2026, 12, 23), safeguarding=True) == D(2027, 1, 4)
    closed = WorkingCalendar.of("england", [D(2026, 12, 29), D(2026, 12, 30), D(2026, 12, 31)])
    # The council closed between Christmas and New Year: 24 December, then 4, 5, 6, 7 January.
    assert latest(D(2026, 12, 23), safeguarding=True, calendar=closed) == D(2027, 1, 7)
    # 4 weeks from Monday 30 November 2026 is Monday 28 December (Boxing Day's substitute): back
    # past Christmas Day to Thursday 24 December.
    assert latest(D(2026, 11, 30), safeguarding=False) == D(2026, 12, 24)


def test_the_easter_week() -> None:
    # Thursday 25 March 2027; Good Friday 26 and Easter Monday 29 March: 30, 31 March, 1, 2, 5 April.
    assert latest(D(2027, 3, 25), safeguarding=True) == D(2027, 4, 5)
    # Scotland keeps Good Friday but not Easter Monday: 29, 30, 31 March, 1, 2 April.
    assert latest(D(2027, 3, 25), safeguarding=True, calendar=WorkingCalendar("scotland")) == D(2027, 4, 2)
    # 4 weeks from Monday 1 March 2027 is Monday 29 March, Easter Monday: back to Thursday 25 March.
    assert latest(D(2027, 3, 1), safeguarding=False) == D(2027, 3, 25)


def test_four_weeks_on_a_working_day_is_that_day() -> None:
    assert latest(D(2026, 12, 2), safeguarding=False) == D(2026, 12, 30)


def test_the_rule_says_why_and_by_when() -> None:
    rule = due_rule(D(2026, 12, 2), safeguarding=True, calendar=ENGLAND)
    assert rule.explanation == (
        "With safeguarding concerns, every action is due within 5 working days of 2 December 2026: "
        "by 9 December 2026 at the latest."
    )
    assert "within 4 weeks of 2 December 2026: by 30 December 2026, unless you give a reason" in (
        due_rule(D(2026, 12, 2), safeguarding=False, calendar=ENGLAND).explanation
    )


def test_a_due_date_is_refused_before_the_audit_date_and_after_the_limit() -> None:
    four_weeks = due_rule(D(2026, 12, 2), safeguarding=False, calendar=ENGLAND)
    five_days = due_rule(D(2026, 12, 2), safeguarding=True, calendar=ENGLAND)

    def codes(rule: DueRule, due: datetime.date, reason: str = "") -> list[str]:
        return [p.code for p in due_date_problems(rule, index=1, due=due, reason=reason)]

    assert codes(four_weeks, D(2026, 12, 2)) == [] and codes(four_weeks, D(2026, 12, 30)) == []
    assert codes(four_weeks, D(2026, 12, 1)) == ["due_before_audit_date"]
    assert codes(four_weeks, D(2026, 12, 31)) == ["due_after_four_weeks"]
    assert codes(four_weeks, D(2027, 2, 1), "The family are abroad until the end of January") == []
    assert codes(five_days, D(2026, 12, 9)) == []
    assert codes(five_days, D(2026, 12, 10)) == ["due_after_safeguarding_limit"]
    assert codes(five_days, D(2026, 12, 10), "A reason never allows it") == ["due_after_safeguarding_limit"]
    [problem] = due_date_problems(five_days, index=1, due=D(2026, 12, 10), reason="")
    assert (problem.ref, problem.field) == ("actions[1]", "due_date")
    assert problem.message == (
        "Action 2: with safeguarding concerns it must be due within 5 working days, by 9 December 2026 "
        "at the latest"
    )


def test_any_grade_inadequate_counts() -> None:
    assert any_inadequate({"planning": "inadequate"}) and any_inadequate({}, "inadequate")
    assert not any_inadequate({"planning": "requires_improvement"}, "good")


# --- properties over many calendars ----------------------------------------------------------------


def _easter_monday(year: int) -> datetime.date:
    return next(
        day
        for day, name in holidays.country_holidays("GB", subdiv="ENG", years=year).items()
        if name == "Easter Monday"
    )


any_day = st.dates(min_value=D(2020, 1, 1), max_value=D(2035, 12, 31))
christmas = st.integers(2020, 2035).flatmap(
    lambda year: st.integers(-12, 12).map(lambda offset: D(year, 12, 25) + datetime.timedelta(offset))
)
easter = st.integers(2020, 2035).flatmap(
    lambda year: st.integers(-10, 10).map(lambda offset: _easter_monday(year) + datetime.timedelta(offset))
)
dates = st.one_of(any_day, christmas, easter)
calendars = st.builds(
    WorkingCalendar.of, st.sampled_from(sorted(SUBDIVISIONS)), st.frozensets(dates, max_size=8)
)


@given(start=dates, calendar=calendars)
@settings(max_examples=300, deadline=None)
def test_the_latest_date_is_a_working_day_within_the_rule(
    start: datetime.date, calendar: WorkingCalendar
) -> None:
    """Never on a weekend, a bank holiday or a closure day; with safeguarding concerns exactly 5
    working days on; otherwise the last working day on or before 4 weeks, after the audit date."""
    five = latest(start, safeguarding=True, calendar=calendar)
    four_weeks = latest(start, safeguarding=False, calendar=calendar)
    for day in (five, four_weeks):
        assert calendar.is_working_day(day) and day.weekday() < 5
        assert day not in calendar.closures
    assert calendar.between(start, five) == 5
    assert start < four_weeks <= start + datetime.timedelta(days=28)
    after = four_weeks + datetime.timedelta(days=1)
    while after <= start + datetime.timedelta(days=28):
        assert not calendar.is_working_day(after)
        after += datetime.timedelta(days=1)


@given(start=dates, due=dates, safeguarding=st.booleans(), reason=st.sampled_from(["", "Court date"]))
@settings(max_examples=300, deadline=None)
def test_a_due_date_is_allowed_exactly_when_the_rule_allows_it(
    start: datetime.date, due: datetime.date, safeguarding: bool, reason: str
) -> None:
    rule = due_rule(start, safeguarding=safeguarding, calendar=ENGLAND)
    allowed = start <= due and (due <= rule.latest or (not safeguarding and bool(reason)))
    assert (due_date_problems(rule, index=0, due=due, reason=reason) == []) is allowed
