"""Reminders (ACT-3, CONTRACTS §10), sent by `send_reminders` once a working day:

- to an open action's owner `reminder_working_days_before` working days before its due date
  (once: a run missed on that day sends it on the next, while the action is not yet due);
- on the first working day after the due date (once, whenever the run after it comes);
- then every `overdue_every_working_days` working days while it stays open, the owner's line
  manager in copy;
- an open escalation past its due date: on the first working day after it, then on the same
  rhythm, to the people it alerted.

Each reminder is a row unique by (action, kind, day) — (escalation, day) — inserted in the same
transaction as its mail: a rerun finds the row and sends nothing; two workers at once collide on
the unique constraint and only one sends (proved on PostgreSQL)."""

import datetime
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef

from caseaudit.actions.escalation import escalation_alerted
from caseaudit.actions.mail import action_reminder_mail_enqueue, escalation_overdue_mail_enqueue
from caseaudit.actions.models import ActionReminder, Escalation, EscalationReminder
from caseaudit.actions.selectors import action_settings
from caseaudit.audits.machines import AFTER_STAGE1
from caseaudit.audits.models import AuditAction
from caseaudit.core.calendar import (
    is_working_day,
    working_days_after,
    working_days_before,
    working_days_between,
)
from caseaudit.org.selectors import authority_nation

Kind = ActionReminder.Kind
BATCH = 2000


@dataclass
class ReminderRun:
    today: datetime.date
    sent: dict[str, int] = field(default_factory=lambda: dict.fromkeys([*Kind.values, "escalation"], 0))
    skipped: int = 0  # already sent (a rerun, or another worker)

    @property
    def total(self) -> int:
        return sum(self.sent.values())


def action_reminder_due(
    *,
    due_date: datetime.date,
    today: datetime.date,
    before: int,
    every: int,
    nation: str,
    sent_kinds: set[str],
) -> str | None:
    """The reminder an open action is owed today, if any (the schedule, without the database)."""
    if not is_working_day(today, nation=nation):
        return None
    if today <= due_date:
        if Kind.DUE_SOON not in sent_kinds and today >= working_days_before(due_date, before, nation=nation):
            return Kind.DUE_SOON
        return None
    first = working_days_after(due_date, 1, nation=nation)
    if Kind.OVERDUE not in sent_kinds:
        return Kind.OVERDUE
    since = working_days_between(first, today, nation=nation)
    if since > 0 and every > 0 and since % every == 0:
        return Kind.STILL_OVERDUE
    return None


def escalation_reminder_due(
    *, due_date: datetime.date, today: datetime.date, every: int, nation: str, sent_any: bool
) -> bool:
    if not is_working_day(today, nation=nation) or today <= due_date:
        return False
    if not sent_any:
        return True
    first = working_days_after(due_date, 1, nation=nation)
    since = working_days_between(first, today, nation=nation)
    return since > 0 and every > 0 and since % every == 0


def _send_one(action: AuditAction, kind: str, today: datetime.date) -> bool:
    try:
        with transaction.atomic():
            ActionReminder.objects.create(action=action, kind=kind, on=today)
            cc = [action.owner.line_manager] if kind == Kind.STILL_OVERDUE and action.owner else []
            action_reminder_mail_enqueue(action=action, kind=kind, cc=cc)
    except IntegrityError:
        return False
    return True


def reminders_send(*, today: datetime.date) -> ReminderRun:
    """Send today's reminders; see the module's docstring. Safe to run again and in parallel."""
    settings = action_settings()
    nation = authority_nation()
    run = ReminderRun(today=today)
    if not is_working_day(today, nation=nation):
        return run
    before = settings.reminder_working_days_before
    horizon = working_days_after(today, before, nation=nation)
    sent_today = ActionReminder.objects.filter(action=OuterRef("pk"), on=today)
    candidates = (
        AuditAction.objects.filter(
            status=AuditAction.Status.OPEN,
            audit__status__in=AFTER_STAGE1,
            owner__isnull=False,
            due_date__lte=horizon,
        )
        .exclude(Exists(sent_today))
        .select_related("owner__line_manager", "audit__case__team")
        .order_by("pk")
    )
    last = 0
    while True:
        batch = list(candidates.filter(pk__gt=last)[:BATCH])
        if not batch:
            break
        last = batch[-1].pk
        kinds: dict[int, set[str]] = {}
        for action_id, sent_kind in ActionReminder.objects.filter(
            action_id__in=[a.pk for a in batch], kind__in=[Kind.DUE_SOON, Kind.OVERDUE]
        ).values_list("action_id", "kind"):
            kinds.setdefault(action_id, set()).add(sent_kind)
        for action in batch:
            kind = action_reminder_due(
                due_date=action.due_date,
                today=today,
                before=before,
                every=settings.overdue_every_working_days,
                nation=nation,
                sent_kinds=kinds.get(action.pk, set()),
            )
            if kind is None:
                continue
            if _send_one(action, kind, today):
                run.sent[kind] += 1
            else:
                run.skipped += 1
    _escalations_send(run, every=settings.overdue_every_working_days, nation=nation)
    return run


def _escalations_send(run: ReminderRun, *, every: int, nation: str) -> None:
    overdue = Escalation.objects.filter(status=Escalation.Status.OPEN, due_date__lt=run.today).select_related(
        "audit__case__team", "audit__worker", "audit__practice_manager"
    )
    reminded = set(
        EscalationReminder.objects.filter(escalation__in=overdue).values_list("escalation_id", flat=True)
    )
    for escalation in overdue:
        if not escalation_reminder_due(
            due_date=escalation.due_date,
            today=run.today,
            every=every,
            nation=nation,
            sent_any=escalation.pk in reminded,
        ):
            continue
        try:
            with transaction.atomic():
                EscalationReminder.objects.create(escalation=escalation, on=run.today)
                escalation_overdue_mail_enqueue(
                    escalation=escalation, people=escalation_alerted(escalation.audit)
                )
        except IntegrityError:
            run.skipped += 1
            continue
        run.sent["escalation"] += 1
