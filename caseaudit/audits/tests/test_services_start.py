"""Starting a Stage 1 audit through the services (AUD-1, TPL-1, TPL-3): its template version,
window, people and type details."""

import datetime
from typing import Any

import pytest

from caseaudit.audits.errors import AuditRefused
from caseaudit.audits.models import Audit, AuditStatusChange
from caseaudit.audits.services import (
    audit_save,
    audit_start,
)
from caseaudit.audits.tests.test_services_helpers import (
    AUDIT_DATE,
    audit_of,
    current_version_pk,
    events,
    refs,
    templates_load,
)
from caseaudit.cases.models import Case
from caseaudit.conftest import Authority
from caseaudit.org.tests.factories import StaffFactory
from caseaudit.questionnaires.models import ResponseSection


@pytest.fixture(autouse=True)
def _templates(db: Any) -> None:
    templates_load()


def test_start_uses_the_types_current_template_window_and_people(authority: Authority) -> None:
    """AUD-1/AUD-2/TPL-3: Good Practice → Stage 1 template, 6-month window ending on the audit
    date; the worker and their practice manager recorded; a row per section."""
    audit = audit_of(authority)
    assert audit.response.template_version_id == current_version_pk("stage1_good_practice")
    assert (audit.window_start, audit.window_end) == (datetime.date(2026, 6, 2), AUDIT_DATE)
    assert audit.worker == authority.people["social_worker"]
    assert audit.practice_manager == authority.people["practice_manager"]
    assert audit.practice_manager_is_fallback is False
    assert audit.auditor == authority.people["group_manager"]
    assert audit.status == "in_progress" and audit.response.version == 1
    assert set(
        ResponseSection.objects.filter(response=audit.response).values_list("section_ref", flat=True)
    ) == {
        "assessment",
        "planning",
        "intervention",
        "review",
        "reflection_supervision",
        "comments_actions",
    }
    history = list(AuditStatusChange.objects.filter(audit=audit))
    assert [(row.from_status, row.to_status, row.by) for row in history] == [
        ("", "in_progress", authority.people["group_manager"].user)
    ]
    assert len(events(audit, "audit.started")) == 1 and len(events(audit, "audit.status_changed")) == 1


def test_start_practice_audit_types_have_a_twelve_month_window(authority: Authority) -> None:
    audit = audit_of(
        authority, audit_type="dip_sample", type_details={"line_of_enquiry": "No visit in 6 weeks"}
    )
    assert audit.template_version.ref == "practice_audit"
    assert audit.window_start == datetime.date(2025, 12, 2)
    shorter = audit_of(authority, audit_type="early_help_front_door", window_months=3)
    assert shorter.window_start == datetime.date(2026, 9, 2)


def test_start_without_audit_date_ends_window_today(authority: Authority) -> None:
    audit = audit_of(authority, audit_date=None)
    assert audit.audit_date is None and audit.window_end == datetime.date.today()


def test_start_auditor_defaults_to_the_actor(authority: Authority) -> None:
    qa = authority.people["qa_officer"]
    audit = audit_start(actor=qa.user, case=authority.cases["own_team"], audit_type="good_practice")
    assert audit.auditor == qa and audit.created_by == qa.user


def test_start_practice_manager_falls_back_to_the_line_manager(authority: Authority) -> None:
    """CONTRACTS §1: nobody above holds the role → the direct line manager, shown as a fallback."""
    case = authority.cases["other_team"]
    senior = StaffFactory(staff_id="SSW", team=case.team, roles=["social_worker"])
    worker = StaffFactory(staff_id="NQ", team=case.team, line_manager=senior, roles=["social_worker"])
    Case.objects.filter(pk=case.pk).update(allocated_worker=worker)
    authority.cases["other_team"] = Case.objects.get(pk=case.pk)
    audit = audit_of(authority, "other_team", auditor="group_manager_a")
    assert audit.practice_manager == senior and audit.practice_manager_is_fallback is True


