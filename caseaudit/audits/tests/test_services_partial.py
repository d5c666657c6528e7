"""A save that keeps what is valid (issue 9, B5; AUD-2: no lost input), and an action refused for
what it lacks, not for its owner (issue 9, B7)."""

import pytest

from caseaudit.audits.errors import AuditReadOnly, AuditRefused
from caseaudit.audits.models import Audit
from caseaudit.audits.selectors import audit_state
from caseaudit.audits.services import audit_save, audit_save_valid, audit_submit
from caseaudit.audits.tests.test_services_helpers import audit_of, complete, templates_load
from caseaudit.conftest import Authority
from caseaudit.core.models import AuditEvent
from caseaudit.questionnaires.errors import StaleVersion

pytestmark = pytest.mark.django_db

ACTION = {"what": "Update the chronology", "due_date": "2026-12-23", "impact": "A clear history"}


@pytest.fixture
def audit(authority: Authority) -> Audit:
    templates_load()
    return audit_of(authority)


def refs(problems: list) -> set[tuple[str, str | None]]:
    return {(problem.ref, problem.field) for problem in problems}


def test_a_grade_the_judgement_forbids_is_refused_and_every_other_answer_saved(audit: Audit) -> None:
    saved = audit_save_valid(
        actor=audit.auditor.user,
        audit=audit,
        answers={"assessment.child_seen": "no", "assessment.child_voice": "yes"},
        comments={"assessment": "Not seen: the family cancelled twice."},
        section_grades={"assessment": "good"},
        completed_sections={"assessment": True},
    )
    assert refs(saved.refused) == {("assessment", "grade")}
    assert saved.refused[0].code == "limiting_judgement_unmet"
    state = audit_state(audit=saved.audit)
    assert {ref: answer.value for ref, answer in state.answers.items()} == {
        "assessment.child_seen": "no",
        "assessment.child_voice": "yes",
    }
    row = state.sections["assessment"]
    assert (row.comments, row.grade, row.completed) == ("Not seen: the family cancelled twice.", "", False)
    assert saved.audit.response.version == 2
    [event] = AuditEvent.objects.filter(action="audit.saved")
    assert "saved in part" in event.summary and "section_grades.assessment" not in event.changes


def test_a_stored_good_grade_is_left_unchosen_when_an_answer_beneath_it_fails_the_judgement(
    audit: Audit,
) -> None:
    """GRD-2 still holds for what is saved: the new answer is saved, the grade it no longer allows goes."""
    actor = audit.auditor.user
    seen = {f"assessment.{ref}": "yes" for ref in ("child_seen", "child_seen_alone", "child_voice")}
    audit_save(actor=actor, audit=audit, answers=seen, section_grades={"assessment": "good"})
    saved = audit_save_valid(actor=actor, audit=audit, answers={"assessment.child_seen": "no"})
    assert refs(saved.refused) == {("assessment", "grade")}
    state = audit_state(audit=saved.audit)
    assert state.answers["assessment.child_seen"].value == "no"
    assert state.sections["assessment"].grade == ""


def test_a_refused_grade_keeps_the_grade_stored_while_it_is_still_allowed(audit: Audit) -> None:
    actor = audit.auditor.user
    audit_save(actor=actor, audit=audit, section_grades={"assessment": "requires_improvement"})
    saved = audit_save_valid(
        actor=actor, audit=audit, section_grades={"assessment": "good"}, comments={"assessment": "Better?"}
    )
    assert refs(saved.refused) == {("assessment", "grade")}
    row = audit_state(audit=saved.audit).sections["assessment"]
    assert (row.grade, row.comments) == ("requires_improvement", "Better?")


