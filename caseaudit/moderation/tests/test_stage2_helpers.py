"""Helpers of the Stage 2 tests (no tests here): audits taken into Stage 2 by the real services,
and a moderation filled in as a moderator would."""

from typing import Any

from django.db import transaction

from caseaudit.audits.models import Audit
from caseaudit.audits.services import audit_save, audit_submit
from caseaudit.audits.services_grades import grade_refs
from caseaudit.audits.tests.test_services_helpers import all_yes, audit_of, templates_load
from caseaudit.conftest import Authority
from caseaudit.moderation.models import Moderation
from caseaudit.moderation.services.lifecycle import audit_lock, audit_move_on
from caseaudit.moderation.services.stage2 import GradeInput, moderation_assign, moderation_save
from caseaudit.moderation.tests.helpers import submitted_audit
from caseaudit.templates_library.selectors import template_spec

ANSWERS = {
    "discussion.date": "2027-01-12",
    "discussion.attendees": ["moderator", "group_manager", "practice_manager", "social_worker"],
    "discussion.record": "We discussed the plan and the strengths of the work with the family.",
    "difference.made_a_difference": "yes",
    "difference.evidence": "The child now attends school every day.",
}


def moved_on(audit: Audit, actor: Any = None) -> Audit:
    with transaction.atomic():
        audit_lock(audit)
        audit_move_on(actor=actor or audit.auditor.user, audit=audit, event="feedback_given")
    audit.refresh_from_db()
    return audit


def in_moderation(authority: Authority, record: str = "own_team", **kwargs: Any) -> Audit:
    """An audit of `record` submitted (every grade Good by default) and moved into Stage 2."""
    return moved_on(submitted_audit(authority, record, **kwargs))


def limited_in_moderation(authority: Authority, record: str = "own_team") -> Audit:
    """An audit whose Assessment limiting judgement 'Was the child seen?' is No, so Assessment and
    the overall grade are Requires improvement at best; every grade Requires improvement."""
    templates_load()
    audit = audit_of(authority, record)
    answers = all_yes(audit)
    answers["assessment.child_seen"] = "no"
    spec = template_spec(template_version=audit.template_version)
    audit_save(
        actor=audit.auditor.user,
        audit=audit,
        answers=answers,
        section_grades={section.ref: "requires_improvement" for section in spec.graded_sections},
        overall_grade="requires_improvement",
    )
    return moved_on(audit_submit(actor=audit.auditor.user, audit=audit))


def moderation(audit: Audit) -> Moderation:
    return Moderation.objects.select_related("moderator", "response").get(audit=audit)


def assigned(authority: Authority, audit: Audit, who: str = "moderator") -> Moderation:
    moderation_assign(actor=authority.people["qa_officer"].user, audit=audit, moderator=authority.people[who])
    return moderation(audit)


def refs_of(audit: Audit) -> list[str]:
    return grade_refs(template_spec(template_version=audit.template_version))


def filled(authority: Authority, audit: Audit, who: str = "moderator", **changed: GradeInput) -> Moderation:
    """The moderation assigned to `who` and filled in: every answer, every grade agreed but `changed`."""
    assigned(authority, audit, who)
    grades = {ref: changed.get(ref, GradeInput(True)) for ref in refs_of(audit)}
    moderation_save(actor=authority.people[who].user, audit=audit, answers=ANSWERS, grades=grades)
    return moderation(audit)
