"""Reads of audits, always scoped to the person asking (SEC-1, CONTRACTS §3).

An audit is visible to: the allocated worker of its case and everyone above them; the worker
whose work it audits and everyone above them; its auditor, but for a restricted case only once
their access request is granted; anyone granted access to its case (SEL-6); QA, moderators and
panel chairs when its case is not restricted; the superuser. The administrator role alone sees none."""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet, Subquery
from django.utils import timezone

from caseaudit.audits.deadlines import DueRule, any_inadequate, due_rule
from caseaudit.audits.machines import EDITABLE
from caseaudit.audits.models import (
    Audit,
    AuditAction,
    AuditDocument,
    AuditStatusChange,
    ComplianceGap,
    Discussion,
)
from caseaudit.audits.validation import audit_date_problems, safeguarding_problems
from caseaudit.cases.models import Case
from caseaudit.cases.selectors import case_scope
from caseaudit.core.problems import Problem
from caseaudit.org.models import LineManagementLink
from caseaudit.org.selectors import working_calendar
from caseaudit.questionnaires.models import ResponseSection
from caseaudit.questionnaires.selectors import ResponseState, response_state
from caseaudit.templates_library.models import Section
from caseaudit.templates_library.selectors import template_sections
from caseaudit.templates_library.spec import Answer, TemplateSpec


def audit_visible_q(*, user: Any) -> Q:
    """The audits `user` may see, as a filter over Audit."""
    scope = case_scope(user=user)
    if scope.everything:
        return Q()
    visible = Q(pk__in=[])
    if scope.staff_pk is not None:
        below = LineManagementLink.objects.filter(manager_id=scope.staff_pk).values("report_id")
        visible = (
            scope.line_q(prefix="case__")
            | Q(worker_id=scope.staff_pk)
            | Q(worker_id__in=Subquery(below))
            | Q(auditor_id=scope.staff_pk, case__restricted=False)
            | scope.granted_full_q(prefix="case__")
        )
    if scope.all_cases or scope.all_audits:
        visible |= Q(case__restricted=False)
    return visible


def audit_list(*, user: Any, case: Case | None = None) -> QuerySet[Audit]:
    """The audits `user` may see, newest first, with what a list or a page shows of each."""
    audits = Audit.objects.filter(audit_visible_q(user=user)).select_related(
        "case__child",
        "case__team",
        "response__template_version",
        "auditor",
        "worker",
        "practice_manager",
    )
    if case is not None:
        audits = audits.filter(case=case)
    return audits


def audit_get(*, user: Any, audit_id: int) -> Audit | None:
    """The audit, or None when it does not exist or `user` may not see it."""
    return audit_list(user=user).filter(pk=audit_id).first()


def audit_is_visible(*, user: Any, audit: Audit) -> bool:
    return Audit.objects.filter(audit_visible_q(user=user), pk=audit.pk).exists()


def audit_template_sections(*, audit: Audit) -> QuerySet[Section]:
    """The sections of the audit's own template version, with their questions and grade
    descriptors, in three queries however many there are."""
    return template_sections(template_version=audit.template_version)


@dataclass(frozen=True)
class AuditState:
    """Everything about one audit that the form, the check-your-answers page, the PDF and the API
    show, read in a fixed number of queries: its Stage 1 response and what only an audit has."""

    audit: Audit
    response: ResponseState
    actions: list[AuditAction]
    compliance_gaps: list[ComplianceGap]
    status_history: list[AuditStatusChange]
    documents: list[AuditDocument]
    # What stops Stage 1 being submitted: the audit date, the response's own problems, then the
    # safeguarding question and the actions' deadlines (ACT-2)
    submission_problems: list[Problem]
    # The deadline rule of its actions as it stands (None while it has no audit date)
    due_rule: DueRule | None = None

    @property
    def template(self) -> TemplateSpec:
        return self.response.template

    @property
    def answers(self) -> dict[str, Answer]:
        return self.response.answers

    @property
    def sections(self) -> dict[str, ResponseSection]:
        return self.response.sections

    @property
    def required_if(self) -> dict[str, Any]:
        return self.response.required_if

    @property
    def proposed_overall_grade(self) -> str | None:
        return self.response.proposed_overall_grade

    @property
    def best_grade_allowed(self) -> dict[str, str]:
        """{section ref or "overall": the best grade the limiting judgements allow} (GRD-2)"""
        return self.response.best_grade_allowed

    @property
    def section_grades(self) -> dict[str, str]:
        return self.response.section_grades

    @property
    def comments(self) -> dict[str, str]:
        return self.response.comments

    @property
    def read_only(self) -> bool:
        return self.audit.status not in EDITABLE

    @property
    def ready_to_submit(self) -> bool:
        return not self.submission_problems and not self.read_only

    def problems_for(self, ref: str) -> list[Problem]:
        """The submission problems about one question, section or "overall"."""
        return [problem for problem in self.submission_problems if problem.ref == ref]


