"""Helpers shared by the audit tests (no tests here): the shipped templates loaded, audits
started and filled in through the real services, as a person would."""

import datetime
import shutil
from io import StringIO
from pathlib import Path
from typing import Any

from django.core.management import call_command

from caseaudit.audits.errors import AuditRefused
from caseaudit.audits.models import Audit
from caseaudit.audits.services import audit_save, audit_start
from caseaudit.cases.models import Case
from caseaudit.conftest import Authority
from caseaudit.core.models import AuditEvent
from caseaudit.org.models import Staff
from caseaudit.templates_library.loader import templates_load as loader_load
from caseaudit.templates_library.selectors import template_spec, template_version_current
from caseaudit.templates_library.tests.conftest import TEMPLATES_DIR

AUDIT_DATE = datetime.date(2026, 12, 2)  # in the past (a future audit date is refused at submission)
STRENGTHS = "The worker knows the child well and has built trust with the family."


def templates_load() -> None:
    call_command("load_templates", stdout=StringIO())


def template_revised(tmp_path: Path, filename: str, old: str, new: str) -> None:
    """The shipped templates loaded, then `filename` changed (`old` → `new`) and loaded again, as
    a council revising a template does: its version 1 stays, version 2 becomes current."""
    templates_load()
    copy = tmp_path / "audit_templates"
    shutil.copytree(TEMPLATES_DIR, copy, ignore=shutil.ignore_patterns("schema"))
    path = copy / filename
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    loader_load(directory=copy)


def audit_of(
    authority: Authority,
    record: str = "own_team",
    *,
    auditor: str = "group_manager",
    audit_type: str = "good_practice",
    **kwargs: Any,
) -> Audit:
    """An audit of one of the authority's cases, conducted by `auditor` (by default GMB, the group
    manager of the other team), started by that auditor."""
    case: Case = authority.cases[record]
    person: Staff = authority.people[auditor]
    kwargs.setdefault("audit_date", AUDIT_DATE)
    return audit_start(actor=person.user, case=case, audit_type=audit_type, auditor=person, **kwargs)


def all_yes(audit: Audit) -> dict[str, Any]:
    """Every yes/no/NA question Yes, dates filled, the strengths written."""
    spec = template_spec(template_version=audit.template_version)
    answers: dict[str, Any] = {}
    for question in spec.questions:
        if question.answer_type == "yes_no_na":
            answers[question.ref] = "yes"
        elif question.answer_type == "date":
            answers[question.ref] = "2026-10-01"
        elif question.answer_type == "text" and question.required:
            answers[question.ref] = STRENGTHS
    return answers


def complete(audit: Audit, *, grade: str = "good", **kwargs: Any) -> Audit:
    """Fill in everything submission needs, every section graded `grade` (Inadequate: without
    safeguarding concerns unless `safeguarding_concerns` says otherwise)."""
    spec = template_spec(template_version=audit.template_version)
    if grade == "inadequate":
        kwargs.setdefault("safeguarding_concerns", False)
    actor = audit.auditor.user
    return audit_save(
        actor=actor,
        audit=audit,
        answers=all_yes(audit),
        section_grades={section.ref: grade for section in spec.graded_sections},
        overall_grade=grade,
        audit_date=kwargs.pop("audit_date", AUDIT_DATE),
        **kwargs,
    )


def current_version_pk(ref: str) -> int:
    version = template_version_current(ref=ref)
    assert version is not None
    return version.pk


def refs(exc: AuditRefused) -> set[tuple[str, str | None]]:
    """(ref, field) of each problem of a refusal."""
    return {(problem.ref, problem.field) for problem in exc.problems}


def events(audit: Audit, action: str) -> list[AuditEvent]:
    """The audit's history rows of one action, oldest first."""
    return list(AuditEvent.objects.filter(object_type="audit", object_ref=str(audit.pk), action=action))
