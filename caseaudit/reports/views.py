"""The Stage 3 pages (QA-1, QA-4): the dashboard, the list behind each of its figures, and
moderation agreement. GET forms only, so a filtered page can be bookmarked and works without
JavaScript; every page reads through the report scope (selectors.report_scope) and is logged."""

import datetime
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from caseaudit.audits.machines import status_label
from caseaudit.core.calendar import long_date, month_label, month_start, months_before
from caseaudit.core.denials import denied
from caseaudit.core.forms import form_error_summary
from caseaudit.core.paging import pagination_params
from caseaudit.core.services import access_log_record
from caseaudit.moderation.sampling import Quarter
from caseaudit.org.selectors import service_area_names, team_choices
from caseaudit.reports import presenters
from caseaudit.reports.figures import UnknownFigure
from caseaudit.reports.filters import ReportFilter, four_quarters_to, report_filter_parse
from caseaudit.reports.selectors import (
    grade_scale,
    graded_sections,
    report_auditors,
    report_breakdown,
    report_figure_list,
    report_grades,
    report_summary,
    report_trend,
)
from caseaudit.reports.selectors_agreement import (
    agreement_changes,
    agreement_drift,
    agreement_report,
)
from caseaudit.templates_library.selectors import audit_type_list

PAGE_SIZE = 50
BY_LABELS = {"team": "Team", "service_area": "Service area", "audit_type": "Audit type", "auditor": "Auditor"}
AGREEMENT_BY = {"auditor": "Auditor", "team": "Team", "section": "Section"}


def period_choices(today: datetime.date) -> list[tuple[str, str]]:
    """This quarter and the seven before it, then this month and the eleven before it."""
    quarter = Quarter.of(today)
    quarters = []
    for _ in range(8):
        quarters.append((f"{quarter.year}Q{quarter.number}", f"{quarter.label} (Q{quarter.number})"))
        quarter = quarter.previous()
    this = month_start(today)
    months = [((m := months_before(this, n)).strftime("%Y-%m"), month_label(m)) for n in range(12)]
    return quarters + months


