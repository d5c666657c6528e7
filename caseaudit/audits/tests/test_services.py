"""Saving a Stage 1 audit through the services (AUD-2, GRD-2, GRD-3, CONTRACTS §5, REC-3): answers,
grades, actions, the stale-save check and the history."""

import datetime
from typing import Any

import pytest
from django.db.models import QuerySet

from caseaudit.audits.errors import AuditRefused
from caseaudit.audits.models import Audit
from caseaudit.audits.selectors import audit_state
from caseaudit.audits.services import (
    audit_save,
)
from caseaudit.audits.tests.test_services_helpers import (
    audit_of,
    complete,
    events,
    refs,
    templates_load,
)
from caseaudit.conftest import Authority
from caseaudit.questionnaires.errors import StaleVersion, VersionRequired
from caseaudit.questionnaires.models import ResponseAnswer, ResponseSection


@pytest.fixture(autouse=True)
def _templates(db: Any) -> None:
    templates_load()


def section_row(audit: Audit, ref: str) -> ResponseSection:
    return ResponseSection.objects.get(response__audit=audit, section_ref=ref)


def answer_row(audit: Audit, ref: str) -> QuerySet[ResponseAnswer]:
    return ResponseAnswer.objects.filter(response__audit=audit, question_ref=ref)


def test_save_answers_tokens_and_reasons(authority: Authority) -> None:
    """CONTRACTS §5: a token, or {"value", "reason"}; NA with its reason kept (GRD-2)."""
    audit = audit_of(authority)
    audit_save(
        actor=audit.auditor.user,
        audit=audit,
        answers={
            "assessment.child_seen": "yes",
            "assessment.child_seen_alone": {"value": "na", "reason": "Under 5"},
            "assessment.assessment_date": "2026-10-01",
        },
    )
    rows = {
        row.question_ref: (row.value, row.reason)
        for row in ResponseAnswer.objects.filter(response=audit.response)
    }
    assert rows == {
        "assessment.child_seen": ("yes", ""),
        "assessment.child_seen_alone": ("na", "Under 5"),
        "assessment.assessment_date": ("2026-10-01", ""),
    }
    audit_save(actor=audit.auditor.user, audit=audit, answers={"assessment.assessment_date": ""})
    assert not ResponseAnswer.objects.filter(
        response__audit=audit, question_ref="assessment.assessment_date"
    ).exists()


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({"assessment.no_such_question": "yes"}, ("assessment.no_such_question", "answer")),
        ({"assessment.child_seen": "maybe"}, ("assessment.child_seen", "answer")),
        ({"assessment.child_seen": "na"}, ("assessment.child_seen", "answer")),  # NA not allowed here
        ({"assessment.child_seen_alone": "na"}, ("assessment.child_seen_alone", "answer")),  # no reason
        ({"assessment.assessment_date": "last Tuesday"}, ("assessment.assessment_date", "answer")),
    ],
)
def test_save_refuses_answers_the_question_does_not_take(
    authority: Authority, answers: dict[str, Any], expected: tuple[str, str]
) -> None:
    """TPL-4: NA only where a question allows it; seen alone NA only with a reason."""
    audit = audit_of(authority)
    with pytest.raises(AuditRefused) as refused:
        audit_save(actor=audit.auditor.user, audit=audit, answers={"planning.smart": "yes", **answers})
    assert refs(refused.value) == {expected}
    assert not ResponseAnswer.objects.filter(response=audit.response).exists()  # nothing half-saved
    audit.refresh_from_db()
    assert audit.response.version == 1


def test_save_refuses_unknown_sections_and_lists_every_problem(authority: Authority) -> None:
    audit = audit_of(authority)
    with pytest.raises(AuditRefused) as refused:
        audit_save(
            actor=audit.auditor.user,
            audit=audit,
            comments={"astrology": "x", "assessment": "fine"},
            section_grades={"assessment": "excellent", "nowhere": ""},
            completed_sections={"elsewhere": True},
            answers={"assessment.child_seen": "perhaps"},
        )
    assert refs(refused.value) == {
        ("astrology", "comments"),
        ("assessment", "grade"),
        ("nowhere", "grade"),
        ("elsewhere", "completed"),
        ("assessment.child_seen", "answer"),
    }
    assert section_row(audit, "assessment").comments == ""


@pytest.mark.parametrize(
    ("child_seen", "shortfall"),
    [("no", "is No"), (None, "is not answered")],
)
def test_good_refused_while_a_limiting_judgement_is_unmet(
    authority: Authority, child_seen: str | None, shortfall: str
) -> None:
    """GRD-2: Assessment cannot be Good while 'child seen' is No or missing; the message names it."""
    audit = audit_of(authority)
    answers = {"assessment.child_seen_alone": "yes", "assessment.child_voice": "yes"}
    if child_seen:
        answers["assessment.child_seen"] = child_seen
    with pytest.raises(AuditRefused) as refused:
        audit_save(
            actor=audit.auditor.user, audit=audit, answers=answers, section_grades={"assessment": "good"}
        )
    [problem] = refused.value.problems
    assert (problem.ref, problem.field) == ("assessment", "grade")
    assert "Was the child seen during the assessment?" in problem.message and shortfall in problem.message
    assert "Good" in problem.message
    # Requires improvement is allowed with the judgement unmet.
    audit_save(
        actor=audit.auditor.user,
        audit=audit,
        answers=answers,
        section_grades={"assessment": "requires_improvement"},
    )


