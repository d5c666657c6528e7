"""Check your answers, submit, read-only afterwards (GRD-3, REC-1), and the preview (AUD-1)."""

from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from caseaudit.audits.models import Audit, AuditDocument
from caseaudit.audits.services import audit_save
from caseaudit.audits.tests.test_services_helpers import complete
from caseaudit.audits.tests.views.support import (
    AUDITOR,
    allowed_views,
    client_for,
    denied,
    section_url,
    start_audit,
)
from caseaudit.conftest import Authority

pytestmark = pytest.mark.django_db


@pytest.fixture
def audit(authority: Authority, settings: Any, tmp_path: Path) -> Audit:
    return start_audit(authority, settings, tmp_path)


def check_url(audit: Audit) -> str:
    return reverse("audits:check", args=[audit.pk])


def submit_form(audit: Audit, **fields: str) -> dict[str, str]:
    return {
        "version": str(audit.response.version),
        "overall_grade": "good",
        "overall_override_reason": "",
        "audit_date-day": "2",
        "audit_date-month": "12",
        "audit_date-year": "2026",
        "submit": "1",
        **fields,
    }


def test_check_page_lists_what_is_still_to_do_with_links(authority: Authority, audit: Audit) -> None:
    page = client_for(authority, AUDITOR).get(check_url(audit))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Before you can submit the audit" in html
    assert f'href="{section_url(audit, "assessment")}#grade">Choose a grade for Assessment</a>' in html
    assert allowed_views(audit) == 1


def test_submit_refused_lists_every_problem_and_links_to_each(authority: Authority, audit: Audit) -> None:
    response = client_for(authority, AUDITOR).post(check_url(audit), submit_form(audit))
    html = response.content.decode()
    assert response.status_code == 422
    assert "There is a problem" in html
    graded = ["assessment", "planning", "intervention", "review", "reflection_supervision"]
    for ref in graded:
        assert f'href="{section_url(audit, ref)}#grade"' in html
    assert f'href="{section_url(audit, "comments_actions")}#q-comments_actions-strengths"' in html
    assert "Say what the social worker has done well" in html
    audit.refresh_from_db()
    assert audit.status == Audit.Status.IN_PROGRESS


def test_an_override_needs_a_reason(authority: Authority, audit: Audit) -> None:
    audit = complete(audit, grade="good")
    form = submit_form(audit, overall_grade="outstanding")
    response = client_for(authority, AUDITOR).post(check_url(audit), form)
    html = response.content.decode()
    assert response.status_code == 422
    assert '<a href="#overall_override_reason">You changed the proposed overall grade from Good' in html


def test_a_refused_overall_grade_keeps_the_reason_and_date_typed_with_it(
    authority: Authority, audit: Audit
) -> None:
    """AUD-2 (issue 9, B5): the overall grade the limiting judgements forbid is refused and nothing
    is submitted; the reason and the audit date typed beside it are saved."""
    audit = complete(audit, grade="requires_improvement")
    audit_save(actor=audit.auditor.user, audit=audit, answers={"assessment.child_voice": "no"})
    form = submit_form(
        audit, overall_grade="good", overall_override_reason="Strong direct work", **{"audit_date-day": "1"}
    )
    response = client_for(authority, AUDITOR).post(check_url(audit), form)
    html = response.content.decode()
    assert response.status_code == 422
    assert '<a href="#overall_grade">You cannot grade the audit overall as Good' in html
    audit.refresh_from_db()
    assert audit.status == Audit.Status.IN_PROGRESS
    assert (audit.response.overall_grade, audit.response.overall_override_reason) == (
        "requires_improvement",
        "Strong direct work",
    )
    assert audit.audit_date is not None and audit.audit_date.day == 1


def test_submitting_makes_the_audit_read_only_and_stores_its_pdf(authority: Authority, audit: Audit) -> None:
    audit = complete(audit, grade="good")
    client = client_for(authority, AUDITOR)
    response = client.post(check_url(audit), submit_form(audit))
    assert response.status_code == 302
    assert response["Location"] == reverse("audits:submitted", args=[audit.pk])
    audit.refresh_from_db()
    assert audit.status == Audit.Status.SUBMITTED
    assert AuditDocument.objects.filter(audit=audit, stage="stage1").count() == 1

    confirmation = client.get(response["Location"]).content.decode()
    assert "Stage 1 audit submitted" in confirmation
    assert reverse("audits:document", args=[audit.pk]) in confirmation

    overview = client.get(reverse("audits:overview", args=[audit.pk])).content.decode()
    assert "In progress to Stage 1 submitted" in overview
    assert "Stage 1 audit document (PDF" in overview

    section = client.get(section_url(audit, "assessment")).content.decode()
    assert "data-autosave" not in section and "can no longer be changed" in section
    check = client.get(check_url(audit)).content.decode()
    assert "Submit Stage 1 audit" not in check and "All answers and grades" in check

    # A late save from a form left open changes nothing
    late = client.post(
        section_url(audit, "assessment"), {"version": str(audit.response.version), "comments": "late"}
    )
    assert late.status_code == 403
    audit.refresh_from_db()
    assert audit.status == Audit.Status.SUBMITTED


def test_the_worker_cannot_submit(authority: Authority, audit: Audit) -> None:
    audit = complete(audit, grade="good")
    response = client_for(authority, "social_worker").post(check_url(audit), submit_form(audit))
    assert response.status_code == 403
    audit.refresh_from_db()
    assert audit.status == Audit.Status.IN_PROGRESS


@pytest.mark.parametrize("who", ["social_worker", "practice_manager"])
def test_the_worker_and_their_manager_can_preview(authority: Authority, audit: Audit, who: str) -> None:
    """AUD-1: the template, the areas to be reviewed and the gaps, before the discussion."""
    page = client_for(authority, who).get(reverse("audits:preview", args=[audit.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "What the audit will review" in html
    assert "Was the child seen during the assessment?" in html
    assert "Limiting judgement" in html
    assert "What the grades look like for Assessment" in html
    assert "(the last 6 months)" in html


def test_preview_is_404_for_someone_outside_the_case(authority: Authority, audit: Audit) -> None:
    assert (
        client_for(authority, "social_worker_a2").get(reverse("audits:preview", args=[audit.pk])).status_code
        == 404
    )
    assert len(denied()) == 1
