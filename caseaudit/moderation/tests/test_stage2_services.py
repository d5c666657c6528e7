"""Stage 2 services (MOD-1, MOD-2, ESC-2, REC-1): assigning and taking, the form's save with
grades checked against Stage 1's limiting judgements, the discussion's invite, and completion."""

import datetime
from typing import Any

import pytest
from django.utils import timezone

from caseaudit.audits.errors import AuditRefused
from caseaudit.audits.models import Audit, AuditAction, AuditDocument, GradeChange
from caseaudit.audits.services_grades import later_grade_problems
from caseaudit.conftest import Authority
from caseaudit.core.models import AuditEvent, OutboxMessage
from caseaudit.moderation.models import AuditAlert, ModerationGrade, QaInboxItem
from caseaudit.moderation.selectors import moderation_settings_get
from caseaudit.moderation.services.stage2 import (
    GradeInput,
    ModerationRefused,
    ModerationTaken,
    moderation_action_remove,
    moderation_actions,
    moderation_assign,
    moderation_complete,
    moderation_meeting_arrange,
    moderation_meeting_cancel,
    moderation_save,
    moderation_take,
    qa_inbox_item_read,
)
from caseaudit.moderation.tests.helpers import people_added, submitted_audit
from caseaudit.moderation.tests.test_stage2_helpers import (
    ANSWERS,
    assigned,
    filled,
    in_moderation,
    limited_in_moderation,
    moderation,
    refs_of,
)
from caseaudit.questionnaires.errors import StaleVersion

# Stage 2 adds actions due within 4 weeks of the day they are added (ACT-2).
STAGE2_DUE = (datetime.date.today() + datetime.timedelta(days=14)).isoformat()

pytestmark = pytest.mark.django_db


def codes(exc: Any) -> set[str]:
    return {problem.code for problem in exc.value.problems}


# --- assign and take ---------------------------------------------------------------------------


def test_qa_assign_a_moderator_who_is_mailed(authority: Authority) -> None:
    audit = in_moderation(authority)
    OutboxMessage.objects.all().delete()
    moderation_assign(
        actor=authority.people["qa_officer"].user, audit=audit, moderator=authority.people["moderator"]
    )
    row = moderation(audit)
    assert row.moderator == authority.people["moderator"] and row.assigned_at is not None
    mail = OutboxMessage.objects.get()
    assert mail.to == [authority.people["moderator"].email]
    assert "C-OWN" in mail.subject and authority.cases["own_team"].child.name not in mail.body
    assert AuditEvent.objects.filter(action="moderation.assigned", object_ref=str(audit.pk)).exists()


def test_a_conflicted_moderator_is_refused_with_the_reason(authority: Authority) -> None:
    people = people_added(authority)
    audit = in_moderation(authority)
    gmb = people["group_manager"]
    gmb.roles.create(role="moderator")  # the auditor is a moderator too
    with pytest.raises(ModerationRefused) as refused:
        moderation_assign(actor=people["qa_officer"].user, audit=audit, moderator=gmb)
    assert "may not moderate this audit: they conducted the audit" in refused.value.problems[0].message
    with pytest.raises(ModerationRefused, match="not a moderator"):
        moderation_assign(actor=people["qa_officer"].user, audit=audit, moderator=people["qa_officer"])
    assert moderation(audit).moderator is None


def test_a_moderator_takes_one_and_a_second_is_told_who_took_it(authority: Authority) -> None:
    people = people_added(authority)
    audit = in_moderation(authority)
    moderation_take(actor=people["moderator"].user, audit=audit)
    moderation_take(actor=people["moderator"].user, audit=audit)  # again: nothing changes
    with pytest.raises(ModerationTaken) as taken:
        moderation_take(actor=people["moderator_2"].user, audit=audit)
    assert taken.value.status == 409
    assert (
        taken.value.problems[0].message == f"This audit has already been taken by {people['moderator'].name}."
    )
    assert moderation(audit).moderator == people["moderator"]


def test_nothing_is_assigned_outside_stage2(authority: Authority) -> None:
    audit = submitted_audit(authority)
    with pytest.raises(AuditRefused) as refused:
        moderation_take(actor=authority.people["moderator"].user, audit=audit)
    assert refused.value.problems[0].message == "You cannot take this audit: the audit is stage 1 submitted."


# --- the form ----------------------------------------------------------------------------------


def test_answers_grades_and_actions_are_saved_with_a_new_version(authority: Authority) -> None:
    audit = in_moderation(authority)
    row = assigned(authority, audit)
    version = row.response.version
    saved = moderation_save(
        actor=authority.people["moderator"].user,
        audit=audit,
        version=version,
        answers=ANSWERS,
        grades={"assessment": GradeInput(False, "requires_improvement", "The plan was not shared.")},
        actions=[{"what": "Share the plan", "due_date": STAGE2_DUE, "impact": "The family know the plan."}],
    )
    assert saved.refused == []
    row = moderation(audit)
    assert row.response.version == version + 1
    grade = ModerationGrade.objects.get(moderation=row, ref="assessment")
    assert (grade.agree, grade.grade, grade.reason) == (
        False,
        "requires_improvement",
        "The plan was not shared.",
    )
    added = list(moderation_actions(moderation=row))
    assert [a.what for a in added] == ["Share the plan"]
    assert added[0].owner == authority.people["practice_manager"]  # the default owner
    with pytest.raises(StaleVersion):
        moderation_save(
            actor=authority.people["moderator"].user, audit=audit, version=version, answers=ANSWERS
        )


