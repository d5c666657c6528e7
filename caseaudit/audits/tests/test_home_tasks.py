"""The home page's "audits of your cases": the worker and their practice manager see the audits
of their cases not yet submitted, with the compliance gaps still to address (AUD-1, AUD-3)."""

from typing import Any

import pytest
from django.urls import reverse

from caseaudit.audits.home_tasks import audits_of_my_cases
from caseaudit.audits.services import audit_submit
from caseaudit.audits.services_gaps import compliance_gap_address, compliance_gap_flag
from caseaudit.audits.tests.test_services_helpers import audit_of, complete, templates_load
from caseaudit.conftest import Authority, user_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _templates(db: Any) -> None:
    templates_load()


def test_the_worker_and_their_manager_see_the_audit_with_its_gaps(authority: Authority) -> None:
    audit = audit_of(authority, "own_team")
    gap = compliance_gap_flag(actor=audit.auditor.user, audit=audit, kind="visits", note="Visits overdue")
    for who in ("social_worker", "practice_manager"):
        [task] = audits_of_my_cases(user_for(authority, who))
        [row] = task.rows
        assert row.link.text == "Case C-OWN" and row.link.href == reverse("audits:overview", args=[audit.pk])
        assert row.text == (
            f"Monthly Good Practice audit (Stage 1) (Assessment North), with {audit.auditor.name}, "
            "audit date 2 December 2026, 1 compliance gap to address."
        )
        assert task.tag == "1 compliance gap to address"
    compliance_gap_address(actor=user_for(authority, "social_worker"), gap=gap, note="Visit made")
    [task] = audits_of_my_cases(user_for(authority, "social_worker"))
    assert task.tag == "" and "compliance gap" not in task.rows[0].text


def test_nobody_else_sees_it_and_a_submitted_audit_leaves_the_list(authority: Authority) -> None:
    audit = audit_of(authority, "own_team")
    for who in ("social_worker_a2", "qa_officer", "moderator", "administrator", "group_manager"):
        assert audits_of_my_cases(user_for(authority, who)) == [], who
    audit_submit(actor=audit.auditor.user, audit=complete(audit))
    assert audits_of_my_cases(user_for(authority, "social_worker")) == []


def test_the_worker_of_a_restricted_case_sees_its_audit(authority: Authority) -> None:
    audit_of(authority, "restricted")
    [task] = audits_of_my_cases(user_for(authority, "social_worker_a2"))
    assert [row.link.text for row in task.rows] == ["Case C-RESTRICTED"]