class ReportFilterForm(forms.Form):
    """The filters of the Stage 3 pages; report_filter_parse gives them their meaning."""

    period = forms.ChoiceField(label="Period", required=False)
    team_id = forms.ChoiceField(label="Team", required=False)
    service_area = forms.ChoiceField(label="Service area", required=False)
    audit_type = forms.ChoiceField(label="Audit type", required=False)
    auditor_id = forms.ChoiceField(label="Auditor", required=False)
    stage = forms.ChoiceField(
        label="Grades",
        required=False,
        choices=[("", "Effective (after moderation)"), ("stage1", "Stage 1 (the auditor's)")],
    )

    def __init__(
        self, *args: Any, user: Any, today: datetime.date, by: dict[str, str] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = period_choices(today)  # type: ignore[attr-defined]
        self.fields["team_id"].choices = [("", "Any team"), *team_choices()]  # type: ignore[attr-defined]
        areas = [(name, name) for name in service_area_names()]
        self.fields["service_area"].choices = [("", "Any service area"), *areas]  # type: ignore[attr-defined]
        types = [(kind.token, kind.name) for kind in audit_type_list(active_only=False)]
        self.fields["audit_type"].choices = [("", "Any audit type"), *types]  # type: ignore[attr-defined]
        self.fields["auditor_id"].choices = [("", "Any auditor"), *report_auditors(user=user)]  # type: ignore[attr-defined]
        if by is not None:
            self.fields["by"] = forms.ChoiceField(
                label="Break down by", required=False, choices=list(by.items())
            )


def _filter(
    request: HttpRequest, today: datetime.date
) -> tuple[ReportFilter, list[tuple[str, str]], dict[str, str]]:
    """The filter asked for; where no period is asked, this quarter. The form's initial values
    are what the filter uses."""
    params = request.GET.dict()
    if not params.get("period") and not params.get("from"):
        quarter = Quarter.of(today)
        params["period"] = f"{quarter.year}Q{quarter.number}"
    report, errors = report_filter_parse(params, today=today)
    return report, errors, params


def _form(
    request: HttpRequest,
    params: dict[str, str],
    today: datetime.date,
    errors: list[tuple[str, str]],
    by: dict[str, str] | None = None,
) -> ReportFilterForm:
    form = ReportFilterForm(params, user=request.user, today=today, by=by, auto_id="%s")
    form.is_valid()
    for field, message in errors:
        if field in form.fields:
            form.add_error(field, message)
    return form


def _log(request: HttpRequest, object_type: str, ref: str) -> None:
    access_log_record(
        actor=request.user, object_type=object_type, object_ref=ref, allowed=True, request=request
    )


def _page(
    request: HttpRequest, *, perm: str, object_type: str, by_choices: dict[str, str], default_by: str
) -> tuple[datetime.date, ReportFilter, str, ReportFilterForm]:
    """A figures page's start: the permission (a logged denial), the filter, its "break down by"
    and its form."""
    if not request.user.has_perm(perm):
        raise denied(request, object_type=object_type, object_ref=object_type)
    today = timezone.localdate()
    report, errors, params = _filter(request, today)
    by = params.get("by") or ""
    by = by if by in by_choices else default_by
    return today, report, by, _form(request, {**params, "by": by}, today, errors, by=by_choices)


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    today, report, by, form = _page(
        request,
        perm="reports.view_dashboard",
        object_type="report_dashboard",
        by_choices=BY_LABELS,
        default_by="team",
    )
    summary = report_summary(user=request.user, report=report, today=today)
    grades = report_grades(user=request.user, report=report, summary=summary)
    scale = grade_scale()
    sections = graded_sections(audit_type=report.audit_type)
    quarter = Quarter.of(report.end)
    quarters = four_quarters_to(quarter)
    summaries = report_trend(
        user=request.user, report=report, periods=[(q.start, q.end) for q in quarters], today=today
    )
    trend = [
        (f"{q.year} Q{q.number}", report.with_period(q.start, q.end), found)
        for q, found in zip(quarters, summaries, strict=True)
    ]
    audits = summary["audits"]
    tables = [
        presenters.grades_table(report, grades, scale, audits),
        presenters.section_grades_table(report, grades, scale, sections),
        presenters.limiting_table(report, summary["limiting"], audits),
        presenters.timeliness_table(report, summary["timeliness"]),
        presenters.moderation_table(report, summary["moderation"], audits),
        presenters.actions_table(report, summary["actions"]),
        presenters.escalations_table(report, summary["escalations"]),
        presenters.family_table(report, summary["family_feedback"]),
        presenters.breakdown_table(
            report,
            by,
            BY_LABELS[by],
            report_breakdown(user=request.user, report=report, by=by, today=today),
            scale,
        ),
        presenters.trend_table(report, trend, scale),
    ]
    _log(request, "report_dashboard", report.period_label)
    best = presenters.good_or_better(scale)
    good = sum(summary["overall_grades"].get(token, 0) for token in best)
    return render(
        request,
        "reports/dashboard.html",
        {
            "form": form,
            "error_list": form_error_summary(form),
            "report": report,
            "summary": summary,
            "tables": tables,
            "headline": [
                ("Audits", str(audits), presenters.figure_href(report, "audits") if audits else ""),
                (
                    "Good or better",
                    presenters.percent(good, audits),
                    presenters.figure_href(report, "overall:" + "+".join(best)) if good else "",
                ),
                (
                    "Child seen",
                    presenters.percent(summary["limiting"]["child_seen"]["yes"], audits),
                    presenters.figure_href(report, "limiting:child_seen:yes") if audits else "",
                ),
                (
                    "Actions overdue",
                    str(summary["actions"]["overdue"]),
                    presenters.figure_href(report, "actions:overdue")
                    if summary["actions"]["overdue"]
                    else "",
                ),
            ],
            "api_href": reverse("api:report_summary") + "?" + urlencode(report.params()),
            "can_view_agreement": request.user.has_perm("reports.view_agreement"),
            "can_manage_themes": request.user.has_perm("reports.manage_themes"),
            "can_view_quarterly": request.user.has_perm("reports.view_quarterly"),
        },
    )


def _audit_row(audit: Any) -> dict[str, Any]:
    grades = dict(audit.stage1_grades or {})
    return {
        "href": reverse("audits:overview", args=[audit.pk]),
        "case_id": audit.case.case_id,
        "team": audit.case.team.name,
        "date": long_date(audit.audit_date),
        "type": audit.audit_type.replace("_", " ").capitalize(),
        "auditor": audit.auditor.name,
        "stage1": str(grades.get("overall", "")).replace("_", " ").capitalize(),
        "effective": str(audit.effective_grades.get("overall", "")).replace("_", " ").capitalize(),
        "status": status_label(audit.status),
    }


def _action_row(action: Any) -> dict[str, Any]:
    return {
        "href": reverse("actions:action", args=[action.pk]),
        "what": action.what,
        "case_id": action.audit.case.case_id,
        "owner": action.owner.name if action.owner else "",
        "due": long_date(action.due_date),
        "status": action.get_status_display(),
        "done": long_date(timezone.localdate(action.done_at)) if action.done_at else "",
    }


def _escalation_row(escalation: Any, today: datetime.date) -> dict[str, Any]:
    return {
        "href": reverse("actions:escalation", args=[escalation.pk]),
        "case_id": escalation.audit.case.case_id,
        "team": escalation.audit.case.team.name,
        "opened": long_date(timezone.localdate(escalation.opened_at)),
        "due": long_date(escalation.due_date),
        "status": escalation.get_status_display(),
        "overdue": escalation.status == "open" and escalation.due_date < today,
    }


@login_required
@require_GET
def figure_list(request: HttpRequest) -> HttpResponse:
    """The audits, actions or escalations one figure counts (those the person may open)."""
    if not request.user.has_perm("reports.view_dashboard"):
        raise denied(request, object_type="report_figure", object_ref=request.GET.get("figure", ""))
    today = timezone.localdate()
    report, errors, _ = _filter(request, today)
    key = request.GET.get("figure", "audits") or "audits"
    try:
        found = report_figure_list(user=request.user, report=report, key=key, today=today)
    except UnknownFigure:
        raise denied(request, object_type="report_figure", object_ref=key) from None
    query = {k: v for k, v in request.GET.items() if k != "page" and v}
    number = request.GET.get("page")
    if found.audits is not None:
        page: Any = Paginator(found.audits, PAGE_SIZE).get_page(number)
        rows = [_audit_row(audit) for audit in page.object_list]
    elif found.actions is not None:
        page = Paginator(found.actions, PAGE_SIZE).get_page(number)
        rows = [_action_row(action) for action in page.object_list]
    else:
        assert found.escalations is not None
        page = Paginator(found.escalations, PAGE_SIZE).get_page(number)
        rows = [_escalation_row(escalation, today) for escalation in page.object_list]
    _log(request, "report_figure", f"{key} {report.start}..{report.end}")
    back: dict[str, str] = {k: str(v) for k, v in query.items() if k != "figure"}
    return render(
        request,
        "reports/figure.html",
        {
            "report": report,
            "errors": errors,
            "error_list": [{"text": f"{field}: {message}", "href": ""} for field, message in errors],
            "key": key,
            "label": figure_label(key),
            "counts": found.figure.counts,
            "found": found,
            "rows": rows,
            "pagination": pagination_params(page, query, "Pages of this figure"),
            "back_href": reverse("reports:dashboard") + ("?" + urlencode(back) if back else ""),
        },
    )


def figure_label(key: str) -> str:
    """A figure's key in words, for the list's heading."""
    parts = key.split(":")
    labels = dict(grade_scale())
    sections = dict(graded_sections())
    kind = parts[0]
    if kind == "audits":
        return "Audits"
    if kind == "overall":
        named = " or ".join(labels.get(token, token) for token in parts[1].split("+"))
        return f"Audits graded {named} overall"
    if kind == "section":
        return f"Audits graded {labels.get(parts[2], parts[2])} for {sections.get(parts[1], parts[1])}"
    if kind == "limiting":
        judgement = presenters.JUDGEMENT_LABELS.get(parts[1], parts[1])
        return f"Audits where “{judgement}” was answered {presenters.VALUE_LABELS.get(parts[2], parts[2])}"
    words = {
        "timeliness:stage1_on_time": "Audits whose Stage 1 was submitted on time",
        "timeliness:stage1_late": "Audits whose Stage 1 was submitted late",
        "timeliness:stage2_on_time": "Audits whose Stage 2 was completed on time",
        "timeliness:stage2_late": "Audits whose Stage 2 was late",
        "moderation:moderated": "Audits moderated at Stage 2",
        "moderation:changed": "Audits with a grade changed after Stage 1",
        "moderation:overall_changed": "Audits whose overall grade changed after Stage 1",
        "family:audits": "Audits with family feedback",
        "actions:all": "Actions",
        "actions:open": "Open actions",
        "actions:overdue": "Overdue actions",
        "actions:drifting": "Actions more than 4 weeks overdue",
        "actions:done": "Actions done, waiting for sign-off",
        "actions:signed_off": "Signed-off actions",
        "actions:cancelled": "Cancelled actions",
        "actions:completed_on_time": "Actions completed on time",
        "escalations:all": "Escalations",
        "escalations:open": "Open escalations",
        "escalations:overdue": "Overdue escalations",
        "escalations:closed": "Closed escalations",
    }
    return words.get(key, key)


def _fmt(value: float | None, places: int = 2) -> str:
    return "–" if value is None else f"{value:.{places}f}"


@login_required
@require_GET
def agreement(request: HttpRequest) -> HttpResponse:
    _, report, by, form = _page(
        request,
        perm="reports.view_agreement",
        object_type="report_agreement",
        by_choices=AGREEMENT_BY,
        default_by="auditor",
    )
    found = agreement_report(user=request.user, report=report, by=by)
    quarter = Quarter.of(report.end)
    quarters = four_quarters_to(quarter)
    drift = agreement_drift(user=request.user, report=report, quarters=quarters)
    changes = list(agreement_changes(user=request.user, report=report)[:200]) if report.auditor_id else []
    labels = dict(found.scale)
    _log(request, "report_agreement", f"{report.start}..{report.end} by {by}")
    overall = found.overall
    return render(
        request,
        "reports/agreement.html",
        {
            "form": form,
            "error_list": form_error_summary(form),
            "report": report,
            "overall": overall,
            "kappa": _fmt(overall.weighted_kappa),
            "interval": (
                f"{overall.kappa_ci95[0]:.2f} to {overall.kappa_ci95[1]:.2f}" if overall.kappa_ci95 else "–"
            ),
            "shift": _fmt(overall.mean_shift),
            "scale": found.scale,
            "matrix": [(label, row) for (_, label), row in zip(found.scale, overall.table, strict=True)],
            "by_label": AGREEMENT_BY[by],
            "groups": [
                {
                    "label": group.label,
                    "pairs": group.result.pairs,
                    "changed": group.result.changed,
                    "better": group.result.better,
                    "worse": group.result.worse,
                    "shift": _fmt(group.result.mean_shift),
                    "kappa": _fmt(group.result.weighted_kappa),
                    "href": reverse("reports:agreement")
                    + "?"
                    + urlencode(report.params(auditor_id=group.key))
                    if by == "auditor"
                    else "",
                }
                for group in found.groups
            ],
            "drift": [
                {
                    "label": f"{q.year} Q{q.number}",
                    "pairs": a.pairs,
                    "changed": a.changed,
                    "kappa": _fmt(a.weighted_kappa),
                    "shift": _fmt(a.mean_shift),
                }
                for q, a in drift
            ],
            "changes": [
                {
                    "href": reverse("audits:overview", args=[change.audit_id]),
                    "case_id": change.audit.case.case_id,
                    "date": long_date(change.audit.audit_date),
                    "ref": "Overall"
                    if change.ref == "overall"
                    else dict(graded_sections()).get(change.ref, change.ref),
                    "from": labels.get(change.from_grade, change.from_grade),
                    "to": labels.get(change.to_grade, change.to_grade),
                    "reason": change.reason,
                }
                for change in changes
            ],
        },
    )


urlpatterns: list[URLPattern] = [
    path("reports/", dashboard, name="dashboard"),
    path("reports/figures/", figure_list, name="figure"),
    path("reports/agreement/", agreement, name="agreement"),
]
