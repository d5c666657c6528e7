"""Reminders (ACT-3, CONTRACTS §10): the schedule day by day over a simulated month, exactly the
mail expected each day (none on weekends and bank holidays: 25 and 28 December 2026 and 1 January
2027 in England), never twice, nothing once an action is done or cancelled, escalations' overdue
reminders, two runs at once on PostgreSQL; and properties of the working days they count on."""

import datetime
import json
import threading
from collections.abc import Iterator
from io import StringIO

import holidays
import pytest
from django.core.management import call_command
from django.db import connection
from hypothesis import given, settings
from hypothesis import strategies as st

from caseaudit.actions.escalation import escalation_close
from caseaudit.actions.models import ActionReminder, Escalation
from caseaudit.actions.reminders import (
    Kind,
    ReminderRun,
    action_reminder_due,
    escalation_reminder_due,
    reminders_send,
)
from caseaudit.actions.services import action_cancel, action_done, action_send_back
from caseaudit.actions.tests.helpers import action_items, audit_with_actions
from caseaudit.audits.models import Audit, AuditAction
from caseaudit.audits.services import audit_submit
from caseaudit.audits.tests.test_services_helpers import audit_of, complete, templates_load
from caseaudit.conftest import Authority, user_for
from caseaudit.core.calendar import (
    SUBDIVISIONS,
    WorkingCalendar,
    is_working_day,
    working_days_after,
    working_days_before,
    working_days_between,
)
from caseaudit.core.models import OutboxMessage

D = datetime.date
ONE_DAY = datetime.timedelta(days=1)
REMINDER_MAIL = ("action_reminder", "escalation_reminder")
# Action "A" is due on Christmas Eve, "B" on 30 December 2026 (the audit is of 2 December).
DUE = {"A": D(2026, 12, 24), "B": D(2026, 12, 30)}
# Worked by hand from the calendar (England; reminders 2 working days before, then every 5):
EXPECTED = {
    D(2026, 12, 22): {("A", "due_soon")},  # 2 working days before Thursday 24th: 23rd, 22nd
    D(2026, 12, 24): {("B", "due_soon")},  # before Wednesday 30th: 29th, (28th, 25th holidays) 24th
    D(2026, 12, 29): {("A", "overdue")},  # the first working day after the 24th
    D(2026, 12, 31): {("B", "overdue")},
    D(2027, 1, 6): {("A", "still_overdue")},  # 30, 31 Dec, (1 Jan holiday) 4, 5, 6 Jan
    D(2027, 1, 8): {("B", "still_overdue")},  # 4, 5, 6, 7, 8 Jan
    D(2027, 1, 13): {("A", "still_overdue")},
    D(2027, 1, 15): {("B", "still_overdue")},
    D(2027, 1, 20): {("A", "still_overdue")},
    D(2027, 1, 22): {("B", "still_overdue")},
    D(2027, 1, 27): {("A", "still_overdue")},
    D(2027, 1, 29): {("B", "still_overdue")},
}
START, END = D(2026, 12, 7), D(2027, 1, 31)


def days(start: datetime.date, end: datetime.date) -> Iterator[datetime.date]:
    day = start
    while day <= end:
        yield day
        day += ONE_DAY


def audit_with_dues(authority: Authority, dues: dict[str, datetime.date], *, grade: str = "good") -> Audit:
    """A submitted audit of SWA's case with one action per label, due as given (PMA owns them)."""
    templates_load()
    audit = audit_of(authority, "own_team")
    items = []
    for label, due in dues.items():
        item = action_items(1, due=due)[0]
        items.append(item | {"what": f"Action {label}: update the chronology"})
    complete(audit, grade=grade, actions=items)
    return audit_submit(actor=audit.auditor.user, audit=audit)


def labelled(audit: Audit) -> dict[str, AuditAction]:
    return {action.what.split(":")[0].removeprefix("Action "): action for action in audit.actions.all()}


def new_mail(after: int) -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(pk__gt=after, related_type__in=REMINDER_MAIL).order_by("pk"))


def last_pk() -> int:
    return OutboxMessage.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


