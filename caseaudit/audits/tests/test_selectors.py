"""Reads of audits: scoped to the person (SEC-1), and a fixed number of queries per audit page
however many audits and answers there are."""

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from caseaudit.audits.models import Audit
from caseaudit.audits.selectors import audit_get, audit_list, audit_state, audit_template_sections
from caseaudit.audits.services import audit_save
from caseaudit.audits.services_gaps import compliance_gap_flag
from caseaudit.audits.tests.test_services_helpers import all_yes, audit_of, complete, templates_load
from caseaudit.cases.tests.factories import CaseFactory
from caseaudit.conftest import Authority, user_for


@pytest.fixture(autouse=True)
def _templates(db: Any) -> None:
    templates_load()


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("social_worker", {"C-OWN"}),
        ("social_worker_a2", {"C-RESTRICTED"}),
        ("practice_manager", {"C-OWN", "C-RESTRICTED"}),
        # auditor of two (the restricted one closed until access is granted, SEL-6), line of the third
        ("group_manager", {"C-OWN", "C-OTHER"}),
        ("group_manager_a", {"C-OWN", "C-RESTRICTED", "C-OTHER"}),  # line of two, auditor of the third
        ("qa_officer", {"C-OWN", "C-OTHER"}),
        ("moderator", {"C-OWN", "C-OTHER"}),
        ("administrator", set()),
        ("superuser", {"C-OWN", "C-OTHER", "C-RESTRICTED"}),
    ],
)
def test_audit_list_is_scoped(authority: Authority, who: str, expected: set[str]) -> None:
    audit_of(authority, "own_team")
    audit_of(authority, "restricted")
    audit_of(authority, "other_team", auditor="group_manager_a")
    user = user_for(authority, who)
    assert {audit.case.case_id for audit in audit_list(user=user)} == expected


def test_the_audited_worker_keeps_seeing_their_audit_when_the_case_moves(authority: Authority) -> None:
    audit = audit_of(authority)
    case = authority.cases["own_team"]
    type(case).objects.filter(pk=case.pk).update(allocated_worker=authority.people["social_worker_a2"])
    assert audit_get(user=user_for(authority, "social_worker"), audit_id=audit.pk) == audit
    assert audit_get(user=user_for(authority, "social_worker_a2"), audit_id=audit.pk) == audit


def test_audit_get_none_when_not_visible_or_missing(authority: Authority) -> None:
    audit = audit_of(authority)
    assert audit_get(user=user_for(authority, "administrator"), audit_id=audit.pk) is None
    assert audit_get(user=user_for(authority, "superuser"), audit_id=audit.pk + 1000) is None
    assert list(audit_list(user=user_for(authority, "superuser"), case=authority.cases["other_team"])) == []


def test_audit_state(authority: Authority) -> None:
    audit = audit_of(authority)
    audit_save(
        actor=audit.auditor.user,
        audit=audit,
        answers={
            "assessment.child_seen": "no",
            "assessment.child_seen_alone": {"value": "na", "reason": "Baby"},
        },
        section_grades={"planning": "good", "review": "requires_improvement"},
        comments={"planning": "Clear plan"},
    )
    state = audit_state(audit=audit)
    assert state.answers["assessment.child_seen_alone"].reason == "Baby"
    assert state.section_grades == {"planning": "good", "review": "requires_improvement"}
    assert state.comments == {"planning": "Clear plan"}
    assert state.proposed_overall_grade == "requires_improvement"
    assert state.best_grade_allowed["assessment"] == "requires_improvement"  # child not seen
    assert state.best_grade_allowed["planning"] == "outstanding"
    assert state.best_grade_allowed["overall"] == "requires_improvement"
    assert state.status_history[0].to_status == "in_progress"
    assert not state.read_only and not state.ready_to_submit
    assert [p.field for p in state.problems_for("assessment")] == ["grade"]
    sections = list(audit_template_sections(audit=audit))
    assert sections[0].ref == "assessment" and len(sections) == 6


def _queries_for_page(audit: Audit, user: Any) -> int:
    with CaptureQueriesContext(connection) as captured:
        found = audit_get(user=user, audit_id=audit.pk)
        assert found is not None
        state = audit_state(audit=found)
        for section in audit_template_sections(audit=found):
            list(section.questions.all())
            list(section.descriptors.all())
        for action in state.actions:
            str(action.owner)
        for gap in state.compliance_gaps:
            str(gap.flagged_by)
        for row in state.status_history:
            str(row.by)
        str(found.case.child), str(found.auditor), str(found.worker), str(found.template_version)
    return len(captured)


def test_queries_per_audit_page_do_not_grow(authority: Authority, django_assert_max_num_queries: Any) -> None:
    """Issue 3 "measure": the queries for one audit page are the same with few audits and empty
    answers as with many audits, every answer filled, actions and compliance gaps."""
    user = user_for(authority, "group_manager")
    sparse = audit_of(authority)
    _queries_for_page(sparse, user)  # the person's roles are read once per request, then cached
    few = _queries_for_page(sparse, user)
    for _ in range(40):
        audit_of(authority, "own_team", audit_type="good_practice")
        CaseFactory(team=authority.cases["own_team"].team)
    full = complete(audit_of(authority))
    actions = [
        {"what": f"Action {n}", "due_date": "2026-12-23", "impact": "Safer at home", "owner_id": "SWA"}
        for n in range(8)
    ]
    audit_save(actor=full.auditor.user, audit=full, actions=actions, answers=all_yes(full))
    for kind in ("supervision", "case_notes", "chronology", "visits"):
        compliance_gap_flag(actor=full.auditor.user, audit=full, kind=kind, note="Missing")
    many = _queries_for_page(full, user)
    assert many == few
    with django_assert_max_num_queries(few):
        _queries_for_page(full, user)
