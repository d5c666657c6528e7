"""Reminders (ACT-3, CONTRACTS §10), sent by `send_reminders` once a working day (the worker's
daily job, caseaudit/core/jobs.py, registered in receivers.py):

- to an open action's owner `reminder_working_days_before` working days before its due date
  (once: a run missed on that day sends it on the next, while the action is not yet due);
- on the first working day after the due date (once, whenever the run after it comes);
- then every `overdue_every_working_days` working days while it stays open, the owner's line
  manager in copy;
- an open escalation past its due date: on the first working day after it, then on the same
  rhythm, to the people it alerted.

Each reminder is a row unique by (action, kind, day) — (escalation, day) — inserted in the same
transaction as its mail: a rerun finds the row and sends nothing; two workers at once collide on
the unique constraint and only one sends (proved on PostgreSQL). Which reminder an action is owed
is decided from one read (the action and the reminders it has had, in the same statement), so two
runs decide alike and an action never gets two reminders of different kinds on one day."""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef

from caseaudit.actions.escalation import escalation_alerted
from caseaudit.actions.mail import action_reminder_mail_enqueue, escalation_overdue_mail_enqueue
from caseaudit.actions.models import ActionReminder, Escalation, EscalationReminder
from caseaudit.actions.selectors import action_settings
from caseaudit.audits.machines import AFTER_STAGE1
from caseaudit.audits.models import AuditAction
from caseaudit.core.calendar import WorkingCalendar
from caseaudit.org.selectors import working_calendar

Kind = ActionReminder.Kind
ESCALATION = "escalation"
KINDS = (*Kind.values, ESCALATION)
BATCH = 2000


@dataclass
class ReminderRun:
    today: datetime.date
    working_day: bool = True
    sent: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    # Owed today but already sent today: by an earlier run, or by another worker at the same time.
    skipped: int = 0
    # Sent (the row is kept, so never again) but nobody to mail: the owner is inactive or has no
    # email address.
    unmailed: int = 0

    @property
    def total(self) -> int:
        return sum(self.sent.values())

    def as_dict(self) -> dict[str, Any]:
        return {
            "today": self.today.isoformat(),
            "working_day": self.working_day,
            "sent": dict(self.sent),
            "total": self.total,
            "skipped": self.skipped,
            "unmailed": self.unmailed,
        }

    def summary(self) -> str:
        if not self.working_day:
            return f"{self.today.isoformat()} is not a working day: no reminders"
        sent = ", ".join(f"{kind.replace('_', ' ')} {count}" for kind, count in self.sent.items())
        text = f"reminders for {self.today.isoformat()}: sent {sent}; already sent {self.skipped}"
        return text + (f"; {self.unmailed} with nobody to mail" if self.unmailed else "")


def action_reminder_due(
    *,
    due_date: datetime.date,
    today: datetime.date,
    before: int,
    every: int,
    calendar: WorkingCalendar,
    sent_kinds: set[str],
) -> str | None:
    """The reminder an open action is owed today, if any (the schedule, without the database).
    `sent_kinds`: the kinds it has had on earlier days (only due_soon and overdue matter)."""
    if not calendar.is_working_day(today):
        return None
    if today <= due_date:
        if Kind.DUE_SOON not in sent_kinds and today >= calendar.before(due_date, before):
            return Kind.DUE_SOON
        return None
    if Kind.OVERDUE not in sent_kinds:
        return Kind.OVERDUE
    first = calendar.after(due_date, 1)
    since = calendar.between(first, today)
    if since > 0 and every > 0 and since % every == 0:
        return Kind.STILL_OVERDUE
    return None


def escalation_reminder_due(
    *, due_date: datetime.date, today: datetime.date, every: int, calendar: WorkingCalendar, sent_any: bool
) -> bool:
    """Whether an open escalation is owed a reminder today (`sent_any`: one on an earlier day)."""
    if not calendar.is_working_day(today) or today <= due_date:
        return False
    if not sent_any:
        return True
    first = calendar.after(due_date, 1)
    since = calendar.between(first, today)
    return since > 0 and every > 0 and since % every == 0


