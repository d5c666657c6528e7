"""Pages of the audit moderation panel (MOD-4): QA draw the quarter's sample and schedule panels;
the chair records the panel's decision on each audit on the panel's page. A panel or audit the
person may not see is the plain 404 with the denial logged; one they may see but may not act on
is 403. The pages work without JavaScript."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from caseaudit.audits.selectors import audit_get
from caseaudit.core.denials import denied
from caseaudit.core.forms import date_parts_input, form_error_summary, refusal_on_form
from caseaudit.core.services import access_log_record
from caseaudit.moderation.forms_panel import DecisionForm, PanelForm, SampleForm
from caseaudit.moderation.models import Panel, PanelAudit
from caseaudit.moderation.presenters.panel import (
    audit_rows,
    decision_grading,
    draw_views,
    panel_page_rows,
    panel_summary,
)
from caseaudit.moderation.sampling import quarters_before
from caseaudit.moderation.selectors_panel import panel_chairs, panel_get, panel_list, sampled_unscheduled
from caseaudit.moderation.services.panel import PanelRefused, panel_cancel, panel_reschedule, panel_schedule
from caseaudit.moderation.services.panel_decide import panel_decide
from caseaudit.moderation.services.panel_sample import panel_sample

QUARTERS_OFFERED = 8
# The services name the API's fields; the form's are these.
FORM_FIELDS = {"date": "day", "chair_id": "chair", "audit_ids": "audits"}


def _manager(request: HttpRequest, what: str) -> None:
    if not request.user.has_perm("moderation.manage_panels"):
        raise denied(request, object_type="panel", object_ref=what, forbidden=True)


def _on_form(form: Any, refused: PanelRefused) -> None:
    for problem in refused.problems:
        name = FORM_FIELDS.get(problem.field or "", problem.field)
        form.add_error(name if name in form.fields else None, problem.message)


# --- the sample -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def sample_page(request: HttpRequest) -> HttpResponse:
    """Preview the quarter's draw (GET, with the quarter and seed chosen), then confirm it (POST)."""
    _manager(request, "sample")
    today = timezone.localdate()
    quarters = quarters_before(today, QUARTERS_OFFERED)
    data = request.POST if request.method == "POST" else request.GET
    bound = "quarter" in data
    form = SampleForm(data if bound else None, quarters=quarters, initial={"quarter": quarters[0].token})
    quarter, seed = quarters[0], None
    if bound and form.is_valid():
        quarter, seed = form.chosen_quarter(), form.cleaned_data.get("seed")
    status = 200
    result = None
    if not bound or form.is_valid():
        confirm = request.method == "POST" and request.POST.get("action") == "confirm"
        try:
            result = panel_sample(
                actor=request.user, quarter=quarter, seed=seed, dry_run=not confirm, today=today
            )
        except PanelRefused as refused:
            refusal_on_form(form, refused)
            status = 422
            try:  # still show what the quarter's draw is (or was), where it can be shown
                result = panel_sample(
                    actor=request.user, quarter=quarter, seed=seed, dry_run=True, today=today
                )
            except PanelRefused:
                result = None
        else:
            if confirm:
                drawn = sum(len(d.drawn) for d in result.draws if d.drawn_now)
                messages.success(
                    request, f"Sample drawn: {drawn} audit{'s' if drawn != 1 else ''} sampled for the panel"
                )
                return redirect(f"{reverse('moderation:panel-sample')}?quarter={quarter.token}")
    draws = draw_views(user=request.user, draws=result.draws) if result is not None else []
    return render(
        request,
        "moderation/panel/sample.html",
        {
            "form": form,
            "errors": form_error_summary(form),
            "quarter": quarter,
            "seed": result.seed if result is not None else seed,
            "draws": draws,
            "can_confirm": any(not d.already and d.pool_count for d in draws),
            "unscheduled": sampled_unscheduled().exists(),
        },
        status=status,
    )


# --- scheduling ---------------------------------------------------------------------------


