"""Changing one row of a draft (issue item 6): another auditor, or another eligible case in its
place, with the reason. A hard-rule refusal shows in the error summary; soft-rule warnings are
shown once the change is made and stay on the row."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from caseaudit.allocation.errors import AllocationRefused
from caseaudit.allocation.facts import auditor_facts
from caseaudit.allocation.forms import AdjustForm
from caseaudit.allocation.models import AllocationRun
from caseaudit.allocation.presenters.runs import allocation_row, messages_of, redacted_reasons
from caseaudit.allocation.selectors import (
    allocation_item_get,
    allocation_settings_get,
    auditor_list,
    hidden_case_ids,
)
from caseaudit.allocation.services.adjust import allocation_adjust
from caseaudit.allocation.views.runs import problem_list, run_for
from caseaudit.core.denials import denied

FIELD_HREFS = {
    "auditor_id": "#auditor_id",
    "replacement_case_id": "#replacement_case_id",
    "reason": "#reason",
}


@login_required
@require_http_methods(["GET", "POST"])
def allocation_change_page(request: HttpRequest, run_id: int, item_id: int) -> HttpResponse:
    run = run_for(request, run_id)
    item = allocation_item_get(run=run, item_id=item_id)
    if item is None:
        raise denied(request, object_type="allocation_item", object_ref=f"{run_id}/{item_id}")
    if run.status != AllocationRun.Status.DRAFT:
        return redirect("allocation:run", run_id=run.pk)
    roles = list(allocation_settings_get().auditor_roles)
    areas = {facts.staff_id: facts.area for facts in auditor_facts(roles=roles)[0]}
    auditors = [
        (staff.staff_id, f"{staff.name} ({staff.staff_id}), {areas.get(staff.staff_id) or 'no area'}")
        for staff in auditor_list(roles=roles)
    ]
    errors: list[dict[str, str]] = []
    if request.method == "POST":
        form = AdjustForm(request.POST, auditors=auditors)
        if form.is_valid():
            try:
                changed = allocation_adjust(
                    actor=request.user,
                    run=run,
                    case_id=item.case.case_id,
                    auditor_staff_id=form.cleaned_data["auditor_id"]
                    if form.cleaned_data["auditor_id"] != item.auditor.staff_id
                    else None,
                    replacement_case_id=form.cleaned_data["replacement_case_id"],
                    reason=form.cleaned_data["reason"],
                )
            except AllocationRefused as refused:
                errors = problem_list(refused, FIELD_HREFS)
            else:
                hidden = hidden_case_ids(user=request.user, case_ids=[changed.case.case_id])
                warnings = redacted_reasons(changed.warnings, hidden=bool(hidden))
                _announce(request, changed.case.case_id, changed.auditor.name, warnings)
                return redirect(reverse("allocation:run", args=[run.pk]) + f"#case-{changed.case.case_id}")
    else:
        form = AdjustForm(initial={"auditor_id": item.auditor.staff_id}, auditors=auditors)
    hidden = hidden_case_ids(user=request.user, case_ids=[item.case.case_id])
    return render(
        request,
        "allocation/change.html",
        {
            "run": run,
            "row": allocation_row(item, hidden=hidden),
            "form": form,
            "errors": errors,
            "back_href": reverse("allocation:run", args=[run.pk]),
        },
    )


def _announce(request: HttpRequest, case_id: str, auditor: str, warnings: list[dict[str, str]]) -> None:
    text = f"Case {case_id} is now allocated to {auditor}."
    if warnings:
        text += " Warning: " + " ".join(f"{message}." for message in messages_of(warnings))
    messages.success(request, text)
