"""The Stage 2 reflective discussion's calendar invite (MOD-1, CONTRACTS §7): the moderator
organises it with the group manager (the auditor), the worker's practice manager and the worker.
Built with the audits' one invite writer (audits.ics); the meeting keeps the Moderation's UID and
raises its SEQUENCE on every change; a cancelled meeting sends METHOD:CANCEL.

Invites are forwarded: they name the case ID and team, never the child."""

from datetime import datetime, timedelta

from django.urls import reverse

from caseaudit.audits.ics import Attendee, Meeting, ics_mimetype, meeting_ics
from caseaudit.audits.mail import SIGNATURE, audit_mail_recipients
from caseaudit.audits.models import Audit
from caseaudit.core.calendar import long_datetime, time_span
from caseaudit.core.mail_text import site_url
from caseaudit.core.outbox import outbox_enqueue
from caseaudit.moderation.models import Moderation
from caseaudit.org.models import Staff


def meeting_ends(moderation: Moderation) -> datetime:
    assert moderation.meeting_starts_at is not None
    return moderation.meeting_starts_at + timedelta(minutes=moderation.meeting_minutes)


def meeting_invitees(audit: Audit) -> list[Staff]:
    """The group manager who audited it, the worker's practice manager and the worker, each once,
    of those mail may go to."""
    worker = audit.worker if audit.worker_id is not None else audit.case.allocated_worker
    return audit_mail_recipients(audit=audit, people=[audit.auditor, audit.practice_manager, worker])


def stage2_meeting(
    moderation: Moderation, *, audit: Audit, invitees: list[Staff], stamp: datetime
) -> Meeting:
    moderator = moderation.moderator
    assert moderator is not None and moderation.meeting_starts_at is not None
    case = audit.case
    details = [
        f"Stage 2 reflective discussion of the audit of case {case.case_id} ({case.team.name}), "
        f"with {moderator.name} (moderator).",
    ]
    if moderation.meeting_location and moderation.meeting_link:
        details.append(f"Place: {moderation.meeting_location}")
    if moderation.meeting_link:
        details.append(f"Join online: {moderation.meeting_link}")
    details.append(f"The audit in caseaudit: {site_url(reverse('audits:overview', args=[audit.pk]))}")
    return Meeting(
        uid=f"{moderation.meeting_uid}@caseaudit",
        sequence=moderation.meeting_sequence,
        starts_at=moderation.meeting_starts_at,
        ends_at=meeting_ends(moderation),
        summary=f"Stage 2 moderation discussion: case {case.case_id}",
        description="\n".join(details),
        location=moderation.meeting_location or moderation.meeting_link,
        organizer=Attendee(moderator.name, moderator.email),
        attendees=(
            Attendee(moderator.name, moderator.email, role="CHAIR", partstat="ACCEPTED", rsvp=False),
            *(Attendee(person.name, person.email) for person in invitees),
        ),
        stamp=stamp,
        cancelled=moderation.meeting_cancelled,
    )


def meeting_mail_enqueue(*, moderation: Moderation, audit: Audit, headline: str, stamp: datetime) -> None:
    """The invite (or its cancellation) to the moderator and every invitee, in one message."""
    invitees = meeting_invitees(audit)
    moderator = moderation.moderator
    assert moderator is not None and moderation.meeting_starts_at is not None
    meeting = stage2_meeting(moderation, audit=audit, invitees=invitees, stamp=stamp)
    case = audit.case
    lines = [
        f"{headline}: the Stage 2 reflective discussion of the audit of case {case.case_id} "
        f"({case.team.name}).",
        "",
        f"When: {time_span(moderation.meeting_starts_at, meeting_ends(moderation))} (UK time)",
    ]
    if moderation.meeting_location:
        lines.append(f"Where: {moderation.meeting_location}")
    if moderation.meeting_link:
        lines.append(f"Online: {moderation.meeting_link}")
    lines += [
        f"Moderator: {moderator.name}",
        "With: " + ", ".join(person.name for person in invitees),
        "",
        "The calendar invite is attached."
        if not moderation.meeting_cancelled
        else "The calendar entry is cancelled.",
        f"The audit: {site_url(reverse('audits:overview', args=[audit.pk]))}",
        "",
        SIGNATURE,
    ]
    outbox_enqueue(
        to=[moderator.email, *(person.email for person in invitees)],
        subject=f"{headline}: Stage 2 moderation discussion of case {case.case_id}, "
        f"{long_datetime(moderation.meeting_starts_at)}",
        body="\n".join(lines),
        attachments=[
            {
                "filename": "cancel.ics" if moderation.meeting_cancelled else "invite.ics",
                "content": meeting_ics(meeting),
                "mimetype": ics_mimetype(meeting),
            }
        ],
        related_type="audit",
        related_ref=str(audit.pk),
    )
