"""The audit discussion (SEL-7): the auditor arranges a time and a place or online link with the
worker; both get an email with a calendar invite (.ics). The meeting keeps one UID while it lives
and raises its SEQUENCE on every change; a cancelled meeting sends METHOD:CANCEL (CONTRACTS §7).

Invites are forwarded: they name the case ID and team, never the child."""

import uuid
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from caseaudit.audits.ics import Attendee, Meeting, ics_mimetype, meeting_ics
from caseaudit.audits.models import Audit, Discussion
from caseaudit.audits.rules import may_arrange_discussion
from caseaudit.core.calendar import long_datetime, time_span
from caseaudit.core.mail_text import site_url
from caseaudit.core.outbox import outbox_enqueue
from caseaudit.core.problems import Problem, Refused
from caseaudit.core.services import audit_event_record
from caseaudit.org.models import Staff

MIN_DURATION, MAX_DURATION = 15, 480
MAX_LOCATION = 300
REF = "discussion"


class DiscussionRefused(Refused):
    """A time, place or cancellation refused by a rule (422): every problem, each naming its field
    (None for the whole discussion)."""


def _problem(field: str | None, message: str) -> Problem:
    return Problem(REF, field, message)


def discussion_problems(
    *, starts_at: datetime, duration_minutes: int, location: str, online_link: str, now: datetime
) -> list[Problem]:
    """What is wrong with a proposed time and place, each naming its field."""
    problems = []
    if starts_at.tzinfo is None or starts_at.utcoffset() is None:
        problems.append(_problem("starts_at", "Give the start time with its UTC offset"))
    elif starts_at <= now:
        problems.append(_problem("starts_at", "The discussion must be in the future"))
    if not MIN_DURATION <= duration_minutes <= MAX_DURATION:
        problems.append(
            _problem("duration_minutes", f"The duration must be {MIN_DURATION} to {MAX_DURATION} minutes")
        )
    if not location and not online_link:
        problems.append(
            _problem("location", "Enter the place of the discussion, or a link to join it online")
        )
    if len(location) > MAX_LOCATION:
        problems.append(_problem("location", f"The place must be {MAX_LOCATION} characters or fewer"))
    if online_link:
        try:
            URLValidator(schemes=["https", "http"])(online_link)
        except ValidationError:
            problems.append(_problem("online_link", "Enter the online link as a web address, like https://…"))
    return problems


def discussion_worker(audit: Audit) -> Staff | None:
    """The worker whose work is audited; the case's allocated worker if the audit names none."""
    return audit.worker if audit.worker_id is not None else audit.case.allocated_worker


def discussion_meeting(discussion: Discussion, *, audit: Audit, worker: Staff, stamp: datetime) -> Meeting:
    """The invite of a discussion, as the calendar sees it."""
    case = audit.case
    auditor = audit.auditor
    where = discussion.location or discussion.online_link
    details = [
        f"Stage 1 audit discussion of case {case.case_id} ({case.team.name}) between "
        f"{auditor.name} (auditor) and {worker.name} (allocated worker).",
    ]
    if discussion.location and discussion.online_link:
        details.append(f"Place: {discussion.location}")
    if discussion.online_link:
        details.append(f"Join online: {discussion.online_link}")
    details.append(f"The audit in caseaudit: {site_url(reverse('audits:overview', args=[audit.pk]))}")
    return Meeting(
        uid=f"{discussion.uid}@caseaudit",
        sequence=discussion.sequence,
        starts_at=discussion.starts_at,
        ends_at=discussion.starts_at + timedelta(minutes=discussion.duration_minutes),
        summary=f"Audit discussion: case {case.case_id}",
        description="\n".join(details),
        location=where,
        organizer=Attendee(auditor.name, auditor.email),
        attendees=(
            Attendee(auditor.name, auditor.email, role="CHAIR", partstat="ACCEPTED", rsvp=False),
            Attendee(worker.name, worker.email),
        ),
        stamp=stamp,
        cancelled=discussion.cancelled,
    )


def _when(discussion: Discussion) -> str:
    return time_span(
        discussion.starts_at, discussion.starts_at + timedelta(minutes=discussion.duration_minutes)
    )


