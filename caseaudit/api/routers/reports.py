"""Stage 3's figures over the API (QA-1, QA-4, CONTRACTS §11), with the dashboard's scoping: QA,
senior managers and the superuser have every audit counted (restricted ones in totals); managers
their line's. Whoever may not read figures is refused with 403, logged. The numbers are the
dashboard's and the quarterly report's: the same selectors count them."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema

from caseaudit.api.problems import ApiProblem, Problem, not_visible
from caseaudit.core.services import access_log_record
from caseaudit.reports.filters import report_filter_parse
from caseaudit.reports.selectors import report_summary
from caseaudit.reports.selectors_agreement import GROUPINGS, agreement_report
from caseaudit.reports.selectors_themes import themes_json
from caseaudit.reports.subject_access import subject_access_zip, subject_child

router = Router(tags=["reports"])


class ReportQuery(Schema):
    from_: str | None = Field(
        None,
        alias="from",
        description="First day, YYYY-MM-DD (default: the start of the last complete quarter).",
    )
    to: str | None = Field(
        None, description="Last day, YYYY-MM-DD (default: the end of the last complete quarter)."
    )
    period: str | None = Field(
        None, description="Instead of from and to: a quarter (2026Q4) or a month (2026-11)."
    )
    team_id: str | None = None
    service_area: str | None = Field(None, description="A service area's name.")
    audit_type: str | None = Field(None, description="An audit type's token, e.g. good_practice.")
    auditor_id: str | None = Field(None, description="The auditor's staff ID.")
    stage: str | None = Field(None, description="effective (default) or stage1: which grades are counted.")


class SummaryOut(Schema):
    from_: str = Field(alias="from")
    to: str
    stage: str
    audits: int
    overall_grades: dict[str, int]
    section_grades: dict[str, dict[str, int]]
    limiting: dict[str, dict[str, int]]
    timeliness: dict[str, int]
    moderation: dict[str, int]
    actions: dict[str, int]
    escalations: dict[str, int | None]
    family_feedback: dict[str, int]


class AgreementGroupOut(Schema):
    key: str
    label: str
    pairs: int
    changed: int
    mean_shift: float | None
    weighted_kappa: float | None


class AgreementOut(Schema):
    pairs: int
    changed: int
    mean_shift: float | None = Field(description="In grade steps, positive where moderators graded better.")
    weighted_kappa: float | None = Field(description="Cohen's kappa, quadratic weights; null when undefined.")
    kappa_ci95: list[float] | None = Field(
        description="95% percentile bootstrap (2,000 resamples, fixed seed)."
    )
    by: str
    groups: list[AgreementGroupOut]


def _log(
    request: HttpRequest, object_type: str, ref: str, *, allowed: bool = True, action: str = "view"
) -> None:
    access_log_record(
        actor=request.user,
        object_type=object_type,
        object_ref=ref,
        allowed=allowed,
        action=action,
        request=request,
        via="api",
    )


def _filter(request: HttpRequest, query: ReportQuery, perm: str, object_type: str) -> Any:
    if not request.user.has_perm(perm):
        access_log_record(
            actor=request.user,
            object_type=object_type,
            object_ref="api",
            allowed=False,
            request=request,
            via="api",
        )
        raise ApiProblem(403, "You may not read these figures.")
    params = query.dict(by_alias=True, exclude_none=True)
    report, errors = report_filter_parse(params, today=timezone.localdate())
    if errors:
        raise ApiProblem(
            400,
            "The period or a filter was not understood.",
            errors=[{"ref": field, "field": field, "message": message} for field, message in errors],
        )
    return report


@router.get(
    "/reports/summary",
    response={200: SummaryOut, 400: Problem, 401: Problem, 403: Problem},
    url_name="report_summary",
    summary="The figures of a period",
    by_alias=True,
)
def summary(request: HttpRequest, query: Query[ReportQuery]) -> Any:
    """Audits by their audit date in the period once Stage 1 is submitted, with their effective
    grades (or Stage 1's with `stage=stage1`); actions and escalations of those audits."""
    report = _filter(request, query, "reports.view_dashboard", "report_summary")
    _log(request, "report_summary", f"{report.start}..{report.end}")
    return report_summary(user=request.user, report=report, today=timezone.localdate())


@router.get(
    "/reports/moderation-agreement",
    response={200: AgreementOut, 400: Problem, 401: Problem, 403: Problem},
    summary="How far moderators change auditors' grades",
)
def moderation_agreement(request: HttpRequest, query: Query[ReportQuery], by: str = "auditor") -> Any:
    """Pairs are the (Stage 1, moderated) overall grades of the moderated audits of the period;
    `by`: auditor, team or section (for section, each group's pairs are that section's grades)."""
    report = _filter(request, query, "reports.view_agreement", "report_agreement")
    if by not in GROUPINGS:
        raise ApiProblem(
            400,
            "`by` is auditor, team or section.",
            errors=[{"ref": "by", "field": "by", "message": f"{by!r} is not auditor, team or section"}],
        )
    found = agreement_report(user=request.user, report=report, by=by)
    _log(request, "report_agreement", f"{report.start}..{report.end}")
    overall = found.overall
    return {
        "pairs": overall.pairs,
        "changed": overall.changed,
        "mean_shift": overall.mean_shift,
        "weighted_kappa": overall.weighted_kappa,
        "kappa_ci95": list(overall.kappa_ci95) if overall.kappa_ci95 else None,
        "by": by,
        "groups": [
            {
                "key": group.key,
                "label": group.label,
                "pairs": group.result.pairs,
                "changed": group.result.changed,
                "mean_shift": group.result.mean_shift,
                "weighted_kappa": group.result.weighted_kappa,
            }
            for group in found.groups
        ],
    }


class ThemeFragmentOut(Schema):
    audit_id: int
    source: str = Field(
        description="section_comment, strengths, issues, answer, action_impact, moderation or family."
    )
    text: str


class ThemeOut(Schema):
    id: int | None = Field(description="null for a fresh suggestion not yet stored.")
    label: str
    kind: str = Field(description="strength, barrier or mixed.")
    status: str = Field(description="suggested or confirmed.")
    area: str = Field(description="The seed's core area of practice it grew from; empty for one of its own.")
    terms: list[str]
    fragments: list[ThemeFragmentOut]


class ThemesOut(Schema):
    from_: str = Field(alias="from")
    to: str
    themes: list[ThemeOut]


@router.get(
    "/reports/themes",
    response={200: ThemesOut, 400: Problem, 401: Problem, 403: Problem},
    summary="The themes of a period's free text",
    by_alias=True,
)
def themes(request: HttpRequest, query: Query[ReportQuery]) -> Any:
    """The period's stored themes (suggested and confirmed), or, where none is stored, fresh
    suggestions. For the QA team: themes quote audits (never a restricted one)."""
    report = _filter(request, query, "reports.manage_themes", "report_themes")
    _log(request, "report_themes", f"{report.start}..{report.end}")
    return themes_json(start=report.start, end=report.end)


@router.get(
    "/children/{child_id}/subject-access-export",
    response={200: None, 401: Problem, 403: Problem, 404: Problem},
    summary="Everything held about a child, as one .zip (subject access)",
    tags=["records"],
)
def subject_access_export(request: HttpRequest, child_id: Path[str]) -> Any:
    """For a subject access request (REC-2): every audit, moderation, action, feedback and story
    board about the child, as JSON, with the stored PDFs and a manifest (SHA-256 of each file).
    The head of QA and the information governance role only; every export is logged."""
    if not request.user.has_perm("reports.subject_access"):
        _log(request, "subject_access_export", child_id, allowed=False, action="export")
        raise ApiProblem(403, "You may not export a child's records.")
    child = subject_child(child_id=child_id)
    if child is None:
        raise not_visible(
            request, object_type="subject_access_export", object_ref=child_id, detail="No child with that ID."
        )
    body, _ = subject_access_zip(child=child, requested_by=request.user.get_username())
    _log(request, "subject_access_export", child.child_id, action="export")
    response = HttpResponse(body, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="subject-access-{child.child_id}.zip"'
    return response