def test_a_later_answer_cannot_leave_a_good_grade_behind(authority: Authority) -> None:
    """GRD-2 on the merged state: Assessment Good, then 'child seen' changed to No → refused."""
    audit = audit_of(authority)
    actor = audit.auditor.user
    yes = {
        "assessment.child_seen": "yes",
        "assessment.child_seen_alone": "yes",
        "assessment.child_voice": "yes",
    }
    audit_save(actor=actor, audit=audit, answers=yes, section_grades={"assessment": "good"})
    with pytest.raises(AuditRefused) as refused:
        audit_save(actor=actor, audit=audit, answers={"assessment.child_seen": "no"})
    assert ("assessment", "grade") in refs(refused.value)
    assert answer_row(audit, "assessment.child_seen").get().value == "yes"


def test_seen_alone_na_with_reason_meets_the_judgement(authority: Authority) -> None:
    audit = audit_of(authority)
    audit_save(
        actor=audit.auditor.user,
        audit=audit,
        answers={
            "assessment.child_seen": "yes",
            "assessment.child_seen_alone": {"value": "na", "reason": "Profound disability"},
            "assessment.child_voice": "yes",
        },
        section_grades={"assessment": "outstanding"},
    )
    assert audit_state(audit=audit).section_grades == {"assessment": "outstanding"}


def test_grades_outside_the_templates_scale_are_refused(authority: Authority) -> None:
    """CONTRACTS §5: the practice audit's scale has no Outstanding."""
    audit = audit_of(authority, audit_type="dip_sample", type_details={"line_of_enquiry": "Visits"})
    with pytest.raises(AuditRefused) as refused:
        audit_save(actor=audit.auditor.user, audit=audit, section_grades={"referral": "outstanding"})
    assert refs(refused.value) == {("referral", "grade")}
    with pytest.raises(AuditRefused) as refused:
        audit_save(actor=audit.auditor.user, audit=audit, overall_grade="outstanding")
    assert refs(refused.value) == {("overall", "overall_grade")}


def test_overall_override_needs_a_reason_and_is_capped(authority: Authority) -> None:
    """GRD-3: a grade other than the proposed one needs a reason; GRD-2: never above what the
    limiting judgements allow, reason or not."""
    audit = complete(audit_of(authority), grade="good")
    actor = audit.auditor.user
    assert audit.response.overall_grade == "good"
    with pytest.raises(AuditRefused) as refused:
        audit_save(actor=actor, audit=audit, overall_grade="outstanding")
    assert refs(refused.value) == {("overall", "overall_override_reason")}
    audit_save(
        actor=actor, audit=audit, overall_grade="outstanding", overall_override_reason="Exceptional work"
    )
    assert audit.response.overall_grade == "outstanding"
    # Child's voice not captured: Intervention and the overall grade are limited.
    with pytest.raises(AuditRefused) as refused:
        audit_save(
            actor=actor,
            audit=audit,
            answers={"intervention.child_voice": "no"},
            section_grades={"assessment": "requires_improvement", "intervention": "requires_improvement"},
        )
    assert refs(refused.value) == {("overall", "overall_grade")}
    assert "You cannot grade the audit overall as Outstanding" in refused.value.problems[0].message


def test_overall_grade_follows_the_proposal_until_overridden(authority: Authority) -> None:
    audit = complete(audit_of(authority), grade="good")
    audit_save(actor=audit.auditor.user, audit=audit, section_grades={"review": "inadequate"})
    assert audit.response.overall_grade == "inadequate"
    assert audit_state(audit=audit).proposed_overall_grade == "inadequate"


def test_actions_replace_the_list_with_the_practice_manager_by_default(authority: Authority) -> None:
    """AUD-4/ACT-1: what, who (default the worker's practice manager), by when, impact."""
    audit = audit_of(authority)
    actor = audit.auditor.user
    first = {"what": "Update the chronology", "due_date": "2026-12-23", "impact": "A clear history for Sam"}
    second = {**first, "what": "Visit alone", "owner_id": "SWA"}
    audit_save(actor=actor, audit=audit, actions=[first, second])
    actions = audit_state(audit=audit).actions
    assert [(a.what, a.owner.staff_id, a.owner_is_fallback, a.order) for a in actions] == [
        ("Update the chronology", "PMA", False, 0),
        ("Visit alone", "SWA", False, 1),
    ]
    kept = actions[1]
    audit_save(actor=actor, audit=audit, actions=[{**second, "id": kept.pk, "what": "Visit the child alone"}])
    [only] = audit_state(audit=audit).actions
    assert only.pk == kept.pk and only.what == "Visit the child alone"
    assert events(audit, "audit.saved")[0].changes["actions"][1] == [
        {
            "what": "Visit the child alone",
            "owner_id": "SWA",
            "due_date": "2026-12-23",
            "due_reason": "",
            "impact": first["impact"],
        }
    ]


