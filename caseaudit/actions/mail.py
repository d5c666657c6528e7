"""Mail of actions and escalations (ACT-1, ACT-3, ESC-1), queued in the writer's transaction
through the outbox and sent after commit (CONTRACTS §7). As all mail about an audit: never the
child's name nor the action's words, only the case ID, the team, what happened, the dates and a
link to the page, which checks permission and logs the view."""

from collections.abc import Iterable

from django.urls import reverse

from caseaudit.actions.models import Escalation
from caseaudit.audits.mail import SIGNATURE
from caseaudit.audits.models import AuditAction
from caseaudit.core.calendar import long_date
from caseaudit.core.mail_text import site_url
from caseaudit.core.outbox import outbox_enqueue
from caseaudit.org.models import Staff


def _case(action: AuditAction) -> str:
    case = action.audit.case
    return f"case {case.case_id} ({case.team.name})"


def _people(people: Iterable[Staff | None]) -> list[Staff]:
    """Each active person with an email address, once."""
    chosen: dict[int, Staff] = {}
    for person in people:
        if person is not None and person.is_active and person.email and person.pk not in chosen:
            chosen[person.pk] = person
    return list(chosen.values())


def send_people(
    people: Iterable[Staff | None],
    *,
    subject: str,
    lines: list[str],
    kind: str,
    ref: int,
    cc: Iterable[Staff | None] = (),
) -> int:
    """One message to each active person (by name), the `cc` people copied in; how many queued."""
    chosen = _people(people)
    copy = [person.email for person in _people(cc) if person.pk not in {p.pk for p in chosen}]
    for person in chosen:
        outbox_enqueue(
            to=[person.email],
            cc=copy,
            subject=subject,
            body="\n".join([f"Dear {person.name},", "", *lines, "", SIGNATURE]),
            related_type=kind,
            related_ref=str(ref),
        )
    return len(chosen)


def action_url(action: AuditAction) -> str:
    return site_url(reverse("actions:action", args=[action.pk]))


def action_status_mail_enqueue(
    *, action: AuditAction, people: Iterable[Staff | None], happened: str, by: str
) -> int:
    """The owner or the signer told that an action moved on (done, signed off, sent back,
    cancelled)."""
    return send_people(
        people,
        subject=f"Action {happened}: {_case(action)}",
        lines=[
            f"{by} has {happened_verb(happened)} an action of the audit of {_case(action)}, due "
            f"{long_date(action.due_date)}.",
            "",
            "Read the action and its notes:",
            action_url(action),
        ],
        kind="action",
        ref=action.pk,
    )


def happened_verb(happened: str) -> str:
    return {
        "done": "marked as done",
        "signed off": "signed off",
        "sent back": "sent back",
        "cancelled": "cancelled",
    }.get(happened, happened)


def action_reminder_mail_enqueue(*, action: AuditAction, kind: str, cc: Iterable[Staff | None] = ()) -> int:
    """ACT-3: the owner reminded before the due date, on the first working day after it, and while
    it stays overdue (their line manager in copy)."""
    due = long_date(action.due_date)
    if kind == "due_soon":
        subject, first = f"Action due {due}: {_case(action)}", f"An action you own is due by {due}."
    elif kind == "overdue":
        subject, first = (
            f"Action overdue: {_case(action)}",
            f"An action you own was due by {due} and is not done.",
        )
    else:
        subject, first = (
            f"Action still overdue: {_case(action)}",
            f"An action you own was due by {due} and is still not done. Your line manager is copied in.",
        )
    return send_people(
        [action.owner],
        subject=subject,
        lines=[
            first,
            f"It was raised by the audit of {_case(action)}.",
            "",
            "Add progress or mark it as done:",
            action_url(action),
        ],
        kind="action_reminder",
        ref=action.pk,
        cc=cc,
    )


def escalation_url(escalation: Escalation) -> str:
    return site_url(reverse("actions:escalation", args=[escalation.pk]))


def escalation_opened_mail_enqueue(*, escalation: Escalation, people: Iterable[Staff | None]) -> int:
    """ESC-1: an Inadequate grade; the worker's managers and QA told at once."""
    case = escalation.audit.case
    return send_people(
        people,
        subject=f"Escalation: an audit of case {case.case_id} is graded Inadequate",
        lines=[
            f"The audit of case {case.case_id} ({case.team.name}) is graded Inadequate, and an "
            "escalation has been opened so that the child's safety is reviewed.",
            f"Record what was done by {long_date(escalation.due_date)}.",
            "",
            "Read the audit and record the outcome:",
            escalation_url(escalation),
        ],
        kind="escalation",
        ref=escalation.pk,
    )


def escalation_overdue_mail_enqueue(*, escalation: Escalation, people: Iterable[Staff | None]) -> int:
    case = escalation.audit.case
    return send_people(
        people,
        subject=f"Escalation overdue: case {case.case_id}",
        lines=[
            f"The escalation of the Inadequate audit of case {case.case_id} ({case.team.name}) was "
            f"due by {long_date(escalation.due_date)} and has no recorded outcome.",
            "",
            "Record the outcome:",
            escalation_url(escalation),
        ],
        kind="escalation_reminder",
        ref=escalation.pk,
    )


def escalation_closed_mail_enqueue(*, escalation: Escalation, people: Iterable[Staff | None]) -> int:
    case = escalation.audit.case
    return send_people(
        people,
        subject=f"Escalation closed: case {case.case_id}",
        lines=[
            f"The escalation of the audit of case {case.case_id} ({case.team.name}) is closed: "
            f"{escalation.get_outcome_code_display().lower()}.",
            "",
            "Read the outcome:",
            escalation_url(escalation),
        ],
        kind="escalation",
        ref=escalation.pk,
    )