def test_a_refused_answer_keeps_the_one_stored_and_the_rest_is_saved(audit: Audit) -> None:
    actor = audit.auditor.user
    audit_save(actor=actor, audit=audit, answers={"assessment.child_seen_alone": "yes"})
    saved = audit_save_valid(
        actor=actor,
        audit=audit,
        answers={"assessment.child_seen_alone": "na", "assessment.child_seen": "maybe"},
        comments={"assessment": "Seen at school."},
    )
    assert refs(saved.refused) == {
        ("assessment.child_seen_alone", "answer"),
        ("assessment.child_seen", "answer"),
    }
    state = audit_state(audit=saved.audit)
    assert state.answers["assessment.child_seen_alone"].value == "yes"
    assert "assessment.child_seen" not in state.answers
    assert state.sections["assessment"].comments == "Seen at school."


def test_a_refused_action_keeps_the_one_stored_and_the_others_are_saved(audit: Audit) -> None:
    actor = audit.auditor.user
    audit_save(actor=actor, audit=audit, actions=[ACTION])
    [stored] = audit_state(audit=audit).actions
    saved = audit_save_valid(
        actor=actor,
        audit=audit,
        actions=[
            {**ACTION, "id": stored.pk, "impact": ""},
            {**ACTION, "what": "Record supervision"},
            {"what": "Half an action"},
        ],
    )
    assert refs(saved.refused) == {
        ("actions[0]", "impact"),
        ("actions[2]", "due_date"),
        ("actions[2]", "impact"),
    }
    actions = audit_state(audit=saved.audit).actions
    assert [(action.pk == stored.pk, action.what, action.impact) for action in actions] == [
        (True, "Update the chronology", "A clear history"),
        (False, "Record supervision", "A clear history"),
    ]


def test_an_overall_grade_the_judgements_forbid_is_left_unchosen(audit: Audit) -> None:
    actor = audit.auditor.user
    saved = audit_save_valid(
        actor=actor,
        audit=audit,
        answers={"assessment.child_voice": "no"},
        overall_grade="good",
        overall_override_reason="Strong work elsewhere",
    )
    assert ("overall", "overall_grade") in refs(saved.refused)
    response = saved.audit.response
    assert (response.overall_grade, response.overall_override_reason) == ("", "Strong work elsewhere")
    assert audit_state(audit=saved.audit).answers["assessment.child_voice"].value == "no"


def test_a_stale_or_read_only_audit_still_saves_nothing(authority: Authority, audit: Audit) -> None:
    actor = audit.auditor.user
    audit_save(actor=actor, audit=audit, comments={"assessment": "First"})
    with pytest.raises(StaleVersion):
        audit_save_valid(actor=actor, audit=audit, version=1, comments={"assessment": "Second"})
    submitted = complete(audit_of(authority, "other_team", auditor="group_manager_a"))
    audit_submit(actor=submitted.auditor.user, audit=submitted)
    with pytest.raises(AuditReadOnly):
        audit_save_valid(actor=submitted.auditor.user, audit=submitted, comments={"assessment": "Late"})
    assert audit_state(audit=audit).sections["assessment"].comments == "First"


def test_audit_save_stays_all_or_nothing(audit: Audit) -> None:
    with pytest.raises(AuditRefused):
        audit_save(
            actor=audit.auditor.user,
            audit=audit,
            answers={"assessment.child_seen": "no"},
            section_grades={"assessment": "good"},
        )
    assert audit_state(audit=audit).answers == {}


# --- B7 ---------------------------------------------------------------------------------------


def test_an_action_without_its_impact_says_so_whoever_owns_it(audit: Audit) -> None:
    """The owner (the practice manager, chosen by default on the form) exists: the only problem is
    the missing impact, not "there is no member of staff with the ID 'PMA'"."""
    with pytest.raises(AuditRefused) as refused:
        audit_save(
            actor=audit.auditor.user,
            audit=audit,
            actions=[{**ACTION, "owner_id": "PMA", "impact": " "}, {**ACTION, "owner_id": "NOBODY"}],
        )
    assert [(p.ref, p.field, p.message) for p in refused.value.problems] == [
        ("actions[0]", "impact", "Action 1: say what impact it will have for the child"),
        ("actions[1]", "owner_id", "Action 2: there is no member of staff with the ID 'NOBODY'"),
    ]
