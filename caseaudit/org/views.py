"""The organisation as staff see it: teams, who is in them and who manages whom; and the council's
closure days, kept by QA and administrators."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.views.decorators.http import require_http_methods

from caseaudit.core.calendar import long_date
from caseaudit.core.denials import denied
from caseaudit.core.forms import DatePartsForm, date_from_parts, date_parts_input, form_error_summary
from caseaudit.core.problems import Problem
from caseaudit.org.selectors import closure_days, staff_above, team_get, team_list, team_members
from caseaudit.org.services_calendar import ClosureDayRefused, closure_day_add, closure_day_remove


def _require_view(request: HttpRequest) -> None:
    if not request.user.has_perm("org.view_organisation"):
        raise denied(request, object_type="organisation", object_ref="teams")


@login_required
def team_list_view(request: HttpRequest) -> HttpResponse:
    _require_view(request)
    teams = team_list().annotate(member_count=Count("members")).order_by("geographical_area__name", "name")
    return render(request, "org/team_list.html", {"teams": teams})


@login_required
def team_detail_view(request: HttpRequest, team_id: str) -> HttpResponse:
    _require_view(request)
    team = team_get(team_id=team_id)
    if team is None:
        raise Http404("no such team")
    members = list(team_members(team=team))
    managers = {}
    if members:
        # The chain above the team's first member, for "who manages this team".
        managers = {m.pk: m for m in staff_above(staff=members[0])}
    return render(
        request,
        "org/team_detail.html",
        {"team": team, "members": members, "chain": list(managers.values())},
    )


# --- the council's closure days (ACT-2) -------------------------------------------------------


class ClosureDayForm(DatePartsForm):
    name = forms.CharField(
        label="Why the council is closed",
        help_text="For example, Christmas closure",
        required=False,
        max_length=100,
        error_messages={"max_length": "Why the council is closed must be 100 characters or fewer"},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        found, field, message = date_from_parts(data, "the date the council is closed")
        if message:
            self.add_error(field, message)
        data["date"] = found
        return data


@login_required
@require_http_methods(["GET", "POST"])
def closure_days_view(request: HttpRequest) -> HttpResponse:
    """The days the council is closed: not working days for any deadline (reminders, escalations,
    actions, feedback, moderation, allocation)."""
    if not request.user.has_perm("org.manage_closure_days"):
        raise denied(request, object_type="closure_days", object_ref="closure_days")
    form = ClosureDayForm()
    if request.method == "POST":
        if "remove" in request.POST:
            day = parse_date(request.POST.get("remove", "") or "")
            try:
                if day is None:
                    raise ClosureDayRefused([Problem("closure_day", "day", "Choose a closure day to remove")])
                closure_day_remove(actor=request.user, day=day)
            except ClosureDayRefused as refused:
                messages.error(request, refused.problems[0].message)
            else:
                messages.success(request, f"{long_date(day)} is a working day again.")
            return redirect("org:closure_days")
        form = ClosureDayForm(request.POST)
        if form.is_valid():
            try:
                added = closure_day_add(
                    actor=request.user, day=form.cleaned_data["date"], name=form.cleaned_data["name"]
                )
            except ClosureDayRefused as refused:
                for problem in refused.problems:
                    form.add_error("day" if problem.field == "day" else "name", problem.message)
            else:
                messages.success(request, f"{long_date(added.day)} added: {added.name}.")
                return redirect("org:closure_days")
    days: list[dict[str, Any]] = [
        {
            "day": closure.day,
            "date": long_date(closure.day),
            "weekday": f"{closure.day:%A}",
            "name": closure.name,
        }
        for closure in closure_days()
    ]
    today = timezone.localdate()
    return render(
        request,
        "org/closure_days.html",
        {
            "form": form,
            "errors": form_error_summary(
                form, hrefs={"day": "#date-day", "month": "#date-month", "year": "#date-year"}
            ),
            "date_input": date_parts_input(
                form, id="date", legend="Date", hint=f"For example, 29 12 {today.year}"
            ),
            "upcoming": [row for row in days if row["day"] >= today],
            "past": [row for row in days if row["day"] < today][-10:],
        },
    )
