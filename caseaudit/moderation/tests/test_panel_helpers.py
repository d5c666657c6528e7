"""Helpers shared by the moderation panel's tests (no tests here): final audits of the panel types
submitted in a past quarter, the PDF stubbed (it is not what these tests are about, and each
render takes seconds), a drawn sample and a scheduled panel, made through the real services."""

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from caseaudit.audits import documents
from caseaudit.audits.models import Audit
from caseaudit.conftest import Authority, user_for
from caseaudit.moderation.models import Panel
from caseaudit.moderation.sampling import Quarter
from caseaudit.moderation.selectors import moderation_settings_get
from caseaudit.moderation.services.lifecycle import audit_lock, audit_move_on
from caseaudit.moderation.services.panel import panel_schedule
from caseaudit.moderation.services.panel_sample import SampleResult, panel_sample
from caseaudit.moderation.tests.helpers import people_added, submitted_audit

QUARTER = Quarter.last_complete(date.today())
SUBMITTED_IN_QUARTER = datetime.combine(QUARTER.start + timedelta(days=20), datetime.min.time(), tzinfo=UTC)
THEMATIC = {"theme": "recording"}
PRACTICE_WEEK = {"observed_practice": ["home_visit"], "observed_on": "2026-10-01", "family_consent": "yes"}


@pytest.fixture
def fast_pdf(monkeypatch: pytest.MonkeyPatch, settings: Any, tmp_path: Any) -> Iterator[None]:
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr(documents, "audit_pdf_bytes", lambda html, fetcher=None: b"%PDF-1.7 stub")
    # The stored Stage 1 document is not what these tests are about (and other stages' PDF parts
    # are built beside this one); the panel's PDF part is tested on its own.
    monkeypatch.setattr(documents, "audit_document_html", lambda audit, stage="stage1": "<html></html>")
    yield


def submitted_in_quarter(
    authority: Authority,
    record: str = "own_team",
    *,
    audit_type: str = "thematic",
    when: datetime | None = None,
) -> Audit:
    """A submitted audit of a panel type whose Stage 1 was submitted in QUARTER."""
    details = THEMATIC if audit_type == "thematic" else PRACTICE_WEEK
    audit = submitted_audit(authority, record, audit_type=audit_type, type_details=details)
    # Stage 1 is submitted now; the sample is of a quarter that has ended, so move it back there.
    Audit.objects.filter(pk=audit.pk).update(submitted_at=when or SUBMITTED_IN_QUARTER)
    audit.refresh_from_db()
    return audit


def final_audit(authority: Authority, record: str = "own_team", *, audit_type: str = "thematic") -> Audit:
    """A final audit of a panel type, submitted in QUARTER (the worker's feedback given)."""
    audit = submitted_in_quarter(authority, record, audit_type=audit_type)
    with transaction.atomic():
        audit_lock(audit)
        audit_move_on(actor=user_for(authority, "qa_officer"), audit=audit, event="feedback_given")
    audit.refresh_from_db()
    return audit


def drawn(authority: Authority, *, seed: int | None = None) -> SampleResult:
    return panel_sample(actor=user_for(authority, "qa_officer"), quarter=QUARTER, seed=seed, dry_run=False)


def in_a_week() -> datetime:
    return (timezone.now() + timedelta(days=7)).replace(hour=10, minute=0, second=0, microsecond=0)


def scheduled(authority: Authority, audits: list[Audit], **kwargs: Any) -> Panel:
    """A panel chaired by CHAIR (added to the authority) for `audits`, already sampled."""
    people_added(authority)
    kwargs.setdefault("location", "County Hall, room 4")
    return panel_schedule(
        actor=user_for(authority, "qa_officer"),
        starts_at=kwargs.pop("starts_at", in_a_week()),
        chair_id="CHAIR",
        audit_ids=[audit.pk for audit in audits],
        **kwargs,
    )


def sampled_all(authority: Authority, records: list[str]) -> list[Audit]:
    """Final thematic audits of `records`, every one drawn (100 %)."""
    settings_row = moderation_settings_get()
    settings_row.panel_sample_percent = {"thematic": 100, "practice_week": 100}
    settings_row.save()
    audits = [final_audit(authority, record) for record in records]
    drawn(authority)
    for audit in audits:
        audit.refresh_from_db()
    return audits
