"""All audits (issue 11, 8): the list QA and managers follow the month with — every audit they may
see, filtered by month, type, team, auditor, status and overdue, each with where it is at Stage 1
and Stage 2 and the state of its actions. Linked from the confirmed allocation. A fixed number of
queries per page whatever the number of audits."""

import datetime
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from caseaudit.actions.selectors_audits import followed_audits, is_stage1_overdue
from caseaudit.audits.machines import status_label
from caseaudit.audits.models import Audit
from caseaudit.core.calendar import long_date, month_label, month_start, months_before
from caseaudit.core.paging import pagination_params
from caseaudit.org.selectors import staff_list, team_choices
from caseaudit.templates_library.selectors import audit_type_list

PAGE_SIZE = 50


def _months(today: datetime.date) -> list[tuple[str, str]]:
    this = month_start(today)
    return [("", "Any month")] + [
        ((month := months_before(this, n)).isoformat(), month_label(month)) for n in range(13)
    ]


class AuditFilterForm(forms.Form):
    month = forms.ChoiceField(label="Month", required=False)
    audit_type = forms.ChoiceField(label="Audit type", required=False)
    team = forms.ChoiceField(label="Team", required=False)
    auditor = forms.ChoiceField(label="Auditor", required=False)
    status = forms.ChoiceField(label="Status", required=False)
    overdue = forms.BooleanField(label="Only overdue (Stage 1, Stage 2 or an action)", required=False)

    def __init__(self, *args: Any, today: datetime.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = _months(today)  # type: ignore[attr-defined]
        types = [("", "Any type")] + [(t.token, t.name) for t in audit_type_list()]
        self.fields["audit_type"].choices = types  # type: ignore[attr-defined]
        self.fields["team"].choices = [("", "Any team"), *team_choices()]  # type: ignore[attr-defined]
        self.fields["auditor"].choices = [("", "Any auditor")] + [  # type: ignore[attr-defined]
            (person.staff_id, person.name) for person in staff_list(role="group_manager")
        ]
        self.fields["status"].choices = [("", "Any status"), *Audit.Status.choices]  # type: ignore[attr-defined]


def _stage1(audit: Any, late: bool) -> str:
    if late:
        return f"Overdue: due {long_date(audit.due_date)}"
    if audit.submitted_at:
        return f"Submitted {long_date(timezone.localdate(audit.submitted_at))}"
    return f"Due {long_date(audit.due_date)}" if audit.due_date else ""


def _row(audit: Any, today: datetime.date) -> dict[str, Any]:
    stage1_late = is_stage1_overdue(audit, today)
    stage2_due = audit.stage2_due
    return {
        "href": reverse("audits:overview", args=[audit.pk]),
        "case_id": audit.case.case_id,
        "team": audit.case.team.name,
        "type": audit.audit_type.replace("_", " ").capitalize(),
        "auditor": audit.auditor.name,
        "month": month_label(audit.allocation_month) if audit.allocation_month else "",
        "status": status_label(audit.status),
        "stage1": _stage1(audit, stage1_late),
        "stage1_late": stage1_late,
        "stage2": f"Due {long_date(stage2_due)}" if stage2_due else "",
        "stage2_late": bool(stage2_due and stage2_due < today),
        "actions": audit.actions_total,
        "actions_open": audit.actions_open,
        "actions_overdue": audit.actions_overdue,
        "actions_signed_off": audit.actions_signed_off,
    }


@login_required
@require_GET
def audit_follow_page(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form = AuditFilterForm(request.GET or None, today=today, auto_id="%s")
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    month = datetime.date.fromisoformat(data["month"]) if data.get("month") else None
    audits = followed_audits(
        user=request.user,
        today=today,
        month=month,
        audit_type=data.get("audit_type", ""),
        team_id=data.get("team", ""),
        auditor_id=data.get("auditor", ""),
        status=data.get("status", ""),
        overdue=bool(data.get("overdue")),
    )
    page = Paginator(audits, PAGE_SIZE).get_page(request.GET.get("page"))
    query = {key: value for key, value in request.GET.items() if key != "page" and value}
    return render(
        request,
        "actions/audits.html",
        {
            "form": form,
            "rows": [_row(audit, today) for audit in page.object_list],
            "count": page.paginator.count,
            "pagination": pagination_params(page, query, "Pages of audits"),
        },
    )


urlpatterns: list[URLPattern] = [path("audits/", audit_follow_page, name="audits")]
