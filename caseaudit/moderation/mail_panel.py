"""Mail of the moderation panel (MOD-4): the invitation with its calendar invite (.ics, the audits
app's Meeting writer: METHOD:REQUEST, a stable UID from `Panel.uid`, SEQUENCE raised on every
change, METHOD:CANCEL once cancelled; CONTRACTS §7), and the panel's decision.

Queued through the outbox in the writer's transaction. Like all audit mail it never names the
child: case IDs, teams and links to the pages, which check permission and log the view. The
people of an audit are written to only while they may see it (audits.mail.audit_mail_recipients)."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.urls import reverse
from django.utils import timezone

from caseaudit.audits.ics import Attendee, Meeting, ics_mimetype, meeting_ics
from caseaudit.audits.mail import SIGNATURE, audit_mail_recipients
from caseaudit.audits.models import Audit
from caseaudit.core.calendar import long_datetime, time_span
from caseaudit.core.mail_text import site_url
from caseaudit.core.outbox import outbox_enqueue
from caseaudit.moderation.models import Panel, PanelAudit
from caseaudit.org.models import Staff


@dataclass
class Invitee:
    """One person the panel invites, and the audits they are invited for (why, in words)."""

    staff: Staff
    roles: list[str] = field(default_factory=list)  # "chair", "auditor of case C-1", …
    audits: list[Audit] = field(default_factory=list)


def panel_invitees(*, panel: Panel, audits: list[Audit]) -> list[Invitee]:
    """The chair, then for each audit its auditor, worker and the worker's practice manager, each
    once (those who may see the audit and can be written to)."""
    found: dict[int, Invitee] = {}
    chair = panel.chair
    if chair.is_active and chair.email:
        found[chair.pk] = Invitee(chair, ["the chair"], list(audits))
    for audit in audits:
        case_id = audit.case.case_id
        named = {
            audit.auditor_id: "auditor",
            audit.worker_id: "worker",
            audit.practice_manager_id: "practice manager",
        }
        people = [audit.auditor, audit.worker, audit.practice_manager]
        for person in audit_mail_recipients(audit=audit, people=people):
            invitee = found.setdefault(person.pk, Invitee(person))
            invitee.roles.append(f"{named.get(person.pk, 'invited')} for case {case_id}")
            if audit not in invitee.audits:
                invitee.audits.append(audit)
    return list(found.values())


def panel_meeting(
    *, panel: Panel, invitees: list[Invitee], organizer: Staff | None, stamp: datetime
) -> Meeting:
    chair = panel.chair
    lines = [
        "The audit moderation panel considers the sampled audits and records its final decision on each.",
        f"Chair: {chair.name}",
    ]
    if panel.location and panel.online_link:
        lines.append(f"Place: {panel.location}")
    if panel.online_link:
        lines.append(f"Join online: {panel.online_link}")
    lines.append(f"The panel in caseaudit: {site_url(reverse('moderation:panel', args=[panel.pk]))}")
    host = organizer if organizer is not None and organizer.email else chair
    attendees = tuple(
        Attendee(person.staff.name, person.staff.email, role="CHAIR")
        if person.staff.pk == chair.pk
        else Attendee(person.staff.name, person.staff.email)
        for person in invitees
    )
    return Meeting(
        uid=f"{panel.uid}@caseaudit",
        sequence=panel.sequence,
        starts_at=panel.starts_at,
        ends_at=panel.starts_at + timedelta(minutes=panel.minutes),
        summary="Audit moderation panel",
        description="\n".join(lines),
        location=panel.location or panel.online_link,
        organizer=Attendee(host.name, host.email),
        attendees=attendees,
        stamp=stamp,
        cancelled=panel.cancelled,
    )


def panel_when(panel: Panel) -> str:
    return time_span(panel.starts_at, panel.starts_at + timedelta(minutes=panel.minutes))


def panel_invites_enqueue(
    *,
    panel: Panel,
    invitees: list[Invitee],
    organizer: Staff | None,
    headline: str,
    cancelled_for: Sequence[Invitee] = (),
) -> None:
    """One message to each invitee with the invite attached; `cancelled_for` (people no longer
    invited after a change) get METHOD:CANCEL of the same meeting."""
    stamp = timezone.now()
    meeting = panel_meeting(panel=panel, invitees=invitees, organizer=organizer, stamp=stamp)
    for person in invitees:
        _invite(panel, person, meeting, headline=headline)
    if cancelled_for:
        dropped = Panel(
            pk=panel.pk,
            uid=panel.uid,
            sequence=panel.sequence,
            starts_at=panel.starts_at,
            minutes=panel.minutes,
            chair=panel.chair,
            location=panel.location,
            online_link=panel.online_link,
            cancelled=True,
        )
        cancel = panel_meeting(panel=dropped, invitees=list(cancelled_for), organizer=organizer, stamp=stamp)
        for person in cancelled_for:
            _invite(dropped, person, cancel, headline="No longer needed")


def _invite(panel: Panel, person: Invitee, meeting: Meeting, *, headline: str) -> None:
    lines = [
        f"Dear {person.staff.name},",
        "",
        f"{headline}: the audit moderation panel, {panel_when(panel)} (UK time).",
        "",
    ]
    if panel.cancelled:
        lines.append("The calendar entry is cancelled.")
    else:
        if panel.location:
            lines.append(f"Where: {panel.location}")
        if panel.online_link:
            lines.append(f"Online: {panel.online_link}")
        lines.append(f"Chair: {panel.chair.name}")
        lines.append(f"You are invited as {', '.join(person.roles)}.")
        lines.append("The calendar invite is attached.")
    if person.audits:
        lines += ["", "Audits:"]
        lines += [
            f"- case {audit.case.case_id} ({audit.case.team.name}): "
            f"{site_url(reverse('audits:overview', args=[audit.pk]))}"
            for audit in person.audits
        ]
    lines += ["", f"The panel: {site_url(reverse('moderation:panel', args=[panel.pk]))}", "", SIGNATURE]
    outbox_enqueue(
        to=[person.staff.email],
        subject=f"{headline}: audit moderation panel, {long_datetime(panel.starts_at)}",
        body="\n".join(lines),
        attachments=[
            {
                "filename": "cancel.ics" if meeting.cancelled else "invite.ics",
                "content": meeting_ics(meeting),
                "mimetype": ics_mimetype(meeting),
            }
        ],
        related_type="panel",
        related_ref=str(panel.pk),
    )


def decision_recipients(*, audit: Audit) -> list[Staff]:
    """The auditor, the worker and the worker's practice manager, as far as they may see it."""
    return audit_mail_recipients(audit=audit, people=[audit.auditor, audit.worker, audit.practice_manager])


def panel_decided_mail_enqueue(*, entry: PanelAudit, people: list[Staff], changes: int) -> None:
    """The panel's final decision, to the auditor (first), copied to the worker and practice manager."""
    if not people:
        return
    audit = entry.audit
    case = audit.case
    outcome = (
        "confirmed the audit's grades"
        if entry.decision == PanelAudit.Decision.CONFIRMED
        else f"changed {changes} grade{'s' if changes != 1 else ''}"
    )
    lines = [
        f"Dear {people[0].name},",
        "",
        f"The audit moderation panel has {outcome} on the audit of case {case.case_id} ({case.team.name}). "
        "Its decision is final.",
        "",
        "Read the decision and its reason on the audit:",
        site_url(reverse("audits:overview", args=[audit.pk]) + "#moderation-panel"),
        "",
        SIGNATURE,
    ]
    outbox_enqueue(
        to=[people[0].email],
        cc=[person.email for person in people[1:]],
        subject=f"Moderation panel decision: case {case.case_id}",
        body="\n".join(lines),
        related_type="audit",
        related_ref=str(audit.pk),
    )
