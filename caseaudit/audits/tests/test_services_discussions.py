"""SEL-7: the auditor arranges the discussion with the worker; both get an email with a calendar
invite that keeps its UID and raises SEQUENCE on every change; a cancellation sends METHOD:CANCEL
(CONTRACTS §7). Only the auditor, and for a restricted case only once access is granted."""

import datetime
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from caseaudit.access.tests.helpers import LONDON, allocated, ask, decide, fresh, future
from caseaudit.audits.models import Audit, Discussion
from caseaudit.audits.services import audit_submit
from caseaudit.audits.services_discussions import DiscussionRefused, discussion_arrange, discussion_cancel
from caseaudit.audits.tests.test_ics import one, read
from caseaudit.audits.tests.test_services_helpers import STRENGTHS, complete, templates_load
from caseaudit.conftest import Authority
from caseaudit.core.models import AuditEvent, OutboxMessage


@pytest.fixture
def audit(authority: Authority) -> Audit:
    """SWA's case (not restricted), allocated to GMB."""
    templates_load()
    return allocated(authority, "own_team")


def arrange(authority: Authority, audit: Audit, **changes: Any) -> Discussion:
    values: dict[str, Any] = {
        "starts_at": future(),
        "duration_minutes": 60,
        "location": "Team office, room 2",
    }
    values.update(changes)
    return discussion_arrange(actor=fresh(authority, "group_manager"), audit=audit, **values)


def invites() -> list[tuple[OutboxMessage, dict[str, Any]]]:
    """Each queued message with its .ics read back."""
    result = []
    for message in OutboxMessage.objects.filter(related_type="audit").order_by("pk"):
        [attachment] = message.attachments
        result.append((message, {"attachment": attachment, **read(attachment["content"])}))
    return result


def event_value(parsed: dict[str, Any], name: str) -> str:
    return one(parsed["VEVENT"][0], name)[2]


def test_arranging_sends_both_an_invite(authority: Authority, audit: Audit) -> None:
    starts = future(hour=14, minute=30)
    discussion = arrange(authority, audit, starts_at=starts, duration_minutes=45)
    assert (discussion.sequence, discussion.cancelled) == (0, False)
    [(message, ics)] = invites()
    assert set(message.to) == {"gmb@example.test", "swa@example.test"}
    assert ics["attachment"]["mimetype"] == "text/calendar; method=REQUEST"
    assert ics["attachment"]["filename"].endswith(".ics")
    assert one(ics["VCALENDAR"][0], "METHOD")[2] == "REQUEST"
    assert event_value(ics, "UID") == f"{discussion.uid}@caseaudit"
    assert event_value(ics, "SEQUENCE") == "0"
    assert event_value(ics, "DTSTART") == starts.strftime("%Y%m%dT143000")
    assert event_value(ics, "DTEND") == starts.strftime("%Y%m%dT151500")
    assert event_value(ics, "ORGANIZER") == "mailto:gmb@example.test"
    attendees = {value for name, _, value in ics["VEVENT"][0] if name == "ATTENDEE"}
    assert attendees == {"mailto:gmb@example.test", "mailto:swa@example.test"}
    date = f"{starts.day} {starts:%B %Y}"
    assert (
        date in message.subject
        and "2:30pm to 3:15pm on" in message.body
        and "Team office, room 2" in message.body
    )
    event = AuditEvent.objects.get(action="discussion_arranged", object_ref=str(audit.pk))
    assert event.changes["sequence"] == 0 and event.changes["location"] == "Team office, room 2"


def test_the_invite_never_names_the_child(authority: Authority, audit: Audit) -> None:
    arrange(authority, audit)
    [(message, ics)] = invites()
    child = authority.cases["own_team"].child
    text = message.subject + message.body + ics["attachment"]["content"]
    assert child.name not in text and child.child_id not in text
    assert "C-OWN" in text


def test_each_change_keeps_the_uid_and_raises_the_sequence(authority: Authority, audit: Audit) -> None:
    first = arrange(authority, audit)
    second = arrange(authority, audit, starts_at=future(hour=11))
    third = arrange(
        authority, audit, starts_at=future(hour=11), location="", online_link="https://meet.example/x"
    )
    assert first.uid == second.uid == third.uid
    assert (first.sequence, second.sequence, third.sequence) == (0, 1, 2)
    found = invites()
    assert [event_value(ics, "SEQUENCE") for _, ics in found] == ["0", "1", "2"]
    assert len({event_value(ics, "UID") for _, ics in found}) == 1
    assert "meet.example" in event_value(found[2][1], "LOCATION")
    assert found[1][0].subject.startswith("Changed")
    assert AuditEvent.objects.filter(action="discussion_changed").count() == 2


def test_saving_it_unchanged_sends_nothing(authority: Authority, audit: Audit) -> None:
    starts = future()
    arrange(authority, audit, starts_at=starts)
    again = arrange(authority, audit, starts_at=starts.astimezone(datetime.UTC))  # the same instant
    assert again.sequence == 0 and OutboxMessage.objects.count() == 1


