"""Starting, saving and submitting a Stage 1 audit through the services (AUD, GRD, REC-3)."""

import datetime
from typing import Any

import pytest
from django.core import mail
from django.db.models import QuerySet

from caseaudit.audits.errors import AuditReadOnly, AuditRefused
from caseaudit.audits.models import Audit, AuditDocument, AuditStatusChange
from caseaudit.audits.selectors import audit_state
from caseaudit.audits.services import (
    audit_save,
    audit_start,
    audit_submission_problems,
    audit_submit,
)
from caseaudit.audits.tests.test_services_helpers import (
    AUDIT_DATE,
    STRENGTHS,
    all_yes,
    audit_of,
    complete,
    current_version_pk,
    templates_load,
)
from caseaudit.cases.models import Case
from caseaudit.conftest import Authority
from caseaudit.core.models import AuditEvent
from caseaudit.org.tests.factories import StaffFactory
from caseaudit.questionnaires.errors import StaleVersion, VersionRequired
from caseaudit.questionnaires.models import ResponseAnswer, ResponseSection


def section_row(audit: Audit, ref: str) -> ResponseSection:
    return ResponseSection.objects.get(response__audit=audit, section_ref=ref)


def answer_row(audit: Audit, ref: str) -> QuerySet[ResponseAnswer]:
    return ResponseAnswer.objects.filter(response__audit=audit, question_ref=ref)


@pytest.fixture(autouse=True)
def _templates(db: Any) -> None:
    templates_load()


def refs(exc: AuditRefused) -> set[tuple[str, str]]:
    return {(problem.ref, problem.field) for problem in exc.problems}


def events(audit: Audit, action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(object_type="audit", object_ref=str(audit.pk), action=action))


# --- starting ------------------------------------------------------------------------------


def test_start_uses_the_types_current_template_window_and_people(authority: Authority) -> None:
    """AUD-1/AUD-2/TPL-3: Good Practice → Stage 1 template, 6-month window ending on the audit
    date; the worker and their practice manager recorded; a row per section."""
    audit = audit_of(authority)
    assert audit.response.template_version_id == current_version_pk("stage1_good_practice")
    assert (audit.window_start, audit.window_end) == (datetime.date(2026, 6, 7), AUDIT_DATE)
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
    assert audit.window_start == datetime.date(2025, 12, 7)
    shorter = audit_of(authority, audit_type="early_help_front_door", window_months=3)
    assert shorter.window_start == datetime.date(2026, 9, 7)


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


# --- saving ----------------------------------------------------------------------------------


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
    first = {"what": "Update the chronology", "due_date": "2027-01-04", "impact": "A clear history for Sam"}
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
            "due_date": "2027-01-04",
            "impact": first["impact"],
        }
    ]


def test_actions_missing_what_when_or_impact_are_refused(authority: Authority) -> None:
    audit = audit_of(authority)
    good = {"what": "Update the chronology", "due_date": "2027-01-04", "impact": "A clear history"}
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
        "audit_date": ["2026-12-07", "2026-12-08"],
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


# --- submitting ------------------------------------------------------------------------------


def test_submission_problems_list_everything_missing(authority: Authority) -> None:
    audit = audit_of(authority, audit_date=None)
    problems = {(p.ref, p.field) for p in audit_submission_problems(audit=audit)}
    assert ("audit", "audit_date") in problems
    assert ("overall", "overall_grade") in problems
    assert ("comments_actions.strengths", "answer") in problems
    assert ("comments_actions.issues", "answer") not in problems  # not required
    assert {("assessment", "grade"), ("reflection_supervision", "grade")} <= problems
    assert ("comments_actions", "grade") not in problems  # not graded
    assert ("assessment.child_seen", "answer") in problems
    strengths = next(
        p for p in audit_submission_problems(audit=audit) if p.ref == "comments_actions.strengths"
    )
    assert strengths.message == "Say what the social worker has done well"


