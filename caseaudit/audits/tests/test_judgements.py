"""The limiting judgements by meaning (CONTRACTS §11): one value per meaning over every question
with it, frozen at Stage 1 submission, and filled in by the migrations for what came before."""

import importlib
from typing import Any

import pytest
from django.apps import apps

from caseaudit.audits.judgements import judgement_value, stage1_judgements
from caseaudit.audits.models import Audit
from caseaudit.audits.services import audit_save, audit_submit
from caseaudit.audits.tests.test_services_helpers import audit_of, complete, templates_load
from caseaudit.conftest import Authority
from caseaudit.templates_library.models import Question


@pytest.fixture(autouse=True)
def _templates(db: Any) -> None:
    templates_load()


def test_no_wins_then_yes_then_not_applicable() -> None:
    assert judgement_value(["yes", "no", "na"]) == "no"
    assert judgement_value(["yes", "na"]) == "yes"
    assert judgement_value(["na", "na"]) == "na"
    assert judgement_value(["", "maybe"]) is None
    assert judgement_value([]) is None


def test_every_limiting_question_of_the_shipped_templates_says_what_it_means() -> None:
    limiting = Question.objects.filter(limiting=True, template__is_current=True)
    assert limiting.count() >= 9
    assert set(limiting.values_list("judgement", flat=True)) == {
        "child_seen",
        "child_seen_alone",
        "child_voice",
    }


def _submitted(authority: Authority, answers: dict[str, str]) -> Audit:
    audit = complete(audit_of(authority), grade="requires_improvement")
    given = {
        ref: {"value": "na", "reason": "The child is 3."} if value == "na" else value
        for ref, value in answers.items()
    }
    audit_save(actor=audit.auditor.user, audit=audit, answers=given)
    audit.refresh_from_db()
    return audit_submit(actor=audit.auditor.user, audit=audit)


def test_submission_freezes_them_by_meaning_across_sections(authority: Authority) -> None:
    audit = _submitted(
        authority,
        {
            "assessment.child_seen": "yes",
            "intervention.child_seen": "no",  # one No makes the audit's "child seen" No
            "assessment.child_seen_alone": "na",
            "intervention.child_seen_alone": "na",
            "assessment.child_voice": "yes",
            "intervention.child_voice": "yes",
        },
    )
    audit.refresh_from_db()
    assert audit.judgements == {"child_seen": "no", "child_seen_alone": "na", "child_voice": "yes"}
    assert stage1_judgements(audit=audit) == audit.judgements


def test_the_migrations_fill_what_was_submitted_before(authority: Authority) -> None:
    audit = _submitted(authority, {"intervention.child_voice": "no"})
    Audit.objects.filter(pk=audit.pk).update(judgements={})
    Question.objects.filter(limiting=True).update(judgement="")
    questions = importlib.import_module("caseaudit.templates_library.migrations.0002_question_judgement")
    audits = importlib.import_module("caseaudit.audits.migrations.0010_audit_judgements")
    questions.meanings_from_refs(apps, None)
    audits.judgements_from_answers(apps, None)
    audit.refresh_from_db()
    assert audit.judgements == {"child_seen": "yes", "child_seen_alone": "yes", "child_voice": "no"}
    assert Question.objects.filter(limiting=True, judgement="").count() == 0
