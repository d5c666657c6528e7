"""The council's allocation settings (SEL-2, SEL-3, AUD-5), for QA and administrators."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from caseaudit.allocation.errors import AllocationRefused
from caseaudit.allocation.forms import SettingsForm
from caseaudit.allocation.selectors import allocation_settings_get
from caseaudit.allocation.services.settings import SETTINGS_FIELDS, allocation_settings_update
from caseaudit.allocation.views.runs import problem_list
from caseaudit.core.denials import denied
from caseaudit.org.selectors import team_list


@login_required
@require_http_methods(["GET", "POST"])
def allocation_settings_page(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("allocation.change_settings"):
        raise denied(request, object_type="allocation_settings", object_ref="settings")
    row = allocation_settings_get()
    errors: list[dict[str, str]] = []
    if request.method == "POST":
        form = SettingsForm(request.POST)
        if form.is_valid():
            try:
                allocation_settings_update(
                    actor=request.user, **{f: form.cleaned_data[f] for f in SETTINGS_FIELDS}
                )
            except AllocationRefused as refused:
                errors = problem_list(refused, {f: f"#{f}" for f in SETTINGS_FIELDS})
            else:
                messages.success(request, "Allocation settings saved.")
                return redirect("allocation:settings")
    else:
        form = SettingsForm(initial={f: getattr(row, f) for f in SETTINGS_FIELDS})
    chosen = {str(v) for v in (form["auditor_roles"].value() or [])}
    role_errors = form.errors.get("auditor_roles")
    roles = {
        "idPrefix": "auditor_roles",
        "name": "auditor_roles",
        "fieldset": {"legend": {"text": "Who audits", "classes": "govuk-fieldset__legend--s"}},
        "hint": {"text": "Staff holding any of these roles are given cases to audit."},
        "errorMessage": {"text": " ".join(str(e) for e in role_errors)} if role_errors else None,
        "items": [
            {"value": value, "text": str(label), "checked": value in chosen}
            for value, label in form.fields["auditor_roles"].choices  # type: ignore[attr-defined]
        ],
    }
    teams = [{"name": t.name, "team_id": t.team_id, "eligible": t.eligible_for_audit} for t in team_list()]
    return render(
        request,
        "allocation/settings.html",
        {"form": form, "errors": errors, "roles": roles, "teams": teams},
    )