def _send(discussion: Discussion, *, audit: Audit, worker: Staff, headline: str) -> None:
    meeting = discussion_meeting(discussion, audit=audit, worker=worker, stamp=timezone.now())
    case = audit.case
    lines = [
        f"{headline}: the Stage 1 audit discussion of case {case.case_id} ({case.team.name}).",
        "",
        f"When: {_when(discussion)} (UK time)",
    ]
    if discussion.location:
        lines.append(f"Where: {discussion.location}")
    if discussion.online_link:
        lines.append(f"Online: {discussion.online_link}")
    lines += [
        f"Auditor: {audit.auditor.name}",
        f"Allocated worker: {worker.name}",
        "",
        "The calendar invite is attached."
        if not discussion.cancelled
        else "The calendar entry is cancelled.",
        f"The audit: {site_url(reverse('audits:overview', args=[audit.pk]))}",
        "",
        "This message was sent by caseaudit.",
    ]
    outbox_enqueue(
        to=[audit.auditor.email, worker.email],
        subject=f"{headline}: audit discussion of case {case.case_id}, {long_datetime(discussion.starts_at)}",
        body="\n".join(lines),
        attachments=[
            {
                "filename": "cancel.ics" if discussion.cancelled else "invite.ics",
                "content": meeting_ics(meeting),
                "mimetype": ics_mimetype(meeting),
            }
        ],
        related_type="audit",
        related_ref=str(audit.pk),
    )


def _check_auditor(actor: Any, audit: Audit) -> None:
    if not may_arrange_discussion(actor, audit):
        raise PermissionDenied("Only the auditor can arrange the discussion, before the audit is submitted.")


def discussion_arrange(
    *,
    actor: Any,
    audit: Audit,
    starts_at: datetime,
    duration_minutes: int = 60,
    location: str = "",
    online_link: str = "",
) -> Discussion:
    """Arrange the discussion, or change it: SEQUENCE is raised on every change, the UID kept. A
    cancelled meeting arranged again is a new meeting with a new UID. Saving it unchanged sends
    nothing."""
    _check_auditor(actor, audit)
    location, online_link = (location or "").strip(), (online_link or "").strip()
    problems = discussion_problems(
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        location=location,
        online_link=online_link,
        now=timezone.now(),
    )
    worker = discussion_worker(audit)
    if worker is None:
        problems.append(_problem(None, "The audit has no allocated worker to invite"))
    if problems:
        raise DiscussionRefused(problems)
    assert worker is not None
    wanted = {
        "starts_at": starts_at,
        "duration_minutes": duration_minutes,
        "location": location,
        "online_link": online_link,
    }
    with transaction.atomic():
        discussion = Discussion.objects.select_for_update().filter(audit=audit).first()
        if discussion is not None and not discussion.cancelled:
            changed = {k: v for k, v in wanted.items() if getattr(discussion, k) != v}
            if not changed:
                return discussion
            discussion.sequence += 1
            action, headline = "discussion_changed", "Changed"
        else:
            changed = dict(wanted)
            if discussion is None:
                discussion = Discussion(audit=audit)
            else:  # arranged again after a cancellation: a new meeting
                discussion.uid, discussion.sequence, discussion.cancelled = uuid.uuid4(), 0, False
            action, headline = "discussion_arranged", "Arranged"
        for key, value in wanted.items():
            setattr(discussion, key, value)
        discussion.updated_at, discussion.updated_by = timezone.now(), actor
        discussion.save()
        audit_event_record(
            actor=actor,
            action=action,
            object_type="audit",
            object_ref=str(audit.pk),
            summary=f"Discussion {headline.lower()} for {long_datetime(starts_at)}",
            changes={
                "uid": str(discussion.uid),
                "sequence": discussion.sequence,
                **{k: v.isoformat() if isinstance(v, datetime) else v for k, v in changed.items()},
            },
        )
        _send(discussion, audit=audit, worker=worker, headline=headline)
    return discussion


def discussion_cancel(*, actor: Any, audit: Audit) -> Discussion:
    """Cancel the arranged discussion: SEQUENCE raised, METHOD:CANCEL sent to both."""
    _check_auditor(actor, audit)
    worker = discussion_worker(audit)
    with transaction.atomic():
        discussion = Discussion.objects.select_for_update().filter(audit=audit).first()
        if discussion is None or discussion.cancelled:
            raise DiscussionRefused([_problem(None, "There is no arranged discussion to cancel")])
        if worker is None:
            raise DiscussionRefused([_problem(None, "The audit has no allocated worker to tell")])
        discussion.sequence += 1
        discussion.cancelled = True
        discussion.updated_at, discussion.updated_by = timezone.now(), actor
        discussion.save()
        audit_event_record(
            actor=actor,
            action="discussion_cancelled",
            object_type="audit",
            object_ref=str(audit.pk),
            summary=f"Discussion of {long_datetime(discussion.starts_at)} cancelled",
            changes={"uid": str(discussion.uid), "sequence": discussion.sequence},
        )
        _send(discussion, audit=audit, worker=worker, headline="Cancelled")
    return discussion