def _send_one(action: AuditAction, kind: str, today: datetime.date) -> int | None:
    """Record and mail one reminder; the number of messages queued, None when it was already sent."""
    try:
        with transaction.atomic():
            ActionReminder.objects.create(action=action, kind=kind, on=today)
            owner = action.owner
            cc = [owner.line_manager] if kind == Kind.STILL_OVERDUE and owner is not None else []
            return action_reminder_mail_enqueue(action=action, kind=kind, cc=cc)
    except IntegrityError:
        return None


def _had(kind: str) -> Exists:
    return Exists(ActionReminder.objects.filter(action=OuterRef("pk"), kind=kind))


def reminders_send(*, today: datetime.date) -> ReminderRun:
    """Send today's reminders; see the module's docstring. Safe to run again and in parallel."""
    settings = action_settings()
    calendar = working_calendar()
    run = ReminderRun(today=today)
    if not calendar.is_working_day(today):
        run.working_day = False
        return run
    before = settings.reminder_working_days_before
    every = settings.overdue_every_working_days
    # Nothing due later than this can be owed a reminder today (it is not yet due soon).
    horizon = calendar.after(today, before)
    owed = AuditAction.objects.filter(
        status=AuditAction.Status.OPEN,
        audit__status__in=AFTER_STAGE1,
        owner__isnull=False,
        due_date__lte=horizon,
    )
    sent_today = Exists(ActionReminder.objects.filter(action=OuterRef("pk"), on=today))
    run.skipped = owed.filter(sent_today).count()
    candidates = (
        owed.exclude(sent_today)
        .annotate(had_due_soon=_had(Kind.DUE_SOON), had_overdue=_had(Kind.OVERDUE))
        .select_related("owner__line_manager", "audit__case__team")
        .order_by("pk")
    )
    last = 0
    while True:
        batch = list(candidates.filter(pk__gt=last)[:BATCH])
        if not batch:
            break
        last = batch[-1].pk
        for action in batch:
            had: set[str] = {Kind.DUE_SOON} if action.had_due_soon else set()
            if action.had_overdue:
                had.add(Kind.OVERDUE)
            kind = action_reminder_due(
                due_date=action.due_date,
                today=today,
                before=before,
                every=every,
                calendar=calendar,
                sent_kinds=had,
            )
            if kind is None:
                continue
            mailed = _send_one(action, kind, today)
            if mailed is None:
                run.skipped += 1
                continue
            run.sent[kind] += 1
            run.unmailed += mailed == 0
    _escalations_send(run, every=every, calendar=calendar)
    return run


def _escalations_send(run: ReminderRun, *, every: int, calendar: WorkingCalendar) -> None:
    reminders = EscalationReminder.objects.filter(escalation=OuterRef("pk"))
    overdue = (
        Escalation.objects.filter(status=Escalation.Status.OPEN, due_date__lt=run.today)
        .annotate(
            reminded=Exists(reminders.filter(on__lt=run.today)),
            reminded_today=Exists(reminders.filter(on=run.today)),
        )
        .select_related("audit__case__team", "audit__worker", "audit__practice_manager")
        .order_by("pk")
    )
    for escalation in overdue:
        if not escalation_reminder_due(
            due_date=escalation.due_date,
            today=run.today,
            every=every,
            calendar=calendar,
            sent_any=escalation.reminded,
        ):
            continue
        if escalation.reminded_today:
            run.skipped += 1
            continue
        try:
            with transaction.atomic():
                EscalationReminder.objects.create(escalation=escalation, on=run.today)
                mailed = escalation_overdue_mail_enqueue(
                    escalation=escalation, people=escalation_alerted(escalation.audit)
                )
        except IntegrityError:
            run.skipped += 1
            continue
        run.sent[ESCALATION] += 1
        run.unmailed += mailed == 0