@pytest.mark.django_db
def test_a_month_day_by_day_sends_exactly_the_expected_reminders(authority: Authority) -> None:
    audit = audit_with_dues(authority, DUE)
    by_pk = {action.pk: label for label, action in labelled(audit).items()}
    owner, line_manager = authority.people["practice_manager"], authority.people["group_manager_a"]
    for day in days(START, END):
        before = last_pk()
        run = reminders_send(today=day)
        mail = new_mail(before)
        rows = set(ActionReminder.objects.filter(on=day).values_list("action_id", "kind"))
        expected = EXPECTED.get(day, set())
        assert {(by_pk[pk], kind) for pk, kind in rows} == expected, day
        assert len(mail) == len(expected) == run.total, day
        assert run.working_day == is_working_day(day), day
        for message in mail:
            assert message.to == [owner.email]
            still = message.subject.startswith("Action still overdue")
            assert message.cc == ([line_manager.email] if still else []), day
            assert audit.case.child.name not in message.body
        # a rerun the same day sends nothing, and says what it skipped
        after = last_pk()
        again = reminders_send(today=day)
        assert again.total == 0 and again.skipped == len(expected), day
        assert not new_mail(after), day
    for holiday in (D(2026, 12, 25), D(2026, 12, 28), D(2027, 1, 1)):
        assert not ActionReminder.objects.filter(on=holiday).exists()
    assert not ActionReminder.objects.filter(on__week_day__in=[1, 7]).exists()  # Sunday, Saturday


@pytest.mark.django_db
def test_a_missed_run_is_caught_up_once_on_the_next_working_day(authority: Authority) -> None:
    """No run from 21 to 30 December: on the 31st A gets its overdue reminder (late) and B its
    own; neither gets the due-soon one it missed, which no longer helps."""
    audit = audit_with_dues(authority, DUE)
    actions = labelled(audit)
    run = reminders_send(today=D(2026, 12, 31))
    assert run.sent == {"due_soon": 0, "overdue": 2, "still_overdue": 0, "escalation": 0}
    # A's rhythm still counts from its first working day overdue (29 December): 6 January
    assert reminders_send(today=D(2027, 1, 5)).total == 0
    assert reminders_send(today=D(2027, 1, 6)).sent["still_overdue"] == 1
    assert set(ActionReminder.objects.values_list("action_id", "kind", "on")) == {
        (actions["A"].pk, "overdue", D(2026, 12, 31)),
        (actions["B"].pk, "overdue", D(2026, 12, 31)),
        (actions["A"].pk, "still_overdue", D(2027, 1, 6)),
    }


@pytest.mark.django_db
def test_an_action_done_or_cancelled_gets_nothing_more_and_one_sent_back_does(authority: Authority) -> None:
    audit = audit_with_dues(authority, {"A": D(2026, 12, 24), "B": D(2026, 12, 24)})
    actions = labelled(audit)
    for day in days(D(2026, 12, 21), D(2026, 12, 29)):
        reminders_send(today=day)
    assert ActionReminder.objects.filter(kind="overdue").count() == 2
    pma = user_for(authority, "practice_manager")
    action_done(actor=pma, action=actions["A"], note="Chronology brought up to date.")
    action_cancel(actor=user_for(authority, "qa_officer"), action=actions["B"], reason="Raised twice.")
    before = ActionReminder.objects.count()
    for day in days(D(2026, 12, 30), D(2027, 1, 31)):
        assert reminders_send(today=day).total == 0, day
    assert ActionReminder.objects.count() == before
    # sent back, A is open and overdue again: its reminders resume on their rhythm (13 January)
    action_send_back(actor=user_for(authority, "group_manager_a"), action=actions["A"], note="Not yet.")
    assert reminders_send(today=D(2027, 1, 12)).total == 0
    resumed = reminders_send(today=D(2027, 1, 13))
    assert resumed.sent["still_overdue"] == 1


@pytest.mark.django_db
def test_nothing_is_sent_before_submission_or_without_an_owner(authority: Authority) -> None:
    draft = audit_with_actions(authority, due=D(2026, 12, 24), submit=False)
    assert draft.actions.exists()
    assert reminders_send(today=D(2026, 12, 29)).total == 0
    audit = audit_submit(actor=draft.auditor.user, audit=draft)
    audit.actions.update(owner=None)
    assert reminders_send(today=D(2026, 12, 29)).total == 0


@pytest.mark.django_db
def test_an_owner_without_an_address_is_recorded_but_not_mailed(authority: Authority) -> None:
    audit_with_dues(authority, {"A": D(2026, 12, 24)})
    owner = authority.people["practice_manager"]
    owner.is_active = False
    owner.save()
    run = reminders_send(today=D(2026, 12, 29))
    assert run.sent["overdue"] == 1 and run.unmailed == 1
    assert not OutboxMessage.objects.filter(related_type="action_reminder").exists()
    assert reminders_send(today=D(2026, 12, 29)).total == 0


ESCALATION_DAYS = [
    D(2026, 12, 10),
    D(2026, 12, 17),
    D(2026, 12, 24),
    D(2027, 1, 5),
    D(2027, 1, 12),
    D(2027, 1, 19),
]