def test_a_grade_past_a_limiting_judgement_is_refused_at_save_with_stage1s_message(
    authority: Authority,
) -> None:
    audit = limited_in_moderation(authority)
    assigned(authority, audit)
    expected = later_grade_problems(audit=audit, grades={"assessment": "good"}, reasons={"assessment": "x"})
    assert expected and expected[0].code == "limiting_judgement_unmet"
    with pytest.raises(ModerationRefused) as refused:
        moderation_save(
            actor=authority.people["moderator"].user,
            audit=audit,
            answers=ANSWERS,
            grades={"assessment": GradeInput(False, "good", "Better than it looks")},
        )
    assert [p.message for p in refused.value.problems] == [expected[0].message]
    assert not ModerationGrade.objects.exists()
    # On a person's form the rest is kept.
    saved = moderation_save(
        actor=authority.people["moderator"].user,
        audit=audit,
        answers=ANSWERS,
        grades={"assessment": GradeInput(False, "good", "x"), "planning": GradeInput(True)},
        partial=True,
    )
    assert [p.message for p in saved.refused] == [expected[0].message]
    assert set(ModerationGrade.objects.values_list("ref", flat=True)) == {"planning"}
    assert moderation(audit).response.answers.filter(question_ref="discussion.record").exists()


def test_questions_outside_the_form_and_bad_actions_are_refused(authority: Authority) -> None:
    audit = in_moderation(authority)
    assigned(authority, audit)
    with pytest.raises(ModerationRefused) as refused:
        moderation_save(
            actor=authority.people["moderator"].user,
            audit=audit,
            answers={"practitioner_feedback.feedback": "mine", "discussion.date": "not a date"},
            actions=[{"what": "", "due_date": STAGE2_DUE, "impact": "x"}],
        )
    refs = {p.ref for p in refused.value.problems}
    assert {"practitioner_feedback.feedback", "discussion.date", "actions[0]"} <= refs


def test_an_added_action_can_be_removed_but_not_stage1s(authority: Authority) -> None:
    audit = in_moderation(authority)
    assigned(authority, audit)
    moderator = authority.people["moderator"].user
    moderation_save(
        actor=moderator, audit=audit, actions=[{"what": "Visit", "due_date": STAGE2_DUE, "impact": "Seen"}]
    )
    action = moderation_actions(moderation=moderation(audit)).get()
    moderation_action_remove(actor=moderator, audit=audit, action_id=action.pk)
    assert not AuditAction.objects.filter(pk=action.pk).exists()


# --- the discussion's invite ------------------------------------------------------------------


def future(hour: int = 10) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=14)
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour))


def test_the_discussion_invite_goes_to_all_four_and_changes_raise_the_sequence(authority: Authority) -> None:
    audit = in_moderation(authority)
    assigned(authority, audit)
    OutboxMessage.objects.all().delete()
    actor = authority.people["moderator"].user
    moderation_meeting_arrange(actor=actor, audit=audit, starts_at=future(), minutes=60, location="Room 1")
    first = OutboxMessage.objects.get()
    people = authority.people
    assert set(first.to) == {
        people["moderator"].email,
        people["group_manager"].email,
        people["practice_manager"].email,
        people["social_worker"].email,
    }
    ics = first.attachments[0]["content"]
    assert "METHOD:REQUEST" in ics and "SEQUENCE:0" in ics
    moderation_meeting_arrange(actor=actor, audit=audit, starts_at=future(), minutes=60, location="Room 1")
    assert OutboxMessage.objects.count() == 1  # unchanged: nothing sent
    moderation_meeting_arrange(actor=actor, audit=audit, starts_at=future(11), minutes=45, location="Room 1")
    assert "SEQUENCE:1" in OutboxMessage.objects.latest("pk").attachments[0]["content"]
    moderation_meeting_cancel(actor=actor, audit=audit)
    cancel = OutboxMessage.objects.latest("pk").attachments[0]["content"]
    assert "METHOD:CANCEL" in cancel and "SEQUENCE:2" in cancel
    with pytest.raises(ModerationRefused, match="an hour at most"):
        moderation_meeting_arrange(
            actor=actor, audit=audit, starts_at=future(), minutes=90, location="Room 1"
        )


# --- completion --------------------------------------------------------------------------------


