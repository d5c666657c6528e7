"""Supervision hand-over (ACT-4, CONTRACTS §10): the practice manager's agenda for a worker's next
supervision — every audit of their cases since the last recorded supervision (case, date, grade)
and every action not yet signed off — and the record of the supervision itself (the date, a note
per action), after which the agenda starts again. The same agenda is the JSON of
`GET /api/staff/{staff_id}/supervision-agenda` and a CSV, so the case-management system's own
supervision workflow can be filled from it.

Reads are scoped: an audit or action the reader may not see (a restricted case, for QA) is not in
their agenda."""

import csv
import datetime
import io
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from caseaudit.actions.models import Supervision, SupervisionActionNote
from caseaudit.actions.selectors import LIVE, action_visible_q
from caseaudit.actions.services import MAX_NOTE, ActionRefused
from caseaudit.audits.machines import AFTER_STAGE1
from caseaudit.audits.models import Audit, AuditAction
from caseaudit.audits.selectors import audit_visible_q
from caseaudit.core.calendar import long_date
from caseaudit.core.problems import Problem
from caseaudit.core.services import audit_event_record, user_or_none
from caseaudit.org.models import Staff


@dataclass(frozen=True)
class Agenda:
    worker: Staff
    since: datetime.date | None  # the last supervision's date; None: none recorded
    last: Supervision | None
    audits: list[Audit]
    actions: list[AuditAction]


def direct_reports(*, manager_pk: int) -> list[Staff]:
    """The people this manager supervises (their direct reports, active), by name."""
    return list(Staff.objects.filter(line_manager_id=manager_pk, is_active=True).order_by("name"))


def staff_for_supervision(*, user: Any, staff_id: str) -> Staff | None:
    """The worker, if `user` may read their supervision agenda."""
    worker = Staff.objects.select_related("line_manager").filter(staff_id=staff_id).first()
    return worker if worker is not None and user.has_perm("actions.view_supervision", worker) else None


def supervision_last(*, worker: Staff) -> Supervision | None:
    return (
        Supervision.objects.filter(worker=worker)
        .select_related("supervisor")
        .prefetch_related("action_notes__action")
        .order_by("-held_on", "-pk")
        .first()
    )


def supervision_agenda(*, user: Any, worker: Staff) -> Agenda:
    """The agenda of the worker's next supervision as `user` may see it (a fixed number of queries)."""
    last = supervision_last(worker=worker)
    since = last.held_on if last is not None else None
    audits = (
        Audit.objects.filter(audit_visible_q(user=user), worker=worker, status__in=AFTER_STAGE1)
        .select_related("case__team", "response__template_version")
        .order_by("audit_date", "pk")
    )
    if since is not None:
        audits = audits.filter(audit_date__gt=since)
    actions = (
        AuditAction.objects.filter(
            action_visible_q(user=user), audit__worker=worker, audit__status__in=AFTER_STAGE1, status__in=LIVE
        )
        .select_related("audit__case__team", "owner")
        .order_by("due_date", "pk")
    )
    return Agenda(worker=worker, since=since, last=last, audits=list(audits), actions=list(actions))


def agenda_json(agenda: Agenda) -> dict[str, Any]:
    """CONTRACTS §10's supervision agenda."""
    return {
        "staff_id": agenda.worker.staff_id,
        "since": agenda.since.isoformat() if agenda.since else None,
        "audits": [
            {
                "audit_id": audit.pk,
                "case_id": audit.case.case_id,
                "audit_type": audit.audit_type,
                "audit_date": audit.audit_date.isoformat() if audit.audit_date else None,
                "status": audit.status,
                "grade": audit.overall_grade,
            }
            for audit in agenda.audits
        ],
        "actions": [
            {
                "id": action.pk,
                "audit_id": action.audit_id,
                "case_id": action.audit.case.case_id,
                "what": action.what,
                "owner_id": action.owner.staff_id if action.owner else None,
                "due_date": action.due_date.isoformat(),
                "status": action.status,
            }
            for action in agenda.actions
        ],
    }


CSV_HEADER = ["kind", "id", "case_id", "date", "status", "grade_or_owner", "what"]


def agenda_csv(agenda: Agenda) -> str:
    """The agenda as one CSV: a row per audit, then a row per action."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    data = agenda_json(agenda)
    for audit in data["audits"]:
        writer.writerow(
            [
                "audit",
                audit["audit_id"],
                audit["case_id"],
                audit["audit_date"],
                audit["status"],
                audit["grade"],
                "",
            ]
        )
    for action in data["actions"]:
        writer.writerow(
            [
                "action",
                action["id"],
                action["case_id"],
                action["due_date"],
                action["status"],
                action["owner_id"] or "",
                _csv_safe(action["what"]),
            ]
        )
    return out.getvalue()


def _csv_safe(text: str) -> str:
    """A text cell a spreadsheet will not run as a formula."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def supervision_record(
    *,
    actor: Any,
    worker: Staff,
    held_on: datetime.date | None,
    note: str,
    action_notes: dict[int, str],
    today: datetime.date,
) -> Supervision:
    """Record the supervision: its date (not in the future), an overall note, and a note for each
    action of the agenda discussed (`{action id: note}`; blank notes are left out). Refused (422)
    with every problem, nothing saved."""
    if not actor.has_perm("actions.record_supervision", worker):
        raise PermissionDenied("Only the worker's line manager records their supervision.")
    problems = []
    if held_on is None:
        problems.append(Problem("supervision", "held_on", "Enter the date of the supervision"))
    elif held_on > today:
        problems.append(
            Problem("supervision", "held_on", "The date of the supervision must be today or in the past")
        )
    agenda = supervision_agenda(user=actor, worker=worker)
    if held_on is not None and agenda.since is not None and held_on < agenda.since:
        problems.append(
            Problem(
                "supervision",
                "held_on",
                f"The date must be on or after the last supervision recorded, {long_date(agenda.since)}",
            )
        )
    by_id = {action.pk: action for action in agenda.actions}
    notes = {int(key): (value or "").strip() for key, value in action_notes.items()}
    for action_id, text in notes.items():
        if action_id not in by_id:
            problems.append(
                Problem(f"actions[{action_id}]", "note", f"Action {action_id} is not on this agenda")
            )
        elif len(text) > MAX_NOTE:
            problems.append(
                Problem(f"actions[{action_id}]", "note", f"The note must be {MAX_NOTE} characters or fewer")
            )
    if len(note or "") > MAX_NOTE:
        problems.append(Problem("supervision", "note", f"The note must be {MAX_NOTE} characters or fewer"))
    if problems:
        raise ActionRefused(problems)
    assert held_on is not None
    supervisor = getattr(actor, "staff", None) or worker.line_manager
    with transaction.atomic():
        supervision = Supervision.objects.create(
            worker=worker,
            supervisor=supervisor,
            held_on=held_on,
            note=(note or "").strip(),
            recorded_by=user_or_none(actor),
        )
        rows = [
            SupervisionActionNote(
                supervision=supervision, action=by_id[action_id], status=by_id[action_id].status, note=text
            )
            for action_id, text in notes.items()
            if text
        ]
        SupervisionActionNote.objects.bulk_create(rows)
        audit_event_record(
            actor=actor,
            action="supervision.recorded",
            object_type="supervision",
            object_ref=str(supervision.pk),
            summary=f"Supervision of {worker.staff_id} on {held_on.isoformat()}: {len(rows)} action note(s)",
            changes={"actions": sorted(row.action_id for row in rows)},
        )
    return supervision
