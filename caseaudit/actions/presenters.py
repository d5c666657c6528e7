"""Actions and escalations shaped for pages: the status as a GOV.UK tag, due dates and whether
late, who owns and who signs off, the history in words."""

import datetime
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone

from caseaudit.actions.models import ActionEvent, Escalation
from caseaudit.actions.rules import action_signer
from caseaudit.audits.models import AuditAction
from caseaudit.audits.presenters.records import person_name
from caseaudit.core.calendar import long_date, long_datetime

STATUS_TAGS: dict[str, str] = {
    AuditAction.Status.OPEN: "govuk-tag--blue",
    AuditAction.Status.DONE: "govuk-tag--yellow",
    AuditAction.Status.SIGNED_OFF: "govuk-tag--green",
    AuditAction.Status.CANCELLED: "govuk-tag--grey",
}


@dataclass(frozen=True)
class ActionRow:
    """One action in a list or on a page."""

    id: int
    href: str
    what: str
    impact: str
    case_id: str
    team: str
    audit_id: int
    owner: str
    owner_is_fallback: bool
    signer: str
    due: str
    overdue: bool
    status: str
    status_tag: str
    due_reason: str = ""

    @property
    def tag(self) -> dict[str, str]:
        text = "Overdue" if self.overdue else self.status
        classes = "govuk-tag--red" if self.overdue else self.status_tag
        return {"text": text, "classes": classes}


def action_row(action: AuditAction, *, today: datetime.date) -> ActionRow:
    signer = action_signer(action)
    return ActionRow(
        id=action.pk,
        href=reverse("actions:action", args=[action.pk]),
        what=action.what,
        impact=action.impact,
        case_id=action.audit.case.case_id,
        team=action.audit.case.team.name,
        audit_id=action.audit_id,
        owner=action.owner.name if action.owner else "No owner",
        owner_is_fallback=action.owner_is_fallback,
        signer=signer.name if signer else "No line manager recorded",
        due=long_date(action.due_date),
        overdue=action.status == AuditAction.Status.OPEN and action.due_date < today,
        status=action.get_status_display(),
        status_tag=STATUS_TAGS.get(action.status, ""),
        due_reason=action.due_reason,
    )


@dataclass(frozen=True)
class EventRow:
    what: str
    note: str
    by: str
    at: str


def event_rows(events: list[ActionEvent]) -> list[EventRow]:
    return [
        EventRow(
            what=event.get_kind_display(),
            note=event.note,
            by=person_name(event.by),
            at=long_datetime(event.at),
        )
        for event in events
    ]


@dataclass(frozen=True)
class EscalationRow:
    id: int
    href: str
    audit_id: int
    case_id: str
    team: str
    worker: str
    opened: str
    age_days: int
    due: str
    overdue: bool
    open: bool
    outcome: str = ""
    outcome_text: str = ""
    closed: str = ""
    closed_by: str = ""
    tag: dict[str, str] = field(default_factory=dict)


def escalation_row(escalation: Escalation, *, today: datetime.date) -> EscalationRow:
    is_open = escalation.status == Escalation.Status.OPEN
    overdue = is_open and escalation.due_date < today
    audit = escalation.audit
    return EscalationRow(
        id=escalation.pk,
        href=reverse("actions:escalation", args=[escalation.pk]),
        audit_id=audit.pk,
        case_id=audit.case.case_id,
        team=audit.case.team.name,
        worker=audit.worker.name if audit.worker else "Unallocated",
        opened=long_date(timezone.localdate(escalation.opened_at)),
        # how long it has been (or was) open
        age_days=(
            (timezone.localdate(escalation.closed_at) if escalation.closed_at else today)
            - timezone.localdate(escalation.opened_at)
        ).days,
        due=long_date(escalation.due_date),
        overdue=overdue,
        open=is_open,
        outcome=escalation.get_outcome_code_display() if escalation.outcome_code else "",
        outcome_text=escalation.outcome,
        closed=long_datetime(escalation.closed_at) if escalation.closed_at else "",
        closed_by=person_name(escalation.closed_by) if escalation.closed_by else "",
        tag={"text": "Overdue", "classes": "govuk-tag--red"}
        if overdue
        else (
            {"text": "Open", "classes": "govuk-tag--orange"}
            if is_open
            else {"text": "Closed", "classes": "govuk-tag--grey"}
        ),
    )
