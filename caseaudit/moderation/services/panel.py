"""The audit moderation panel (MOD-4, CONTRACTS §9): QA draw each quarter's sample of the panel
types' final audits, schedule panels with a chair and invite the people of each audit; the chair
records the panel's decision on each audit, confirmed or changed (grades through
audits.services_grades, capped by the Stage 1 limiting judgements), which is final.

Each write runs in one transaction with its audit-history rows, its mail (outbox) and alerts."""

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from caseaudit.audits.machines import PANEL
from caseaudit.core.calendar import long_datetime
from caseaudit.core.problems import Problem, Refused
from caseaudit.core.services import audit_event_record, user_or_none
from caseaudit.moderation.mail_panel import (
    Invitee,
    panel_invitees,
    panel_invites_enqueue,
)
from caseaudit.moderation.models import AuditAlert, Panel, PanelAudit
from caseaudit.moderation.selectors_panel import (
    panel_chair_get,
)
from caseaudit.org.models import Staff

MIN_DURATION, MAX_DURATION = 15, 480
MAX_LOCATION = 300
MAX_SEED = 2**63 - 1
REASON_MAX = 5000


class PanelRefused(Refused):
    """Refused by a rule (422): every problem, each naming its field."""


def issue(field: str | None, message: str, ref: str = "panel") -> Problem:
    return Problem(ref, field, message)


def _staff_of(actor: Any) -> Staff | None:
    staff = getattr(actor, "staff", None) if actor is not None else None
    return staff if isinstance(staff, Staff) else None


def panel_require(actor: Any, perm: str, *, message: str) -> None:
    """The services check again what the views and the API check (defence in depth)."""
    if actor is None or not actor.has_perm(perm):
        raise PermissionDenied(message)


# --- scheduling ---------------------------------------------------------------------------


def meeting_problems(
    *, starts_at: datetime, duration_minutes: int, location: str, online_link: str, now: datetime
) -> list[Problem]:
    problems = []
    if starts_at.tzinfo is None or starts_at.utcoffset() is None:
        problems.append(issue("date", "Give the date and time with its UTC offset."))
    elif starts_at <= now:
        problems.append(issue("date", "The date and time of the panel must be in the future."))
    if not MIN_DURATION <= duration_minutes <= MAX_DURATION:
        problems.append(
            issue("duration_minutes", f"The duration must be {MIN_DURATION} to {MAX_DURATION} minutes.")
        )
    if not location and not online_link:
        problems.append(issue("location", "Enter the place of the panel, or a link to join it online."))
    if len(location) > MAX_LOCATION:
        problems.append(issue("location", f"The place must be {MAX_LOCATION} characters or fewer."))
    if online_link:
        try:
            URLValidator(schemes=["https", "http"])(online_link)
        except ValidationError:
            problems.append(issue("online_link", "Enter the online link as a web address, like https://…"))
    return problems


def _entries_for(audit_ids: list[int], panel: Panel | None) -> tuple[list[PanelAudit], list[Problem]]:
    """The sampled audits to put on `panel` (new when None), locked; problems for the others."""
    problems = []
    ids = list(dict.fromkeys(audit_ids))
    if not ids:
        problems.append(issue("audit_ids", "Choose at least one sampled audit for the panel."))
    entries = {
        entry.audit_id: entry
        for entry in PanelAudit.objects.select_for_update(of=("self",))
        .filter(audit_id__in=ids)
        .select_related("audit__case__team", "audit__auditor", "audit__worker", "audit__practice_manager")
    }
    chosen = []
    for audit_id in ids:
        entry = entries.get(audit_id)
        free = entry is not None and (
            entry.panel_id is None or (panel is not None and entry.panel_id == panel.pk)
        )
        if entry is None or not free or entry.decision or entry.audit.status != PANEL:
            problems.append(
                issue(
                    "audit_ids",
                    f"Audit {audit_id} is not a sampled audit waiting for a panel.",
                    str(audit_id),
                )
            )
        else:
            chosen.append(entry)
    return chosen, problems


def _chair(chair_id: str, problems: list[Problem]) -> Staff | None:
    chair = panel_chair_get(staff_id=(chair_id or "").strip())
    if chair is None:
        problems.append(
            issue("chair_id", "Choose a panel chair: an active member of staff with the panel chair role.")
        )
    return chair


def _alert(invitees: list[Invitee], panel: Panel, text: str) -> None:
    AuditAlert.objects.bulk_create(
        AuditAlert(audit=audit, staff=person.staff, kind=AuditAlert.Kind.PANEL_INVITED, text=text)
        for person in invitees
        for audit in person.audits
    )