def test_completion_is_refused_with_every_problem(authority: Authority) -> None:
    audit = in_moderation(authority)
    assigned(authority, audit)
    moderation_save(
        actor=authority.people["moderator"].user,
        audit=audit,
        grades={"assessment": GradeInput(False, "requires_improvement", "")},
    )
    with pytest.raises(ModerationRefused) as refused:
        moderation_complete(actor=authority.people["moderator"].user, audit=audit)
    found = {(p.ref, p.code) for p in refused.value.problems}
    assert {
        ("discussion.date", "unanswered"),
        ("discussion.attendees", "unanswered"),
        ("discussion.record", "unanswered"),
        ("difference.made_a_difference", "unanswered"),
        ("assessment", "grade_reason_missing"),
        ("planning", "agree_missing"),
        ("overall", "agree_missing"),
    } <= found
    assert Audit.objects.get(pk=audit.pk).status == "moderation"


def test_completion_makes_the_audit_final_with_pdf_inbox_and_alerts(authority: Authority) -> None:
    settings = moderation_settings_get()
    settings.qa_mailbox = "qa-team@example.test"
    settings.save()
    audit = in_moderation(authority)
    reason = "The analysis did not inform the plan."
    filled(
        authority,
        audit,
        assessment=GradeInput(False, "requires_improvement", reason),
        overall=GradeInput(False, "requires_improvement", "One section needs improving."),
    )
    OutboxMessage.objects.all().delete()
    moderation_complete(actor=authority.people["moderator"].user, audit=audit)

    audit.refresh_from_db()
    assert audit.status == "final" and audit.final_at is not None
    assert audit.effective_grades["assessment"] == "requires_improvement"
    assert audit.moderated_grades is not None and set(audit.moderated_grades) == set(refs_of(audit))
    assert audit.moderated_grades["planning"] == "good"
    changes = GradeChange.objects.filter(audit=audit, stage="stage2")
    assert {(c.ref, c.from_grade, c.to_grade) for c in changes} == {
        ("assessment", "good", "requires_improvement"),
        ("overall", "good", "requires_improvement"),
    }
    document = AuditDocument.objects.get(audit=audit, stage="stage2")
    item = QaInboxItem.objects.get(audit=audit)
    assert item.document == document and item.kind == "moderation_completed"
    people = authority.people
    alerts = set(
        AuditAlert.objects.filter(audit=audit, kind="moderation_completed").values_list("staff", flat=True)
    )
    assert alerts == {people["practice_manager"].pk, people["group_manager_a"].pk, people["social_worker"].pk}
    recipients = {address for message in OutboxMessage.objects.all() for address in message.to}
    assert {
        "qa-team@example.test",
        people["practice_manager"].email,
        people["social_worker"].email,
    } <= recipients
    child = authority.cases["own_team"].child
    for message in OutboxMessage.objects.all():
        assert child.name not in message.body and reason not in message.body
    with pytest.raises(AuditRefused):
        moderation_complete(actor=authority.people["moderator"].user, audit=audit)


def test_the_moderated_pdf_shows_the_grade_table(authority: Authority) -> None:
    from caseaudit.audits.documents import audit_document_html

    audit = in_moderation(authority)
    filled(authority, audit, planning=GradeInput(False, "requires_improvement", "No SMART outcomes."))
    moderation_complete(actor=authority.people["moderator"].user, audit=audit)
    html = audit_document_html(audit=Audit.objects.get(pk=audit.pk), stage="stage2")
    assert "Stage 2 moderation" in html and "No SMART outcomes." in html and "Requires improvement" in html
    assert "We discussed the plan" in html
    assert "The reflective discussion" not in audit_document_html(
        audit=Audit.objects.get(pk=audit.pk), stage="stage1"
    )


def test_a_failed_completion_deletes_the_rendered_pdf(authority: Authority, monkeypatch: Any) -> None:
    from caseaudit.moderation.services import stage2

    audit = in_moderation(authority)
    filled(authority, audit)
    names: list[str] = []
    real = stage2.audit_document_render

    def render_then_remember(**kwargs: Any) -> AuditDocument:
        document = real(**kwargs)
        names.append(document.file.name)
        return document

    def fail(**kwargs: Any) -> None:
        raise RuntimeError("mail down")

    monkeypatch.setattr(stage2, "audit_document_render", render_then_remember)
    monkeypatch.setattr(stage2, "_case_audit_alerts", lambda audit: fail())
    with pytest.raises(RuntimeError):
        moderation_complete(actor=authority.people["moderator"].user, audit=audit)
    assert names and not AuditDocument.objects.filter(stage="stage2").exists()
    storage = AuditDocument._meta.get_field("file").storage
    assert not storage.exists(names[0])


def test_marking_an_inbox_item_read_keeps_the_first_reader(authority: Authority) -> None:
    audit = in_moderation(authority)
    filled(authority, audit)
    moderation_complete(actor=authority.people["moderator"].user, audit=audit)
    item = QaInboxItem.objects.get()
    qa_inbox_item_read(actor=authority.people["qa_officer"].user, item=item)
    qa_inbox_item_read(actor=authority.people["head_of_qa"].user, item=item)
    item.refresh_from_db()
    assert item.read_by == authority.people["qa_officer"].user
