"""Compliance gaps (AUD-3): the auditor flags one for the worker; the worker marks it addressed."""

from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from caseaudit.audits.models import Audit, ComplianceGap
from caseaudit.audits.services_gaps import compliance_gap_flag
from caseaudit.audits.tests.views.support import AUDITOR, client_for, start_audit
from caseaudit.conftest import Authority

pytestmark = pytest.mark.django_db


@pytest.fixture
def audit(authority: Authority, settings: Any, tmp_path: Path) -> Audit:
    return start_audit(authority, settings, tmp_path)


def test_the_auditor_flags_a_gap(authority: Authority, audit: Audit) -> None:
    client = client_for(authority, AUDITOR)
    url = reverse("audits:gap-flag", args=[audit.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"kind": "supervision", "note": "No supervision since June"})
    assert response.status_code == 302
    gap = ComplianceGap.objects.get()
    assert (gap.kind, gap.note, gap.flagged_by) == (
        "supervision",
        "No supervision since June",
        audit.auditor.user,
    )
    overview = client.get(reverse("audits:overview", args=[audit.pk])).content.decode()
    assert "No supervision since June" in overview and "To address" in overview


def test_flagging_without_a_kind_or_note_shows_both_errors(authority: Authority, audit: Audit) -> None:
    response = client_for(authority, AUDITOR).post(reverse("audits:gap-flag", args=[audit.pk]), {})
    html = response.content.decode()
    assert 'href="#kind"' in html and 'href="#note"' in html
    assert not ComplianceGap.objects.exists()


def test_the_worker_cannot_flag_gaps(authority: Authority, audit: Audit) -> None:
    response = client_for(authority, "social_worker").get(reverse("audits:gap-flag", args=[audit.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("who", ["social_worker", "practice_manager"])
def test_the_worker_or_their_manager_marks_a_gap_addressed(
    authority: Authority, audit: Audit, who: str
) -> None:
    gap = compliance_gap_flag(actor=audit.auditor.user, audit=audit, kind="chronology", note="Out of date")
    client = client_for(authority, who)
    overview = client.get(reverse("audits:overview", args=[audit.pk])).content.decode()
    url = reverse("audits:gap-address", args=[audit.pk, gap.pk])
    assert url in overview

    empty = client.post(url, {"note": ""})
    assert 'href="#note"' in empty.content.decode()

    assert client.post(url, {"note": "Chronology updated on 3 December"}).status_code == 302
    gap.refresh_from_db()
    assert gap.addressed_note == "Chronology updated on 3 December"
    assert gap.addressed_by == authority.people[who].user
    assert "Addressed" in client.get(reverse("audits:overview", args=[audit.pk])).content.decode()


def test_someone_else_cannot_address_a_gap(authority: Authority, audit: Audit) -> None:
    gap = compliance_gap_flag(actor=audit.auditor.user, audit=audit, kind="visits", note="Visits late")
    url = reverse("audits:gap-address", args=[audit.pk, gap.pk])
    assert client_for(authority, "qa_officer").post(url, {"note": "Done"}).status_code == 404
    gap.refresh_from_db()
    assert gap.addressed_at is None