def panel_schedule(
    *,
    actor: Any,
    starts_at: datetime,
    chair_id: str,
    audit_ids: list[int],
    duration_minutes: int = 120,
    location: str = "",
    online_link: str = "",
) -> Panel:
    """A panel for sampled audits: the chair and each audit's auditor, worker and practice manager
    invited (mail with .ics, an alert on their home page)."""
    panel_require(actor, "moderation.manage_panels", message="Only QA schedule the moderation panel.")
    location, online_link = (location or "").strip(), (online_link or "").strip()
    problems = meeting_problems(
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        location=location,
        online_link=online_link,
        now=timezone.now(),
    )
    chair = _chair(chair_id, problems)
    with transaction.atomic():
        entries, entry_problems = _entries_for(audit_ids, None)
        problems += entry_problems
        if problems:
            raise PanelRefused(problems)
        assert chair is not None
        panel = Panel.objects.create(
            starts_at=starts_at,
            minutes=duration_minutes,
            chair=chair,
            location=location,
            online_link=online_link,
            created_by=user_or_none(actor),
        )
        for entry in entries:
            entry.panel = panel
            entry.save(update_fields=["panel"])
        audits = [entry.audit for entry in entries]
        invitees = panel_invitees(panel=panel, audits=audits)
        audit_event_record(
            actor=actor,
            action="panel.scheduled",
            object_type="panel",
            object_ref=str(panel.pk),
            summary=f"Moderation panel scheduled for {long_datetime(starts_at)}, chaired by {chair.name}",
            changes={
                "uid": str(panel.uid),
                "sequence": panel.sequence,
                "starts_at": starts_at.isoformat(),
                "chair": chair.staff_id,
                "audits": [audit.pk for audit in audits],
            },
        )
        _alert(invitees, panel, f"Invited to the moderation panel at {long_datetime(starts_at)}.")
        panel_invites_enqueue(
            panel=panel, invitees=invitees, organizer=_staff_of(actor), headline="Invitation"
        )
    return panel


def _locked_panel(panel: Panel) -> Panel:
    locked = Panel.objects.select_for_update().select_related("chair").get(pk=panel.pk)
    if locked.cancelled:
        raise PanelRefused([issue(None, "The panel has been cancelled.")])
    return locked


def panel_reschedule(
    *,
    actor: Any,
    panel: Panel,
    starts_at: datetime,
    chair_id: str,
    audit_ids: list[int],
    duration_minutes: int = 120,
    location: str = "",
    online_link: str = "",
) -> Panel:
    """Change the panel's time, place, chair or audits: SEQUENCE raised, the invite sent again to
    everyone invited (a cancellation to anyone no longer invited). Audits already decided stay."""
    panel_require(actor, "moderation.manage_panels", message="Only QA change the moderation panel.")
    location, online_link = (location or "").strip(), (online_link or "").strip()
    problems = meeting_problems(
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        location=location,
        online_link=online_link,
        now=timezone.now(),
    )
    chair = _chair(chair_id, problems)
    with transaction.atomic():
        panel = _locked_panel(panel)
        before = list(
            panel.audits.select_related(
                "audit__case__team", "audit__auditor", "audit__worker", "audit__practice_manager"
            )
        )
        decided = [entry for entry in before if entry.decision]
        wanted = [audit_id for audit_id in audit_ids if audit_id not in {e.audit_id for e in decided}]
        entries, entry_problems = _entries_for(wanted, panel) if wanted or not decided else ([], [])
        problems += entry_problems
        if problems:
            raise PanelRefused(problems)
        assert chair is not None
        old_invitees = panel_invitees(
            panel=panel, audits=[entry.audit for entry in before if not entry.decision]
        )
        keep = {entry.pk for entry in entries}
        for entry in before:
            if not entry.decision and entry.pk not in keep:
                entry.panel = None
                entry.save(update_fields=["panel"])
        for entry in entries:
            if entry.panel_id != panel.pk:
                entry.panel = panel
                entry.save(update_fields=["panel"])
        panel.starts_at, panel.minutes, panel.chair = starts_at, duration_minutes, chair
        panel.location, panel.online_link = location, online_link
        panel.sequence += 1
        panel.save()
        audits = [entry.audit for entry in entries]
        invitees = panel_invitees(panel=panel, audits=audits)
        still = {person.staff.pk for person in invitees}
        dropped = [person for person in old_invitees if person.staff.pk not in still]
        audit_event_record(
            actor=actor,
            action="panel.rescheduled",
            object_type="panel",
            object_ref=str(panel.pk),
            summary=f"Moderation panel changed: {long_datetime(starts_at)}, chaired by {chair.name}",
            changes={
                "uid": str(panel.uid),
                "sequence": panel.sequence,
                "starts_at": starts_at.isoformat(),
                "chair": chair.staff_id,
                "audits": [audit.pk for audit in audits],
            },
        )
        _alert(invitees, panel, f"The moderation panel is now at {long_datetime(starts_at)}.")
        panel_invites_enqueue(
            panel=panel,
            invitees=invitees,
            organizer=_staff_of(actor),
            headline="Changed",
            cancelled_for=dropped,
        )
    return panel


def panel_cancel(*, actor: Any, panel: Panel) -> Panel:
    """Cancel a panel that has decided nothing yet: METHOD:CANCEL to everyone invited; its audits
    wait for another panel."""
    panel_require(actor, "moderation.manage_panels", message="Only QA cancel the moderation panel.")
    with transaction.atomic():
        panel = _locked_panel(panel)
        entries = list(
            panel.audits.select_related(
                "audit__case__team", "audit__auditor", "audit__worker", "audit__practice_manager"
            )
        )
        if any(entry.decision for entry in entries):
            raise PanelRefused(
                [issue(None, "The panel has already decided an audit: it cannot be cancelled.")]
            )
        invitees = panel_invitees(panel=panel, audits=[entry.audit for entry in entries])
        for entry in entries:
            entry.panel = None
            entry.save(update_fields=["panel"])
        panel.cancelled = True
        panel.sequence += 1
        panel.save(update_fields=["cancelled", "sequence"])
        audit_event_record(
            actor=actor,
            action="panel.cancelled",
            object_type="panel",
            object_ref=str(panel.pk),
            summary=f"Moderation panel of {long_datetime(panel.starts_at)} cancelled",
            changes={"uid": str(panel.uid), "sequence": panel.sequence},
        )
        panel_invites_enqueue(
            panel=panel, invitees=invitees, organizer=_staff_of(actor), headline="Cancelled"
        )
    return panel