def _panel_form(request: HttpRequest, panel: Panel | None) -> PanelForm:
    chairs = [(chair.staff_id, chair.name) for chair in panel_chairs()]
    entries = list(sampled_unscheduled())
    if panel is not None:
        entries = [entry for entry in panel.audits.all() if not entry.decision] + entries
    rows = audit_rows(user=request.user, audits=[entry.audit for entry in entries])
    choices = [
        (
            row.audit_id,
            f"Case {row.case_id}: {row.audit_type}, {row.team}, audited by {row.auditor}"
            if row.visible
            else f"Case {row.case_id}: Restricted",
        )
        for row in rows
    ]
    initial: dict[str, Any] = {"duration_minutes": 120}
    if panel is not None:
        starts = timezone.localtime(panel.starts_at)
        initial = {
            "day": starts.day,
            "month": starts.month,
            "year": starts.year,
            "time": f"{starts:%H:%M}",
            "duration_minutes": panel.minutes,
            "chair": panel.chair.staff_id,
            "location": panel.location,
            "online_link": panel.online_link,
            "audits": [entry.audit_id for entry in panel.audits.all() if not entry.decision],
        }
    data = request.POST if request.method == "POST" and request.POST.get("action") != "cancel" else None
    return PanelForm(data, chairs=chairs, audits=choices, initial=initial)


def _audit_checkboxes(form: PanelForm) -> dict[str, Any]:
    chosen = {str(value) for value in (form["audits"].value() or [])}
    error = " ".join(str(e) for e in form.errors.get("audits", []))
    return {
        "idPrefix": "audits",
        "name": "audits",
        "fieldset": {
            "legend": {"text": "Sampled audits for this panel", "classes": "govuk-fieldset__legend--s"}
        },
        "hint": {"text": "Audits sampled for the panel and not yet on one."},
        "errorMessage": {"text": error} if error else None,
        "items": [
            {"value": str(value), "text": str(text), "checked": str(value) in chosen}
            for value, text in form.fields["audits"].choices  # type: ignore[attr-defined]
        ],
    }