@pytest.mark.django_db
def test_an_overdue_escalation_is_reminded_on_its_rhythm_until_closed(authority: Authority) -> None:
    """Due 9 December (2 December + 5 working days): reminded on the 10th, then every 5 working
    days (17th; 24th; 29, 30, 31 December, 4, 5 January; 12 and 19 January), to everyone it alerted."""
    audit = audit_with_actions(authority, grade="inadequate")
    escalation = Escalation.objects.get(audit=audit)
    assert escalation.due_date == D(2026, 12, 9)
    alerted = {
        authority.people[key].email
        for key in ("practice_manager", "group_manager_a", "head_of_service", "qa_officer", "head_of_qa")
    }
    reminded = []
    for day in days(START, D(2027, 1, 20)):
        before = last_pk()
        run = reminders_send(today=day)
        mail = [m for m in new_mail(before) if m.related_type == "escalation_reminder"]
        if run.sent["escalation"]:
            reminded.append(day)
            assert {address for m in mail for address in m.to} == alerted, day
            assert all(m.related_ref == str(escalation.pk) for m in mail)
            assert audit.case.child.name not in mail[0].body
        else:
            assert not mail, day
        assert reminders_send(today=day).sent["escalation"] == 0, day
    assert reminded == ESCALATION_DAYS
    escalation_close(
        actor=user_for(authority, "head_of_service"),
        escalation=escalation,
        outcome_code="safety_plan_reviewed",
        outcome="The safety plan was reviewed with the family.",
    )
    assert reminders_send(today=D(2027, 1, 22)).sent["escalation"] == 0


