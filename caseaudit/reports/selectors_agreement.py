"""The reads of moderation agreement (QA-4, CONTRACTS §11): the (Stage 1, moderated) grades of
every moderated audit in the period that the person's report scope counts, overall and by auditor,
team or section, and by quarter for the drift."""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from caseaudit.audits.models import Audit, GradeChange
from caseaudit.moderation.sampling import Quarter
from caseaudit.reports.agreement import Agreement, agreement
from caseaudit.reports.filters import ReportFilter
from caseaudit.reports.selectors import grade_scale, graded_sections, report_audits, report_scope

GROUPINGS = ("auditor", "team", "section")


@dataclass(frozen=True)
class Pair:
    audit_id: int
    auditor: tuple[str, str]  # (staff ID, name)
    team: tuple[str, str]  # (team ID, name)
    quarter: Quarter
    stage1: dict[str, str]
    moderated: dict[str, str]


@dataclass(frozen=True)
class AgreementGroup:
    key: str
    label: str
    result: Agreement


@dataclass(frozen=True)
class AgreementReport:
    scale: list[tuple[str, str]]
    overall: Agreement
    by: str
    groups: list[AgreementGroup]


def moderated_audits(*, user: Any, report: ReportFilter) -> QuerySet[Audit]:
    """The counted audits that Stage 2 moderated (they have moderated grades)."""
    return (
        report_audits(user=user, report=report)
        .filter(moderated_grades__isnull=False)
        .select_related("auditor", "case__team")
        .order_by("audit_date", "pk")
    )


def _pairs(audits: QuerySet[Audit]) -> list[Pair]:
    return [
        Pair(
            audit_id=audit.pk,
            auditor=(audit.auditor.staff_id, audit.auditor.name),
            team=(audit.case.team.team_id, audit.case.team.name),
            quarter=Quarter.of(audit.audit_date or datetime.date.min),
            stage1=dict(audit.stage1_grades or {}),
            moderated=dict(audit.moderated_grades or {}),
        )
        for audit in audits
    ]


def _indexed(pairs: list[Pair], ref: str, index: dict[str, int]) -> list[tuple[int, int]]:
    return [
        (index[pair.stage1[ref]], index[pair.moderated[ref]])
        for pair in pairs
        if pair.stage1.get(ref) in index and pair.moderated.get(ref) in index
    ]


def agreement_report(*, user: Any, report: ReportFilter, by: str = "auditor") -> AgreementReport:
    """Agreement on the overall grade, and per group (`by`: auditor, team or section)."""
    scale = grade_scale()
    index = {token: position for position, (token, _) in enumerate(scale)}
    k = len(scale)
    pairs = _pairs(moderated_audits(user=user, report=report))
    groups: list[AgreementGroup] = []
    if by == "section":
        for ref, title in graded_sections(audit_type=report.audit_type):
            found = _indexed(pairs, ref, index)
            if found:
                groups.append(AgreementGroup(ref, title, agreement(found, k, interval=False)))
    else:
        grouped: dict[tuple[str, str], list[Pair]] = defaultdict(list)
        for pair in pairs:
            grouped[pair.auditor if by == "auditor" else pair.team].append(pair)
        for (key, label), members in sorted(grouped.items(), key=lambda item: item[0][1]):
            groups.append(
                AgreementGroup(key, label, agreement(_indexed(members, "overall", index), k, interval=False))
            )
    return AgreementReport(
        scale=scale, overall=agreement(_indexed(pairs, "overall", index), k), by=by, groups=groups
    )


def agreement_drift(
    *, user: Any, report: ReportFilter, quarters: list[Quarter]
) -> list[tuple[Quarter, Agreement]]:
    """Agreement on the overall grade in each quarter (oldest first), the same filter otherwise."""
    scale = grade_scale()
    index = {token: position for position, (token, _) in enumerate(scale)}
    found = []
    for quarter in quarters:
        pairs = _pairs(moderated_audits(user=user, report=report.with_period(quarter.start, quarter.end)))
        found.append((quarter, agreement(_indexed(pairs, "overall", index), len(scale), interval=False)))
    return found


def agreement_changes(*, user: Any, report: ReportFilter) -> QuerySet[GradeChange]:
    """The grade changes Stage 2 made to the counted audits that the person may open, with reasons
    (for an auditor's development conversation: filter by the auditor)."""
    scope = report_scope(user=user)
    audits = Audit.objects.filter(scope.counted, scope.listed, report.audit_q()).values("pk")
    return (
        GradeChange.objects.filter(audit__in=audits, stage=GradeChange.Stage.STAGE2)
        .select_related("audit__case", "by__staff")
        .order_by("-audit__audit_date", "audit_id", "ref")
    )