def _render_panel_form(
    request: HttpRequest, form: PanelForm, panel: Panel | None, status: int = 200
) -> HttpResponse:
    date_href = f"#date-{form.date_error_field()}" if form.is_bound else "#date-day"
    return render(
        request,
        "moderation/panel/panel_form.html",
        {
            "form": form,
            "panel": panel_summary(panel) if panel is not None else None,
            "date_input": date_parts_input(form),
            "audit_checkboxes": _audit_checkboxes(form),
            "minutes_suffix": {"text": "minutes"},
            "errors": form_error_summary(
                form, hrefs={"day": date_href, "month": date_href, "year": date_href, "audits": "#audits"}
            ),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def panel_new(request: HttpRequest) -> HttpResponse:
    _manager(request, "new")
    form = _panel_form(request, None)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            panel = panel_schedule(
                actor=request.user,
                starts_at=data["starts_at"],
                chair_id=data["chair"],
                audit_ids=list(data["audits"]),
                duration_minutes=data["duration_minutes"],
                location=data.get("location", ""),
                online_link=data.get("online_link", ""),
            )
        except PanelRefused as refused:
            _on_form(form, refused)
            status = 422
        else:
            messages.success(request, "Panel scheduled: the chair and each audit's people have been invited")
            return redirect("moderation:panel", panel_id=panel.pk)
    return _render_panel_form(request, form, None, status)


def _panel_for(request: HttpRequest, panel_id: int) -> Panel:
    panel = panel_get(user=request.user, panel_id=panel_id)
    if panel is None:
        raise denied(request, object_type="panel", object_ref=str(panel_id))
    return panel


@login_required
@require_http_methods(["GET", "POST"])
def panel_edit(request: HttpRequest, panel_id: int) -> HttpResponse:
    panel = _panel_for(request, panel_id)
    _manager(request, str(panel_id))
    if request.method == "POST" and request.POST.get("action") == "cancel":
        try:
            panel_cancel(actor=request.user, panel=panel)
        except PanelRefused as refused:
            messages.error(request, refused.problems[0].message)
        else:
            messages.success(request, "Panel cancelled: everyone invited has been sent a cancellation")
        return redirect("moderation:panel", panel_id=panel.pk)
    form = _panel_form(request, panel)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            panel_reschedule(
                actor=request.user,
                panel=panel,
                starts_at=data["starts_at"],
                chair_id=data["chair"],
                audit_ids=list(data["audits"]),
                duration_minutes=data["duration_minutes"],
                location=data.get("location", ""),
                online_link=data.get("online_link", ""),
            )
        except PanelRefused as refused:
            _on_form(form, refused)
            status = 422
        else:
            messages.success(request, "Panel changed: the updated invite has been sent")
            return redirect("moderation:panel", panel_id=panel.pk)
    return _render_panel_form(request, form, panel, status)


# --- the panels, and the decisions ------------------------------------------------------------


@login_required
def panel_list_page(request: HttpRequest) -> HttpResponse:
    panels = [panel_summary(panel) for panel in panel_list(user=request.user).prefetch_related("audits")]
    return render(
        request,
        "moderation/panel/list.html",
        {"panels": panels, "can_manage": request.user.has_perm("moderation.manage_panels")},
    )


def _decision_form(request: HttpRequest, entry: PanelAudit, bound: bool) -> DecisionForm:
    refs, scale, current = decision_grading(entry.audit)
    return DecisionForm(
        request.POST if bound else None,
        prefix=f"audit-{entry.audit_id}",
        grade_refs=refs,
        scale=scale,
        current=current,
    )


def _decision_errors(form: DecisionForm) -> list[dict[str, str]]:
    hrefs = {"decision": f"#{form['decision'].html_name}"}
    return form_error_summary(form, hrefs=hrefs)


@login_required
@require_http_methods(["GET", "POST"])
def panel_page(request: HttpRequest, panel_id: int) -> HttpResponse:
    """The panel and its audits; for its chair, a decision form per audit still to decide."""
    panel = _panel_for(request, panel_id)
    access_log_record(
        actor=request.user, object_type="panel", object_ref=str(panel.pk), allowed=True, request=request
    )
    entries, rows = panel_page_rows(user=request.user, panel=panel)
    posted = (
        int(request.POST["audit_id"])
        if request.method == "POST" and request.POST.get("audit_id", "").isdigit()
        else None
    )
    status = 200
    errors: list[dict[str, str]] = []
    forms = {}
    if request.method == "POST" and posted not in {entry.audit_id for entry in entries}:
        raise denied(request, object_type="audit", object_ref=str(posted or ""))
    for entry in entries:
        if entry.decision or panel.cancelled:
            continue
        audit = audit_get(user=request.user, audit_id=entry.audit_id)
        if audit is None or not request.user.has_perm("moderation.decide_panel", audit):
            if posted == entry.audit_id:
                raise denied(
                    request, object_type="audit", object_ref=str(entry.audit_id), forbidden=audit is not None
                )
            continue
        entry.audit = audit
        form = _decision_form(request, entry, bound=posted == entry.audit_id)
        if posted == entry.audit_id and form.is_valid():
            try:
                panel_decide(
                    actor=request.user,
                    panel=panel,
                    audit=audit,
                    decision=form.cleaned_data["decision"],
                    reason=form.cleaned_data["reason"],
                    section_grades={ref: g for ref, g in form.grades().items() if ref != "overall"},
                    overall_grade=form.grades().get("overall") or None,
                )
            except PanelRefused as refused:
                for problem in refused.problems:
                    name = problem.field if problem.field in form.fields else None
                    if problem.field in ("overall_grade", "section_grades"):
                        ref = "overall" if problem.field == "overall_grade" else problem.ref
                        name = f"grade_{ref}" if f"grade_{ref}" in form.fields else None
                    form.add_error(name, problem.message)
                status = 422
            else:
                messages.success(request, f"Decision recorded for case {audit.case.case_id}: it is final")
                return redirect(reverse("moderation:panel", args=[panel.pk]) + "#decisions")
        if form.is_bound:
            errors = _decision_errors(form)
        forms[entry.audit_id] = form
    decide = [{"row": row, "form": forms[row.audit_id]} for row in rows if row.audit_id in forms]
    decided = [
        {"row": row, "entry": entry}
        for row, entry in zip(rows, entries, strict=True)
        if entry.decision and row.visible
    ]
    return render(
        request,
        "moderation/panel/panel.html",
        {
            "panel": panel_summary(panel),
            "rows": rows,
            "decide": decide,
            "decided": decided,
            "errors": errors,
            "can_manage": request.user.has_perm("moderation.manage_panels"),
        },
        status=status,
    )


urlpatterns = [
    path("panels/", panel_list_page, name="panel-list"),
    path("panels/sample/", sample_page, name="panel-sample"),
    path("panels/new/", panel_new, name="panel-new"),
    path("panels/<int:panel_id>/", panel_page, name="panel"),
    path("panels/<int:panel_id>/edit/", panel_edit, name="panel-edit"),
]