def audit_state(*, audit: Audit) -> AuditState:
    response = response_state(response=audit.response)
    actions = list(AuditAction.objects.filter(audit=audit).select_related("owner"))
    rule = audit_due_rule(
        audit=audit,
        section_grades=response.section_grades,
        overall_grade=audit.response.overall_grade,
        concerns=audit.safeguarding_concerns,
    )
    return AuditState(
        audit=audit,
        response=response,
        actions=actions,
        compliance_gaps=list(
            ComplianceGap.objects.filter(audit=audit).select_related(
                "flagged_by__staff", "addressed_by__staff"
            )
        ),
        status_history=list(AuditStatusChange.objects.filter(audit=audit).select_related("by__staff")),
        documents=list(AuditDocument.objects.filter(audit=audit)),
        submission_problems=[
            *audit_date_problems(audit.audit_date, today=timezone.localdate()),
            *response.completion_problems,
            *audit_action_problems(
                audit=audit,
                section_grades=response.section_grades,
                overall_grade=audit.response.overall_grade,
                actions=actions,
                rule=rule,
            ),
        ],
        due_rule=rule,
    )


def audit_due_rule(
    *,
    audit: Audit,
    section_grades: Mapping[str, str],
    overall_grade: str,
    concerns: bool | None,
    counts_from: datetime.date | None = None,
) -> DueRule | None:
    """The deadline rule for the audit's actions (ACT-2) with these grades and this answer to
    "safeguarding concerns?", counted from `counts_from` (default the audit date); None while the
    audit has no date."""
    start = counts_from or audit.audit_date
    if start is None:
        return None
    safeguarding = any_inadequate(section_grades, overall_grade) and concerns is True
    return due_rule(start, safeguarding=safeguarding, calendar=working_calendar())


def audit_action_problems(
    *,
    audit: Audit,
    section_grades: Mapping[str, str],
    overall_grade: str,
    actions: list[AuditAction],
    rule: DueRule | None = None,
) -> list[Problem]:
    """ACT-2 before submission: the safeguarding question answered where a grade is Inadequate,
    and every action due within the deadline rule (`rule`, when the caller has it)."""
    rule = rule or audit_due_rule(
        audit=audit,
        section_grades=section_grades,
        overall_grade=overall_grade,
        concerns=audit.safeguarding_concerns,
    )
    return safeguarding_problems(
        section_grades=section_grades,
        overall_grade=overall_grade,
        concerns=audit.safeguarding_concerns,
        rule=rule,
        actions=[(action.due_date, action.due_reason) for action in actions],
    )


def compliance_gap_get(*, user: Any, audit: Audit, gap_id: int) -> ComplianceGap | None:
    """A compliance gap of an audit `user` may see."""
    if not audit_is_visible(user=user, audit=audit):
        return None
    return ComplianceGap.objects.filter(audit=audit, pk=gap_id).select_related("audit").first()


def audit_document_get(*, user: Any, audit: Audit, document_id: int) -> AuditDocument | None:
    """A rendered document of an audit `user` may see (served only after this check, REC-1)."""
    if not audit_is_visible(user=user, audit=audit):
        return None
    return AuditDocument.objects.filter(audit=audit, pk=document_id).first()


def discussion_of(*, audit: Audit) -> Discussion | None:
    """The audit's discussion, cancelled or not (callers show which)."""
    return Discussion.objects.filter(audit=audit).select_related("updated_by__staff").first()