def test_cancelling_sends_method_cancel(authority: Authority, audit: Audit) -> None:
    arranged = arrange(authority, audit)
    cancelled = discussion_cancel(actor=fresh(authority, "group_manager"), audit=audit)
    assert cancelled.cancelled and cancelled.sequence == 1 and cancelled.uid == arranged.uid
    message, ics = invites()[-1]
    assert ics["attachment"]["mimetype"] == "text/calendar; method=CANCEL"
    assert one(ics["VCALENDAR"][0], "METHOD")[2] == "CANCEL"
    assert event_value(ics, "STATUS") == "CANCELLED" and event_value(ics, "SEQUENCE") == "1"
    assert event_value(ics, "UID") == f"{arranged.uid}@caseaudit"
    assert message.subject.startswith("Cancelled") and set(message.to) == {
        "gmb@example.test",
        "swa@example.test",
    }
    assert AuditEvent.objects.filter(action="discussion_cancelled", object_ref=str(audit.pk)).exists()
    with pytest.raises(DiscussionRefused, match="no arranged discussion"):
        discussion_cancel(actor=fresh(authority, "group_manager"), audit=audit)


def test_arranging_again_after_a_cancellation_is_a_new_meeting(authority: Authority, audit: Audit) -> None:
    old = arrange(authority, audit).uid
    discussion_cancel(actor=fresh(authority, "group_manager"), audit=audit)
    new = arrange(authority, audit)
    assert new.uid != old and new.sequence == 0 and not new.cancelled


def test_the_mail_goes_out_after_commit_with_the_invite_as_a_calendar_part(
    authority: Authority, audit: Audit, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        arrange(authority, audit)
    assert mail.outbox == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()
    [sent] = mail.outbox
    part = next(p for p in sent.message().walk() if p.get_content_type() == "text/calendar")
    assert part.get_param("method") == "REQUEST" and part.get_filename() == "invite.ics"
    # On the wire (SMTP writes CRLF), the invite arrives with its CRLF line endings.
    wire = part.as_bytes(linesep="\r\n").decode("utf-8")  # type: ignore[call-arg]  # Django's MIME part
    assert "\r\nBEGIN:VCALENDAR\r\n" in wire and "\r\nMETHOD:REQUEST\r\n" in wire


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"starts_at": timezone.now() - datetime.timedelta(hours=1)}, "starts_at"),
        ({"starts_at": datetime.datetime(2030, 1, 7, 10, 0)}, "starts_at"),  # naive on purpose
        ({"location": "", "online_link": ""}, "location"),
        ({"online_link": "not a link"}, "online_link"),
        ({"online_link": "javascript:alert(1)"}, "online_link"),
        ({"duration_minutes": 5}, "duration_minutes"),
        ({"duration_minutes": 600}, "duration_minutes"),
        ({"location": "x" * 301}, "location"),
    ],
)
def test_what_is_refused(authority: Authority, audit: Audit, changes: dict[str, Any], field: str) -> None:
    with pytest.raises(DiscussionRefused) as refused:
        arrange(authority, audit, **changes)
    assert field in {p.field for p in refused.value.problems}
    assert not Discussion.objects.exists() and not OutboxMessage.objects.exists()


def test_an_online_link_alone_will_do(authority: Authority, audit: Audit) -> None:
    discussion = arrange(authority, audit, location="", online_link="https://teams.example/meet/123")
    [(_, ics)] = invites()
    assert event_value(ics, "LOCATION") == "https://teams.example/meet/123"
    assert discussion.online_link.startswith("https://")


@pytest.mark.parametrize("who", ["social_worker", "practice_manager", "qa_officer", "group_manager_a"])
def test_only_the_auditor_arranges(authority: Authority, audit: Audit, who: str) -> None:
    with pytest.raises(PermissionDenied):
        discussion_arrange(actor=fresh(authority, who), audit=audit, starts_at=future(), location="Office")
    with pytest.raises(PermissionDenied):
        discussion_cancel(actor=fresh(authority, who), audit=audit)


def test_not_after_stage_1_is_submitted(authority: Authority, audit: Audit) -> None:
    done = complete(audit, comments={"comments_actions": STRENGTHS})
    done = audit_submit(actor=done.auditor.user, audit=done)
    with pytest.raises(PermissionDenied):
        arrange(authority, done)


def test_a_restricted_case_once_access_is_granted(authority: Authority) -> None:
    templates_load()
    restricted = allocated(authority, "restricted")
    with pytest.raises(PermissionDenied):
        arrange(authority, restricted)
    decide(authority, ask(authority), grant=True)
    discussion = arrange(authority, restricted)
    [(message, ics)] = invites()
    assert set(message.to) == {"gmb@example.test", "swa2@example.test"}
    text = message.body + ics["attachment"]["content"]
    assert authority.cases["restricted"].child.name not in text and "estricted" not in text
    assert discussion.starts_at.astimezone(LONDON).hour == 10