def test_submit_refused_with_the_complete_list(authority: Authority) -> None:
    audit = audit_of(authority)
    answers = all_yes(audit)
    answers["comments_actions.strengths"] = "   "
    audit_save(actor=audit.auditor.user, audit=audit, answers=answers)
    with pytest.raises(AuditRefused) as refused:
        audit_submit(actor=audit.auditor.user, audit=audit)
    assert ("comments_actions.strengths", "answer") in refs(refused.value)
    assert len(refused.value.problems) == 5 + 1 + 1  # five grades, overall, strengths
    audit.refresh_from_db()
    assert audit.status == "in_progress"


def test_submit_makes_the_audit_read_only_with_history(authority: Authority) -> None:
    audit = complete(audit_of(authority), grade="good", comments={"comments_actions": STRENGTHS})
    actor = audit.auditor.user
    audit = audit_submit(actor=actor, audit=audit, version=audit.response.version)
    assert audit.status == "submitted" and audit.submitted_by == actor and audit.submitted_at is not None
    rows = [(r.from_status, r.to_status, r.by) for r in AuditStatusChange.objects.filter(audit=audit)]
    assert rows == [("", "in_progress", actor), ("in_progress", "submitted", actor)]
    assert len(events(audit, "audit.submitted")) == 1
    assert AuditDocument.objects.filter(audit=audit, stage="stage1").count() == 1  # REC-1
    with pytest.raises(AuditReadOnly):
        audit_save(actor=actor, audit=audit, comments={"assessment": "Late thought"})
    with pytest.raises(AuditReadOnly):
        audit_submit(actor=actor, audit=audit)
    assert section_row(audit, "assessment").comments == ""


def test_the_submitted_audit_goes_to_the_worker_and_their_line_manager(
    authority: Authority, django_capture_on_commit_callbacks: Any
) -> None:
    """REC-1: sent to the worker and their line manager, as a link to the logged download."""
    audit = complete(
        audit_of(authority),
        grade="requires_improvement",
        actions=[
            {"what": "Update the chronology", "due_date": "2026-12-21", "impact": "A clear history"},
            {"what": "Record supervision", "due_date": "2026-12-14", "impact": "Reflective oversight"},
        ],
    )
    with django_capture_on_commit_callbacks(execute=True):
        audit_submit(actor=audit.auditor.user, audit=audit)
    [message] = mail.outbox
    worker, manager = authority.people["social_worker"], authority.people["practice_manager"]
    assert (message.to, message.cc) == ([worker.email], [manager.email])
    assert message.subject == "Stage 1 audit submitted: case C-OWN"
    assert f"{audit.auditor.name} has submitted the Stage 1 audit of case C-OWN" in message.body
    assert "held on 7 December 2026. Overall grade: Requires improvement." in message.body
    assert "It sets 2 actions, the first due by 14 December 2026." in message.body
    assert f"/audits/{audit.pk}/" in message.body
    assert message.attachments == []
    assert audit.case.child.name not in message.body and "Update the chronology" not in message.body


def test_a_refused_submission_sends_nothing(
    authority: Authority, django_capture_on_commit_callbacks: Any
) -> None:
    audit = audit_of(authority)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(AuditRefused):
        audit_submit(actor=audit.auditor.user, audit=audit)
    assert mail.outbox == []


def test_submit_with_a_stale_version_is_refused(authority: Authority) -> None:
    audit = complete(audit_of(authority))
    with pytest.raises(StaleVersion):
        audit_submit(actor=audit.auditor.user, audit=audit, version=1)
    audit.refresh_from_db()
    assert audit.status == "in_progress"


def test_an_allocated_audit_cannot_be_submitted(authority: Authority) -> None:
    audit = audit_of(authority, status="allocated")
    with pytest.raises(AuditRefused):
        audit_submit(actor=audit.auditor.user, audit=audit)


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
