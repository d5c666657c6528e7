"""The outbox: mail is queued inside the writer's transaction and delivered after commit."""

import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from caseaudit.core.models import OutboxMessage

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 10
CLAIM_TIMEOUT = timedelta(minutes=10)


def outbox_enqueue(
    *,
    to: list[str],
    subject: str,
    body: str,
    cc: list[str] | None = None,
    attachments: list[dict[str, str]] | None = None,
    related_type: str = "",
    related_ref: str = "",
) -> OutboxMessage:
    """Queue a message. Call inside the change's transaction: if it rolls back, no mail."""
    message = OutboxMessage.objects.create(
        to=sorted(set(to)),
        cc=sorted(set(cc or [])),
        subject=subject,
        body=body,
        attachments=attachments or [],
        related_type=related_type,
        related_ref=str(related_ref),
    )
    # robust: the change is committed whatever the mail server says; a failed delivery is logged
    # and left to `send_outbox`, and never turns a saved change into an error page.
    transaction.on_commit(lambda: outbox_deliver(ids=[message.pk]), robust=True)
    return message


def _backoff(attempts: int) -> timedelta:
    return timedelta(minutes=min(2 ** (attempts - 1), 360))


def _claim(message_id: int, now: Any) -> bool:
    """Take a message for delivery; only one worker can, so each message is sent once."""
    stale = now - CLAIM_TIMEOUT
    claimed = OutboxMessage.objects.filter(
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=stale),
        pk=message_id,
        sent_at__isnull=True,
        gave_up_at__isnull=True,
    ).update(claimed_at=now)
    return claimed == 1


def outbox_deliver(*, ids: list[int] | None = None, limit: int = 200) -> dict[str, int]:
    """Send what is due. Returns counts of sent, failed (will retry) and given up."""
    now = timezone.now()
    due = OutboxMessage.objects.filter(
        sent_at__isnull=True, gave_up_at__isnull=True, next_attempt_at__lte=now
    )
    if ids is not None:
        due = due.filter(pk__in=ids)
    counts = {"sent": 0, "failed": 0, "gave_up": 0}
    for message_id in list(due.order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:limit]):
        if not _claim(message_id, now):
            continue
        message = OutboxMessage.objects.get(pk=message_id)
        email = EmailMessage(
            subject=message.subject,
            body=message.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=message.to,
            cc=message.cc,
        )
        for attachment in message.attachments:
            email.attach(attachment["filename"], attachment["content"], attachment.get("mimetype"))
        try:
            email.send(fail_silently=False)
        except Exception as error:  # any mail-server failure: keep the message and retry later
            message.attempts += 1
            message.last_error = f"{type(error).__name__}: {error}"[:2000]
            message.claimed_at = None
            if message.attempts >= MAX_ATTEMPTS:
                message.gave_up_at = now
                counts["gave_up"] += 1
            else:
                message.next_attempt_at = now + _backoff(message.attempts)
                counts["failed"] += 1
            message.save(
                update_fields=["attempts", "last_error", "claimed_at", "gave_up_at", "next_attempt_at"]
            )
            logger.warning("outbox message %s not sent: %s", message.pk, message.last_error)
            continue
        message.attempts += 1
        message.sent_at = timezone.now()
        message.save(update_fields=["attempts", "sent_at"])
        counts["sent"] += 1
    return counts
