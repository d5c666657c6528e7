"""Helpers shared by the audit page tests (no tests here): a signed-in client per person, an
audit of the worker SWA's case conducted by GMA (the worker's group manager), and the form a
section page would post."""

from pathlib import Path
from typing import Any

from django.test import Client
from django.urls import reverse

from caseaudit.audits.models import Audit
from caseaudit.audits.tests.test_services_helpers import audit_of, templates_load
from caseaudit.conftest import Authority, user_for
from caseaudit.core.models import AccessLog
from caseaudit.questionnaires.forms import question_field_id

AUDITOR = "group_manager_a"


def start_audit(authority: Authority, settings: Any, tmp_path: Path) -> Audit:
    """For each test module's `audit` fixture: the templates loaded, documents stored under
    tmp_path, and an audit of C-OWN started by its auditor."""
    settings.MEDIA_ROOT = tmp_path / "media"
    templates_load()
    return audit_of(authority, auditor=AUDITOR)


def client_for(authority: Authority, who: str) -> Client:
    client = Client()
    client.force_login(user_for(authority, who))
    return client


def section_url(audit: Audit, ref: str) -> str:
    return reverse("audits:section", args=[audit.pk, ref])


def assessment_form(audit: Audit, **overrides: str) -> dict[str, str]:
    """The Assessment page as posted with every question Yes, a date, comments and grade Good."""
    form = {"version": str(audit.response.version), "comments": "Seen at home.", "grade": "good"}
    for ref in [
        "child_seen",
        "child_seen_alone",
        "child_voice",
        "developmental_needs",
        "parenting_capacity",
        "wider_factors",
        "child_centred",
        "education_health_social",
        "network",
        "evidence_based_tools",
        "analysis",
        "informs_plan",
        "safety_evidenced",
        "shared_with_family",
    ]:
        form[question_field_id(f"assessment.{ref}")] = "yes"
    date_id = question_field_id("assessment.assessment_date")
    form.update({f"{date_id}-day": "1", f"{date_id}-month": "10", f"{date_id}-year": "2026"})
    form.update(overrides)
    return form


def denied(object_type: str = "audit") -> list[AccessLog]:
    return list(AccessLog.objects.filter(object_type=object_type, outcome=AccessLog.Outcome.DENIED))


def allowed_views(audit: Audit) -> int:
    return AccessLog.objects.filter(
        object_type="audit", object_ref=str(audit.pk), outcome=AccessLog.Outcome.ALLOWED
    ).count()