@pytest.mark.parametrize(
    ("audit_type", "details", "expected"),
    [
        ("thematic", {}, {("type_details", "theme")}),
        ("thematic", {"theme": "astrology"}, {("type_details", "theme")}),
        ("dip_sample", {}, {("type_details", "line_of_enquiry")}),
        ("dip_sample", {"line_of_enquiry": "   "}, {("type_details", "line_of_enquiry")}),
        (
            "practice_week",
            {},
            {
                ("type_details", "observed_practice"),
                ("type_details", "observed_on"),
                ("type_details", "family_consent"),
            },
        ),
        (
            "practice_week",
            {"observed_practice": ["home_visit"], "observed_on": "2026-11-30", "family_consent": "no"},
            {("type_details", "family_consent")},
        ),
        ("good_practice", {"theme": "recording"}, {("type_details", "theme")}),
    ],
)
def test_start_type_details_are_checked(
    authority: Authority, audit_type: str, details: dict[str, Any], expected: set[tuple[str, str]]
) -> None:
    """TPL-3/AUD-6: a thematic audit names a theme from its list; a dip sample its line of enquiry;
    a practice week the observed practice, with the family's consent. Every problem is listed."""
    with pytest.raises(AuditRefused) as refused:
        audit_of(authority, audit_type=audit_type, type_details=details)
    assert refs(refused.value) == expected
    assert not Audit.objects.exists()


def test_start_practice_week_consent_message_says_why(authority: Authority) -> None:
    details = {"observed_practice": "home_visit", "observed_on": "2026-11-30", "family_consent": "no"}
    with pytest.raises(AuditRefused) as refused:
        audit_of(authority, audit_type="practice_week", type_details=details)
    assert "consent" in refused.value.problems[0].message


def test_start_keeps_tidy_type_details(authority: Authority) -> None:
    details = {
        "observed_practice": "home_visit, MEETING",
        "observed_on": "2026-11-30",
        "family_consent": "Yes",
    }
    audit = audit_of(authority, audit_type="practice_week", type_details=details)
    assert audit.type_details == {
        "observed_practice": ["home_visit", "meeting"],
        "observed_on": "2026-11-30",
        "family_consent": "yes",
    }
    thematic = audit_of(authority, audit_type="thematic", type_details={"theme": "recording"})
    assert thematic.type_details == {"theme": "recording"}


def test_start_refuses_unknown_type_template_and_self_audit(authority: Authority) -> None:
    with pytest.raises(AuditRefused) as refused:
        audit_of(authority, audit_type="casual")
    assert refs(refused.value) == {("audit", "audit_type")}
    with pytest.raises(AuditRefused) as refused:
        audit_of(authority, template_ref="family_feedback")
    assert refs(refused.value) == {("audit", "template_ref")}
    with pytest.raises(AuditRefused) as refused:
        audit_of(authority, auditor="social_worker")
    assert refs(refused.value) == {("audit", "auditor_id")}


def test_an_allocated_audit_starts_on_its_first_save(authority: Authority) -> None:
    audit = audit_of(authority, status="allocated", allocation_month=datetime.date(2026, 12, 1))
    assert audit.status == "allocated"
    audit = audit_save(actor=audit.auditor.user, audit=audit, comments={"assessment": "Started."})
    assert audit.status == "in_progress"
    rows = [(row.from_status, row.to_status) for row in AuditStatusChange.objects.filter(audit=audit)]
    assert rows == [("", "allocated"), ("allocated", "in_progress")]


def test_start_refuses_a_submitted_status(authority: Authority) -> None:
    with pytest.raises(AuditRefused) as refused:
        audit_of(authority, status="submitted")
    assert refs(refused.value) == {("audit", "status")}


def test_start_for_another_auditor(authority: Authority) -> None:
    qa = authority.people["qa_officer"]
    audit = audit_start(
        actor=qa.user,
        case=authority.cases["own_team"],
        audit_type="good_practice",
        auditor=authority.people["group_manager"],
        status="allocated",
        due_date=datetime.date(2026, 12, 21),
    )
    assert audit.created_by == qa.user and audit.auditor == authority.people["group_manager"]
    assert audit.due_date == datetime.date(2026, 12, 21)