def test_actions_missing_what_when_or_impact_are_refused(authority: Authority) -> None:
    audit = audit_of(authority)
    good = {"what": "Update the chronology", "due_date": "2026-12-23", "impact": "A clear history"}
    with pytest.raises(AuditRefused) as refused:
        audit_save(
            actor=audit.auditor.user,
            audit=audit,
            actions=[good, {"what": " ", "due_date": "someday"}, {**good, "owner_id": "NOBODY"}],
        )
    assert refs(refused.value) == {
        ("actions[1]", "what"),
        ("actions[1]", "due_date"),
        ("actions[1]", "impact"),
        ("actions[2]", "owner_id"),
    }
    assert audit_state(audit=audit).actions == []


def test_stale_version_is_refused_with_what_changed(authority: Authority) -> None:
    """Two people editing never silently overwrite each other: 409, nothing saved."""
    audit = audit_of(authority)
    other = Audit.objects.get(pk=audit.pk)
    audit_save(actor=audit.auditor.user, audit=audit, version=1, comments={"assessment": "Seen at school."})
    assert audit.response.version == 2
    with pytest.raises(StaleVersion) as stale:
        audit_save(actor=other.auditor.user, audit=other, version=1, comments={"assessment": "Mine."})
    assert stale.value.current_version == 2
    assert stale.value.changed == {"comments.assessment": ["", "Seen at school."]}
    assert section_row(audit, "assessment").comments == "Seen at school."
    audit_save(actor=other.auditor.user, audit=other, version=2, comments={"assessment": "Mine."})
    assert other.response.version == 3


def test_without_a_version_only_the_client_that_saved_last_may_save(authority: Authority) -> None:
    """CONTRACTS §5: `version` is optional while one client edits; once another client has saved,
    a save without it could overwrite that save unseen, so it is refused and nothing is saved."""
    audit = audit_of(authority)
    actor = audit.auditor.user
    audit_save(actor=actor, audit=audit, client="token:a", comments={"assessment": "One."})
    audit_save(actor=actor, audit=audit, client="token:a", comments={"assessment": "Two."})
    assert audit.response.version == 3  # the same client, twice, without a version
    with pytest.raises(VersionRequired) as refused:
        audit_save(actor=actor, audit=audit, client="session:b", comments={"assessment": "Mine."})
    assert isinstance(refused.value, StaleVersion) and refused.value.current_version == 3
    assert section_row(audit, "assessment").comments == "Two."
    audit_save(actor=actor, audit=audit, client="session:b", version=3, comments={"assessment": "Mine."})
    with pytest.raises(VersionRequired):
        audit_save(actor=actor, audit=audit, client="token:a", comments={"assessment": "Three."})
    audit_save(actor=actor, audit=audit, comments={"assessment": "Unchecked."})  # names no client
    with pytest.raises(VersionRequired):
        audit_save(actor=actor, audit=audit, client="session:b", comments={"assessment": "Again."})


def test_every_save_raises_the_version_and_records_what_changed(authority: Authority) -> None:
    """REC-3: who, when, what — each change {field: [old, new]}."""
    audit = audit_of(authority)
    actor = audit.auditor.user
    audit_save(actor=actor, audit=audit, answers={"assessment.child_seen": "yes"})
    audit_save(
        actor=actor,
        audit=audit,
        answers={"assessment.child_seen": "no"},
        audit_date=datetime.date(2026, 12, 8),
    )
    assert audit.response.version == 3
    latest = events(audit, "audit.saved")[0]
    assert latest.actor == actor
    assert latest.changes == {
        "answers.assessment.child_seen": [{"value": "yes", "reason": ""}, {"value": "no", "reason": ""}],
        "audit_date": ["2026-12-02", "2026-12-08"],
        "version": [2, 3],
    }


def test_a_save_that_changes_nothing_keeps_the_version_and_writes_no_history(authority: Authority) -> None:
    """A page saved as it was (or text typed and taken back) must not make another editor's copy
    stale (CONTRACTS §5): no new version, no history row."""
    audit = audit_of(authority)
    actor = audit.auditor.user
    audit_save(actor=actor, audit=audit, version=1, comments={"assessment": "Seen at school."})
    saved = events(audit, "audit.saved")
    audit_save(actor=actor, audit=audit, version=2, comments={"assessment": "Seen at school."})
    assert audit.response.version == 2 and events(audit, "audit.saved") == saved
    other = Audit.objects.get(pk=audit.pk)
    audit_save(actor=actor, audit=other, version=2, comments={"assessment": "Seen at school, alone."})
    assert other.response.version == 3  # the other editor's copy was still current


def test_the_first_save_of_an_allocated_audit_starts_it_even_unchanged(authority: Authority) -> None:
    audit = audit_of(authority, status=Audit.Status.ALLOCATED)
    audit_save(actor=audit.auditor.user, audit=audit, comments={"assessment": ""})
    assert (audit.status, audit.response.version) == (Audit.Status.IN_PROGRESS, 2)