@pytest.mark.django_db
def test_send_reminders_prints_what_it_sent_and_skipped(authority: Authority) -> None:
    audit_with_dues(authority, DUE)
    out = StringIO()
    call_command("send_reminders", "--today", "2026-12-29", stdout=out)
    # A overdue; B's due-soon reminder, missed on the 24th (no run), caught up while not yet due
    for line in ("due soon: 1 sent", "  overdue: 1 sent", "still overdue: 0 sent", "(already sent today): 0"):
        assert line in out.getvalue()
    out = StringIO()
    call_command("send_reminders", "--today", "2026-12-29", "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["total"] == 0 and data["skipped"] == 2 and data["working_day"] is True
    out = StringIO()
    call_command("send_reminders", "--today", "2026-12-25", stdout=out)
    assert "not a working day" in out.getvalue()
    with pytest.raises(Exception, match="YYYY-MM-DD"):
        call_command("send_reminders", "--today", "25/12/2026")


def test_the_run_reports_itself() -> None:
    run = ReminderRun(today=D(2026, 12, 29))
    run.sent["overdue"] = 2
    run.skipped = 1
    assert run.total == 2
    assert run.summary() == (
        "reminders for 2026-12-29: sent due soon 0, overdue 2, still overdue 0, escalation 0; already sent 1"
    )
    assert ReminderRun(today=D(2026, 12, 25), working_day=False).summary().endswith("no reminders")


# --- two runs at once (PostgreSQL) --------------------------------------------------------


def _at_once(day: datetime.date, workers: int = 2) -> list[ReminderRun]:
    barrier = threading.Barrier(workers)
    runs: list[ReminderRun] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            barrier.wait()
            runs.append(reminders_send(today=day))
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return runs


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's concurrent writers")
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_each_reminder_exactly_once(authority: Authority) -> None:
    audit = audit_with_actions(authority, grade="inadequate", due=D(2026, 12, 24))
    template = AuditAction.objects.filter(audit=audit).first()
    assert template is not None
    AuditAction.objects.bulk_create(
        [
            AuditAction(
                audit=audit,
                order=10 + n,
                what=f"Action {n}",
                owner=template.owner,
                due_date=DUE["A"] if n % 2 else DUE["B"],
                impact="The plan follows.",
            )
            for n in range(400)
        ]
    )
    actions = AuditAction.objects.filter(audit=audit).count()
    owed: dict[datetime.date, int] = {}
    for day in (D(2026, 12, 22), D(2026, 12, 24), D(2026, 12, 29), D(2026, 12, 31), D(2027, 1, 6)):
        mail_before = OutboxMessage.objects.filter(related_type="action_reminder").count()
        runs = _at_once(day, workers=3)
        rows = ActionReminder.objects.filter(on=day).count()
        mails = OutboxMessage.objects.filter(related_type="action_reminder").count() - mail_before
        sent = sum(run.sent[kind] for run in runs for kind in Kind.values)
        assert sent == rows == mails, (day, [run.as_dict() for run in runs])
        # each other run skipped what one sent, at most (found sent, or lost the race to insert it)
        escalations = sum(run.sent["escalation"] for run in runs)
        assert sum(run.skipped for run in runs) <= (len(runs) - 1) * (rows + escalations)
        owed[day] = rows
    # the helper's 2 actions and the odd ones are due on 24 December, the even ones on the 30th
    assert owed == {
        D(2026, 12, 22): 202,
        D(2026, 12, 24): 200,
        D(2026, 12, 29): 202,
        D(2026, 12, 31): 200,
        D(2027, 1, 6): 202,
    }
    assert actions == 402
    assert ActionReminder.objects.values("action", "on").distinct().count() == ActionReminder.objects.count()
    # the escalation (due 14 December) was reminded once on each of its days, not once per worker
    escalation = Escalation.objects.get(audit=audit)
    # Due 9 December: first reminded on the first run (22nd), then on its rhythm of every 5 working
    # days from the 10th (17th, 24th, 5 January): of the days run, the 24th.
    assert sorted(escalation.reminders.values_list("on", flat=True)) == [D(2026, 12, 22), D(2026, 12, 24)]
    assert OutboxMessage.objects.filter(related_type="escalation_reminder").count() == 2 * 5


# --- the schedule, without the database ---------------------------------------------------

nations = st.sampled_from(sorted(SUBDIVISIONS))
any_day = st.dates(min_value=D(2020, 1, 1), max_value=D(2035, 12, 31))


def _festive(year: int, month: int, day: int, spread: int) -> st.SearchStrategy[datetime.date]:
    return st.integers(-spread, spread).map(lambda offset: D(year, month, day) + datetime.timedelta(offset))


def _easter(year: int) -> datetime.date:
    return next(
        d for d, name in holidays.country_holidays("GB", subdiv="ENG", years=year).items() if "Easter" in name
    )


# Dates of the Christmas and Easter weeks of many years, and any date at all.
christmas = st.integers(2020, 2035).flatmap(lambda year: _festive(year, 12, 25, 10))
easter = st.integers(2020, 2035).flatmap(
    lambda year: st.integers(-8, 8).map(lambda offset: _easter(year) + datetime.timedelta(offset))
)
dates = st.one_of(any_day, christmas, easter)
# An authority's working days: its nation's bank holidays and, often, closure days of its own.
calendars = st.builds(WorkingCalendar.of, nations, st.frozensets(dates, max_size=6))


@given(due=dates, before=st.integers(0, 5), every=st.integers(1, 10), calendar=calendars)
@settings(max_examples=80, deadline=None)
def test_run_every_day_the_schedule_is_exactly_the_rule(
    due: datetime.date, before: int, every: int, calendar: WorkingCalendar
) -> None:
    """Run each day from 3 weeks before the due date to 10 weeks after: the due-soon reminder comes
    exactly `before` working days before, the overdue one on the first working day after, then one
    every `every` working days; nothing on other days, and never on a day off."""
    sent: dict[datetime.date, str] = {}
    for day in days(due - datetime.timedelta(21), due + datetime.timedelta(70)):
        kind = action_reminder_due(
            due_date=due,
            today=day,
            before=before,
            every=every,
            calendar=calendar,
            sent_kinds=set(sent.values()),
        )
        if kind is not None:
            assert calendar.is_working_day(day)
            sent[day] = kind
    first = calendar.after(due, 1)
    soon = calendar.before(due, before)  # the due day itself when before is 0
    expected = {first: "overdue"} | ({soon: "due_soon"} if calendar.is_working_day(soon) else {})
    day, last = first, due + datetime.timedelta(70)
    while (day := calendar.after(day, every)) <= last:
        expected[day] = "still_overdue"
    assert sent == expected


@given(today=dates, due=dates, before=st.integers(0, 5), calendar=calendars)
@settings(max_examples=200, deadline=None)
def test_what_is_due_soon_today_is_within_the_runs_horizon(
    today: datetime.date, due: datetime.date, before: int, calendar: WorkingCalendar
) -> None:
    """`reminders_send` reads only actions due by `before` working days after today: every
    due-soon reminder owed today is among them."""
    kind = action_reminder_due(
        due_date=due, today=today, before=before, every=5, calendar=calendar, sent_kinds=set()
    )
    if kind == Kind.DUE_SOON:
        assert due <= calendar.after(today, before)


@given(due=dates, today=dates, every=st.integers(1, 10), sent_any=st.booleans(), calendar=calendars)
@settings(max_examples=100, deadline=None)
def test_an_escalation_is_reminded_only_on_working_days_after_its_due_date(
    due: datetime.date, today: datetime.date, every: int, sent_any: bool, calendar: WorkingCalendar
) -> None:
    if escalation_reminder_due(due_date=due, today=today, every=every, calendar=calendar, sent_any=sent_any):
        assert today > due and calendar.is_working_day(today)
        first = calendar.after(due, 1)
        assert not sent_any or calendar.between(first, today) % every == 0


# --- the working days they count on (core.calendar) ---------------------------------------


@given(start=dates, n=st.integers(1, 30), nation=nations)
@settings(max_examples=200, deadline=None)
def test_working_days_after_and_before_land_on_working_days_and_invert(
    start: datetime.date, n: int, nation: str
) -> None:
    after = working_days_after(start, n, nation=nation)
    before = working_days_before(start, n, nation=nation)
    assert is_working_day(after, nation=nation) and is_working_day(before, nation=nation)
    assert before < start < after
    assert working_days_between(start, after, nation=nation) == n
    assert working_days_between(before, start, nation=nation) == n - (
        not is_working_day(start, nation=nation)
    )
    assert working_days_before(after, n, nation=nation) == on_or_before(start, nation)
    if is_working_day(start, nation=nation):
        assert working_days_after(before, n, nation=nation) == start


def on_or_before(day: datetime.date, nation: str) -> datetime.date:
    while not is_working_day(day, nation=nation):
        day -= ONE_DAY
    return day


@given(a=dates, first=st.integers(0, 400), second=st.integers(0, 400), nation=nations)
@settings(max_examples=200, deadline=None)
def test_working_days_between_counts_each_working_day_once(
    a: datetime.date, first: int, second: int, nation: str
) -> None:
    b = a + datetime.timedelta(days=first)
    c = b + datetime.timedelta(days=second)
    assert working_days_between(a, c, nation=nation) == working_days_between(
        a, b, nation=nation
    ) + working_days_between(b, c, nation=nation)
    assert working_days_between(a, b, nation=nation) == sum(
        is_working_day(day, nation=nation) for day in days(a + ONE_DAY, b)
    )
    assert working_days_between(c, a, nation=nation) == 0 or c == a
    if working_days_between(a, c, nation=nation):
        assert working_days_after(a, working_days_between(a, c, nation=nation), nation=nation) <= c


def _bank_holiday_mondays() -> list[datetime.date]:
    found = []
    for year in range(2020, 2036):
        for day in holidays.country_holidays("GB", subdiv="ENG", years=year):
            if day.weekday() == 0:
                found.append(day)
    return sorted(found)


@given(monday=st.sampled_from(_bank_holiday_mondays()))
def test_five_working_days_from_a_friday_before_a_bank_holiday_monday(monday: datetime.date) -> None:
    """Tuesday to Friday and the Monday after: 10 days on, unless another holiday is in the way
    (Christmas), when it is later still."""
    friday = monday - datetime.timedelta(days=3)
    five = working_days_after(friday, 5)
    others = [d for d in days(monday + ONE_DAY, friday + datetime.timedelta(10)) if not is_working_day(d)]
    weekend_only = all(d.weekday() >= 5 for d in others)
    if weekend_only:
        assert five == friday + datetime.timedelta(days=10)
    else:
        assert five > friday + datetime.timedelta(days=10)
    assert working_days_between(friday, five) == 5 and is_working_day(five)


def test_the_christmas_and_easter_weeks_by_hand() -> None:
    # Christmas 2026: Friday 25th and Monday 28th (for Boxing Day, a Saturday) are bank holidays
    assert working_days_after(D(2026, 12, 24), 1) == D(2026, 12, 29)
    assert working_days_after(D(2026, 12, 24), 5) == D(2027, 1, 5)  # 29, 30, 31, (1st) 4, 5
    assert working_days_before(D(2026, 12, 29), 1) == D(2026, 12, 24)
    assert working_days_before(D(2026, 12, 30), 2) == D(2026, 12, 24)
    assert working_days_between(D(2026, 12, 24), D(2027, 1, 4)) == 4
    # 5 working days from Friday 22 May 2026, before the spring bank holiday: Monday 1 June
    assert working_days_after(D(2026, 5, 22), 5) == D(2026, 6, 1)
    # Easter 2027: Good Friday 26 March, Easter Monday 29 March (not a holiday in Scotland)
    assert working_days_after(D(2027, 3, 25), 1) == D(2027, 3, 30)
    assert working_days_after(D(2027, 3, 25), 1, nation="scotland") == D(2027, 3, 29)
    assert working_days_before(D(2027, 3, 30), 1) == D(2027, 3, 25)
    assert working_days_between(D(2027, 3, 25), D(2027, 4, 1)) == 3
