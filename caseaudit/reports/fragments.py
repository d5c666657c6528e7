"""The free texts of a period (QA-2): every section comment, the strengths and issues, every other
text answer of Stage 1, each action's expected impact, the moderation records (the discussion,
the evidence of a difference made, each grade change's reason) and the family's answers, of the
audits of the period once Stage 1 is submitted. A restricted case's words are never taken:
themes are read by the QA team, who may not see them (CONTRACTS §3).

Each fragment has a key naming where it came from (`section:12`, `answer:345`, `action:6`,
`grade_change:7`), unique, so that it sits in at most one theme."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q

from caseaudit.audits.models import Audit, AuditAction, GradeChange
from caseaudit.questionnaires.models import ResponseAnswer, ResponseSection
from caseaudit.reports.filters import ReportFilter
from caseaudit.reports.models import ThemeFragment
from caseaudit.templates_library.models import Question

Source = ThemeFragment.Source


@dataclass(frozen=True)
class Fragment:
    key: str
    audit_id: int
    source: str
    text: str


def _text_answer() -> Q:
    return Q(
        Exists(
            Question.objects.filter(
                template_id=OuterRef("response__template_version_id"),
                ref=OuterRef("question_ref"),
                answer_type=Question.AnswerType.TEXT,
            )
        )
    )


def _answer_source(ref: str) -> str:
    if ref.endswith(".strengths"):
        return Source.STRENGTHS
    if ref.endswith(".issues"):
        return Source.ISSUES
    return Source.ANSWER


def period_fragments(*, report: ReportFilter) -> list[Fragment]:
    """Every free text of the period's audits (not restricted ones), in a fixed order."""
    audits = Audit.objects.filter(report.audit_q(), case__restricted=False).values("pk")
    found: list[Fragment] = []
    for pk, audit_id, comments in (
        ResponseSection.objects.filter(response__audit__in=audits)
        .exclude(comments="")
        .values_list("pk", "response__audit__id", "comments")
    ):
        found.append(Fragment(f"section:{pk}", audit_id, Source.SECTION_COMMENT, comments))
    answers = ResponseAnswer.objects.filter(_text_answer()).exclude(value="")
    for pk, audit_id, ref, value in answers.filter(response__audit__in=audits).values_list(
        "pk", "response__audit__id", "question_ref", "value"
    ):
        found.append(Fragment(f"answer:{pk}", audit_id, _answer_source(ref), value))
    for pk, audit_id, value in answers.filter(response__moderation__audit__in=audits).values_list(
        "pk", "response__moderation__audit_id", "value"
    ):
        found.append(Fragment(f"answer:{pk}", audit_id, Source.MODERATION, value))
    for pk, audit_id, value in answers.filter(response__family_respondent__audit__in=audits).values_list(
        "pk", "response__family_respondent__audit_id", "value"
    ):
        found.append(Fragment(f"answer:{pk}", audit_id, Source.FAMILY, value))
    for pk, audit_id, value in (
        AuditAction.objects.filter(audit__in=audits)
        .exclude(impact="")
        .values_list("pk", "audit_id", "impact")
    ):
        found.append(Fragment(f"action:{pk}", audit_id, Source.ACTION_IMPACT, value))
    for pk, audit_id, value in (
        GradeChange.objects.filter(audit__in=audits)
        .exclude(reason="")
        .values_list("pk", "audit_id", "reason")
    ):
        found.append(Fragment(f"grade_change:{pk}", audit_id, Source.MODERATION, value))
    return sorted(found, key=lambda fragment: (fragment.audit_id, fragment.key))
