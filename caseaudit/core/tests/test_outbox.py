"""CONTRACTS §7: mail is written with the change, sent after commit, retried, sent once."""

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from caseaudit.core.models import OutboxMessage
from caseaudit.core.outbox import outbox_deliver, outbox_enqueue

pytestmark = pytest.mark.django_db


class BrokenMailServer:
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    def send_messages(self, messages: Any) -> int:
        raise ConnectionRefusedError("mail server down")


def test_sent_after_commit_with_attachment(django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        outbox_enqueue(
            to=["a@example.test"],
            subject="Case allocated",
            body="Hello",
            attachments=[
                {"filename": "invite.ics", "content": "BEGIN:VCALENDAR", "mimetype": "text/calendar"}
            ],
        )
        assert mail.outbox == []
    assert len(mail.outbox) == 1
    assert mail.outbox[0].attachments[0][0] == "invite.ics"
    assert OutboxMessage.objects.get().sent_at is not None


def test_rolled_back_change_sends_nothing(django_capture_on_commit_callbacks: Any) -> None:
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        outbox_enqueue(to=["a@example.test"], subject="x", body="y")
        raise RuntimeError("the change failed")
    assert mail.outbox == []
    assert not OutboxMessage.objects.exists()


@override_settings(EMAIL_BACKEND="caseaudit.core.tests.test_outbox.BrokenMailServer")
def test_failure_is_kept_and_retried_later() -> None:
    message = outbox_enqueue(to=["a@example.test"], subject="x", body="y")
    assert outbox_deliver() == {"sent": 0, "failed": 1, "gave_up": 0}
    message.refresh_from_db()
    assert message.attempts == 1 and "mail server down" in message.last_error
    assert message.next_attempt_at > timezone.now()
    assert outbox_deliver() == {"sent": 0, "failed": 0, "gave_up": 0}  # not due yet


def test_retry_succeeds_and_is_sent_once() -> None:
    message = outbox_enqueue(to=["a@example.test"], subject="x", body="y")
    OutboxMessage.objects.filter(pk=message.pk).update(
        attempts=1, next_attempt_at=timezone.now() - timedelta(1)
    )
    assert outbox_deliver()["sent"] == 1
    assert outbox_deliver()["sent"] == 0
    call_command("send_outbox")
    assert len(mail.outbox) == 1


def test_a_claimed_message_is_not_sent_twice() -> None:
    message = outbox_enqueue(to=["a@example.test"], subject="x", body="y")
    OutboxMessage.objects.filter(pk=message.pk).update(claimed_at=timezone.now())
    assert outbox_deliver()["sent"] == 0
    assert mail.outbox == []
