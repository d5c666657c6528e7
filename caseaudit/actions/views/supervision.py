"""Supervision hand-over (ACT-4): the practice manager's list of the people they supervise, each
one's agenda for the next supervision (the audits since the last one and every action not yet
signed off), the form to record the supervision (date, a note per action), and the agenda as CSV.

Someone the person may not read the agenda of is a plain 404, denial logged (SEC-1); every view of
an agenda is logged (SEC-2). Works without JavaScript."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from caseaudit.actions.presenters import action_row
from caseaudit.actions.services import MAX_NOTE, ActionRefused
from caseaudit.actions.supervision import (
    Agenda,
    agenda_csv,
    direct_reports,
    staff_for_supervision,
    supervision_agenda,
    supervision_record,
)
from caseaudit.audits.presenters.records import person_name
from caseaudit.cases.selectors import case_scope
from caseaudit.core.calendar import long_date
from caseaudit.core.denials import denied
from caseaudit.core.forms import DatePartsForm, date_from_parts, date_parts_input, form_error_summary
from caseaudit.core.services import access_log_record
from caseaudit.org.models import Staff


def action_field(action_id: int) -> str:
    return f"action-{action_id}"


class SupervisionForm(DatePartsForm):
    note = forms.CharField(
        label="Notes of the supervision (optional)",
        widget=forms.Textarea,
        required=False,
        max_length=MAX_NOTE,
        error_messages={"max_length": f"The note must be {MAX_NOTE} characters or fewer"},
    )

    def __init__(self, *args: Any, actions: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for action_id, label in actions:
            self.fields[action_field(action_id)] = forms.CharField(
                label=label,
                widget=forms.Textarea,
                required=False,
                max_length=MAX_NOTE,
                error_messages={"max_length": f"The note must be {MAX_NOTE} characters or fewer"},
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        found, field, message = date_from_parts(data, "the date of the supervision")
        if message:
            self.add_error(field, message)
        data["held_on"] = found
        return data


def _worker(request: HttpRequest, staff_id: str) -> Staff:
    worker = staff_for_supervision(user=request.user, staff_id=staff_id)
    if worker is None:
        raise denied(request, object_type="supervision_agenda", object_ref=staff_id)
    return worker


def _log(request: HttpRequest, worker: Staff, action: str = "view") -> None:
    access_log_record(
        actor=request.user,
        object_type="supervision_agenda",
        object_ref=worker.staff_id,
        allowed=True,
        action=action,
        request=request,
    )


@login_required
@require_GET
def supervision_list_page(request: HttpRequest) -> HttpResponse:
    """The people I supervise, with their last supervision and what is on their next agenda."""
    staff_pk = case_scope(user=request.user).staff_pk
    rows = []
    for worker in direct_reports(manager_pk=staff_pk) if staff_pk is not None else []:
        agenda = supervision_agenda(user=request.user, worker=worker)
        rows.append(
            {
                "worker": worker,
                "href": reverse("actions:supervision", args=[worker.staff_id]),
                "last": long_date(agenda.since) if agenda.since else "None recorded",
                "audits": len(agenda.audits),
                "actions": len(agenda.actions),
            }
        )
    return render(request, "actions/supervision_list.html", {"rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def supervision_page(request: HttpRequest, staff_id: str) -> HttpResponse:
    worker = _worker(request, staff_id)
    agenda = supervision_agenda(user=request.user, worker=worker)
    can_record = request.user.has_perm("actions.record_supervision", worker)
    form = SupervisionForm(
        request.POST if request.method == "POST" else None,
        actions=[
            (
                action.pk,
                f"What was agreed on the action of case {action.audit.case.case_id}, "
                f"due {long_date(action.due_date)}",
            )
            for action in agenda.actions
        ],
        initial=_today_initial(),
        auto_id="%s",
    )
    if request.method == "POST":
        if not can_record:
            raise denied(request, object_type="supervision_agenda", object_ref=staff_id, forbidden=True)
        if form.is_valid():
            try:
                supervision_record(
                    actor=request.user,
                    worker=worker,
                    held_on=form.cleaned_data["held_on"],
                    note=form.cleaned_data["note"],
                    action_notes={
                        a.pk: form.cleaned_data.get(action_field(a.pk), "") for a in agenda.actions
                    },
                    today=timezone.localdate(),
                )
            except ActionRefused as refused:
                for problem in refused.problems:
                    name = "day" if problem.field == "held_on" else None
                    if problem.ref.startswith("actions["):
                        name = action_field(int(problem.ref[8:-1]))
                    form.add_error(name if name in form.fields else None, problem.message)
            except PermissionDenied:
                raise denied(
                    request, object_type="supervision_agenda", object_ref=staff_id, forbidden=True
                ) from None
            else:
                messages.success(request, f"Supervision of {worker.name} recorded")
                return redirect(reverse("actions:supervision", args=[worker.staff_id]))
    else:
        _log(request, worker)
    return render(request, "actions/supervision.html", _context(agenda, form, can_record))


def _grade_label(audit: Any) -> str:
    labels = {grade["token"]: grade["label"] for grade in audit.template_version.grade_scale}
    return labels.get(audit.overall_grade, audit.overall_grade or "Not graded")


def _today_initial() -> dict[str, Any]:
    today = timezone.localdate()
    return {"day": today.day, "month": today.month, "year": today.year}


def _context(agenda: Agenda, form: SupervisionForm, can_record: bool) -> dict[str, Any]:
    today = timezone.localdate()
    last = agenda.last
    return {
        "worker": agenda.worker,
        "since": long_date(agenda.since) if agenda.since else "",
        "audits": [
            {
                "href": reverse("audits:overview", args=[audit.pk]),
                "case_id": audit.case.case_id,
                "date": long_date(audit.audit_date),
                "type": audit.audit_type.replace("_", " ").capitalize(),
                "grade": _grade_label(audit),
                "status": audit.get_status_display(),
            }
            for audit in agenda.audits
        ],
        "actions": [
            {"row": action_row(action, today=today), "field": form[action_field(action.pk)]}
            for action in agenda.actions
        ],
        "last": {
            "held_on": long_date(last.held_on),
            "by": last.supervisor.name if last.supervisor else person_name(last.recorded_by),
            "note": last.note,
            "notes": [
                {
                    "what": note.action.what,
                    "href": reverse("actions:action", args=[note.action_id]),
                    "then": note.status.replace("_", " "),
                    "now": note.action.get_status_display(),
                    "note": note.note,
                }
                for note in last.action_notes.all()
            ],
        }
        if last is not None
        else None,
        "form": form,
        "date_input": date_parts_input(form, id="held_on", legend="Date of the supervision"),
        "errors": form_error_summary(
            form, hrefs={"day": "#held_on-day", "month": "#held_on-month", "year": "#held_on-year"}
        ),
        "can_record": can_record,
        "csv_href": reverse("actions:supervision-csv", args=[agenda.worker.staff_id]),
    }


@login_required
@require_GET
def supervision_csv(request: HttpRequest, staff_id: str) -> HttpResponse:
    worker = _worker(request, staff_id)
    agenda = supervision_agenda(user=request.user, worker=worker)
    _log(request, worker, action="export")
    response = HttpResponse(agenda_csv(agenda), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="supervision-agenda-{worker.staff_id}.csv"'
    return response


urlpatterns: list[URLPattern] = [
    path("supervision/", supervision_list_page, name="supervisions"),
    path("supervision/<str:staff_id>/", supervision_page, name="supervision"),
    path("supervision/<str:staff_id>/agenda.csv", supervision_csv, name="supervision-csv"),
]
