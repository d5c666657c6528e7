"""The action page (ACT-1): what, who, by when, its state and history, and the steps the person
may take now — the owner adds progress and marks it done; the signer signs it off or sends it back;
QA or the signer cancels it. The escalation page (ESC-1): the audit behind it, its deadline, and
the form to close it with an outcome.

A record the person may not see is a plain 404 (denial logged, SEC-1); every view is logged (SEC-2).
Works without JavaScript: each step is its own form posting `step` and `note`."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from caseaudit.actions.escalation import escalation_close
from caseaudit.actions.forms import ACTION_STEPS, ActionStepForm, EscalationCloseForm
from caseaudit.actions.models import Escalation
from caseaudit.actions.presenters import action_row, escalation_row, event_rows
from caseaudit.actions.selectors import action_events, action_get, audit_actions, escalation_get
from caseaudit.actions.services import (
    ActionRefused,
    action_cancel,
    action_done,
    action_progress,
    action_send_back,
    action_sign_off,
)
from caseaudit.audits.models import AuditAction
from caseaudit.core.denials import denied
from caseaudit.core.forms import form_error_summary
from caseaudit.core.services import access_log_record

Status = AuditAction.Status
SERVICES: dict[str, tuple[Any, str, str]] = {
    "progress": (action_progress, "note", "Progress added"),
    "done": (action_done, "note", "Action marked as done: its signer has been told"),
    "sign_off": (action_sign_off, "note", "Action signed off: its owner has been told"),
    "send_back": (action_send_back, "note", "Action sent back to its owner"),
    "cancel": (action_cancel, "reason", "Action cancelled: its owner has been told"),
}


def _log(request: HttpRequest, object_type: str, ref: int) -> None:
    access_log_record(
        actor=request.user, object_type=object_type, object_ref=str(ref), allowed=True, request=request
    )


def action_steps(user: Any, action: AuditAction) -> list[str]:
    """The steps this person may take on the action now, in the page's order."""
    steps = []
    if user.has_perm("actions.work_action", action):
        if action.status in (Status.OPEN, Status.DONE):
            steps.append("progress")
        if action.status == Status.OPEN:
            steps.append("done")
    if user.has_perm("actions.sign_off_action", action) and action.status == Status.DONE:
        steps += ["sign_off", "send_back"]
    if user.has_perm("actions.cancel_action", action) and action.status in (Status.OPEN, Status.DONE):
        steps.append("cancel")
    return steps


def _note_textarea(step: str, form: ActionStepForm | None) -> dict[str, Any]:
    """The note of one step (GOV.UK textarea), with the error and what was typed if it failed."""
    errors: list[Any] = list(form.errors.get("note", [])) if form is not None else []
    return {
        "id": f"note-{step}",
        "name": "note",
        "label": {"text": ACTION_STEPS[step][1], "classes": "govuk-label--s"},
        "value": (form["note"].value() or "") if form is not None else "",
        "errorMessage": {"text": " ".join(str(e) for e in errors)} if errors else None,
        "rows": 3,
    }


@login_required
@require_http_methods(["GET", "POST"])
def action_page(request: HttpRequest, action_id: int) -> HttpResponse:
    action = action_get(user=request.user, action_id=action_id)
    if action is None:
        raise denied(request, object_type="action", object_ref=str(action_id))
    steps = action_steps(request.user, action)
    form = ActionStepForm(request.POST if request.method == "POST" else None, auto_id="%s")
    failed = ""
    if request.method == "POST":
        step = request.POST.get("step", "")
        if step not in steps:
            raise denied(
                request, object_type="action", object_ref=str(action_id), forbidden=True, action=step
            )
        if form.is_valid():
            service, argument, done = SERVICES[step]
            try:
                service(actor=request.user, action=action, **{argument: form.cleaned_data["note"]})
            except ActionRefused as refused:
                for problem in refused.problems:
                    form.add_error("note" if problem.field in ("note", "reason") else None, problem.message)
            except PermissionDenied:
                raise denied(
                    request, object_type="action", object_ref=str(action_id), forbidden=True
                ) from None
            else:
                messages.success(request, done)
                return redirect(reverse("actions:action", args=[action.pk]))
        failed = step
    else:
        _log(request, "action", action.pk)
    today = timezone.localdate()
    return render(
        request,
        "actions/action.html",
        {
            "action": action_row(action, today=today),
            "events": event_rows(list(action_events(action=action))),
            "steps": [
                {
                    "step": step,
                    "button": ACTION_STEPS[step][0],
                    "warning": step == "cancel",
                    "textarea": _note_textarea(step, form if step == failed else None),
                }
                for step in steps
            ],
            "errors": [
                {"text": error["text"], "href": f"#note-{failed}"} for error in form_error_summary(form)
            ]
            if failed
            else [],
            "audit_href": reverse("audits:overview", args=[action.audit_id]),
            "can_view_audit": request.user.has_perm("audits.view_audit", action.audit),
            "siblings": [
                action_row(other, today=today)
                for other in audit_actions(audit=action.audit)
                if other.pk != action.pk
            ]
            if request.user.has_perm("audits.view_audit", action.audit)
            else [],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def escalation_page(request: HttpRequest, escalation_id: int) -> HttpResponse:
    escalation = escalation_get(user=request.user, escalation_id=escalation_id)
    if escalation is None:
        raise denied(request, object_type="escalation", object_ref=str(escalation_id))
    can_close = escalation.status == Escalation.Status.OPEN and request.user.has_perm(
        "actions.close_escalation", escalation
    )
    form = EscalationCloseForm(request.POST if request.method == "POST" else None, auto_id="%s")
    if request.method == "POST":
        if not can_close:
            raise denied(request, object_type="escalation", object_ref=str(escalation_id), forbidden=True)
        if form.is_valid():
            try:
                escalation_close(
                    actor=request.user,
                    escalation=escalation,
                    outcome_code=form.cleaned_data["outcome_code"],
                    outcome=form.cleaned_data["outcome"],
                )
            except ActionRefused as refused:
                for problem in refused.problems:
                    form.add_error(problem.field if problem.field in form.fields else None, problem.message)
            else:
                messages.success(request, "Escalation closed: the worker's managers and QA have been told")
                return redirect(reverse("actions:escalation", args=[escalation.pk]))
    else:
        _log(request, "escalation", escalation.pk)
    return render(
        request,
        "actions/escalation.html",
        {
            "escalation": escalation_row(escalation, today=timezone.localdate()),
            "form": form,
            "can_close": can_close,
            "errors": form_error_summary(form, hrefs={"outcome_code": "#outcome_code"}),
            "audit_href": reverse("audits:overview", args=[escalation.audit_id]),
        },
    )


urlpatterns: list[URLPattern] = [
    path("actions/<int:action_id>/", action_page, name="action"),
    path("escalations/<int:escalation_id>/", escalation_page, name="escalation"),
]
