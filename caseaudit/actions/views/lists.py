"""The lists of actions and escalations (ACT-1, ESC-2): "My actions" for an owner and a signer; the
actions a person may see (QA and managers: their line's and teams'), filtered by team, worker,
status and overdue, with counts; the escalations they may see, filtered by status and overdue.

Every list reads through the scoped selectors (SEC-1) and is a fixed number of queries however
many actions there are (a page of 50); every view is logged (SEC-2). The filters are GET forms, so
the pages work without JavaScript and a filtered list can be bookmarked."""

import datetime
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from caseaudit.actions.models import Escalation
from caseaudit.actions.presenters import ActionRow, action_row, escalation_row
from caseaudit.actions.selectors import action_counts, action_list, escalation_list, my_actions
from caseaudit.actions.selectors_lists import action_workers, escalation_open_counts
from caseaudit.audits.models import AuditAction
from caseaudit.core.calendar import long_date
from caseaudit.core.forms import form_error_summary
from caseaudit.core.paging import pagination_params
from caseaudit.core.services import access_log_record
from caseaudit.org.selectors import team_choices

PAGE_SIZE = 50
Status = AuditAction.Status


class ActionFilterForm(forms.Form):
    """Filters of the actions list. Every field is optional."""

    team = forms.ChoiceField(label="Team", required=False)
    worker = forms.ChoiceField(label="Worker", required=False)
    status = forms.ChoiceField(label="Status", required=False, choices=[("", "Any status"), *Status.choices])
    overdue = forms.BooleanField(label="Overdue only", required=False)

    def __init__(
        self, *args: Any, teams: list[tuple[str, str]], workers: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [("", "Any team"), *teams]  # type: ignore[attr-defined]
        self.fields["worker"].choices = [("", "Any worker"), *workers]  # type: ignore[attr-defined]


class EscalationFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Open or closed"), *Escalation.Status.choices]
    )
    overdue = forms.BooleanField(label="Overdue only", required=False)


def _log(request: HttpRequest, object_type: str, ref: str) -> None:
    access_log_record(
        actor=request.user, object_type=object_type, object_ref=ref, allowed=True, request=request
    )


def _filters(form: forms.Form) -> dict[str, Any]:
    """What was asked for, where it is valid (an unknown team or worker shows its error and is
    ignored, as the case list does)."""
    form.is_valid()
    return {name: value for name, value in getattr(form, "cleaned_data", {}).items() if value}


def _overdue_checkbox(form: forms.Form) -> dict[str, Any]:
    """The GOV.UK checkbox of the overdue filter (govuk_field renders selects, not a lone box)."""
    return {
        "name": "overdue",
        "idPrefix": "overdue",
        "classes": "govuk-checkboxes--small",
        "fieldset": {"legend": {"text": "Overdue", "classes": "govuk-fieldset__legend--s"}},
        "items": [
            {
                "value": "on",
                "text": "Only overdue",
                "id": "overdue",
                "checked": bool(form.data.get("overdue")),
            }
        ],
    }


def _query(filters: dict[str, Any]) -> dict[str, str]:
    return {name: ("on" if value is True else str(value)) for name, value in filters.items()}


@login_required
@require_GET
def my_actions_page(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    mine = my_actions(user=request.user, today=today)
    _log(request, "action_list", "mine")

    def rows(actions: list[AuditAction]) -> list[ActionRow]:
        return [action_row(action, today=today) for action in actions]

    sections = [
        ("overdue", "Overdue", "Past their due date and not yet done.", rows(mine.overdue), "overdue"),
        ("due-soon", "Due soon", "Due in the next 2 weeks.", rows(mine.due_soon), "due_soon"),
        ("open", "Open", "Due later.", rows(mine.open), "open"),
        (
            "done",
            "Done, awaiting sign-off",
            "You marked these as done; their signer checks them.",
            rows(mine.done),
            "done",
        ),
    ]
    to_sign_off = [
        (
            action_row(action, today=today),
            long_date(timezone.localdate(action.status_at)) if action.status_at else "",
        )
        for action in mine.to_sign_off
    ]
    return render(
        request,
        "actions/mine.html",
        {
            "sections": [
                {"id": key, "heading": heading, "hint": hint, "rows": found, "total": mine.counts[name]}
                for key, heading, hint, found, name in sections
            ],
            "to_sign_off": to_sign_off,
            "to_sign_off_total": mine.counts["to_sign_off"],
            "count": mine.count,
        },
    )


def _status_counts(counts: dict[str, int], query: dict[str, str]) -> list[dict[str, Any]]:
    """Each count with the link that filters the list to it (the team and worker kept)."""
    kept = {name: value for name, value in query.items() if name in ("team", "worker")}
    links: list[tuple[str, int, dict[str, str]]] = [
        ("Open", counts["open"], {"status": Status.OPEN}),
        ("Overdue", counts["overdue"], {"overdue": "on"}),
        ("Done, awaiting sign-off", counts["done"], {"status": Status.DONE}),
        ("Signed off", counts["signed_off"], {"status": Status.SIGNED_OFF}),
        ("Cancelled", counts["cancelled"], {"status": Status.CANCELLED}),
    ]
    return [
        {"label": label, "count": count, "href": "?" + urlencode({**kept, **extra})}
        for label, count, extra in links
    ]


@login_required
@require_GET
def action_list_page(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    visible = action_list(user=request.user, today=today)
    form = ActionFilterForm(
        request.GET or None, teams=team_choices(), workers=action_workers(actions=visible)
    )
    filters = _filters(form)
    query = _query(filters)
    of_line = action_list(
        user=request.user, team_id=filters.get("team"), worker_id=filters.get("worker"), today=today
    )
    actions = action_list(
        user=request.user,
        team_id=filters.get("team"),
        worker_id=filters.get("worker"),
        status=filters.get("status"),
        overdue=bool(filters.get("overdue")),
        today=today,
    )
    page = Paginator(actions, PAGE_SIZE).get_page(request.GET.get("page"))
    _log(request, "action_list", "all")
    return render(
        request,
        "actions/list.html",
        {
            "form": form,
            "errors": form_error_summary(form) if form.is_bound else [],
            "overdue_checkbox": _overdue_checkbox(form),
            "counts": _status_counts(action_counts(actions=of_line, today=today), query),
            "rows": [action_row(action, today=today) for action in page.object_list],
            "page": page,
            "pagination": pagination_params(page, query, "Pages of actions"),
            "filtered": bool(query),
        },
    )


@login_required
@require_GET
def escalation_list_page(request: HttpRequest) -> HttpResponse:
    today: datetime.date = timezone.localdate()
    form = EscalationFilterForm(request.GET or None)
    filters = _filters(form)
    query = _query(filters)
    # Open ones first ("open" sorts after "closed"), soonest due first.
    escalations = escalation_list(
        user=request.user, status=filters.get("status"), overdue=bool(filters.get("overdue")), today=today
    ).order_by("-status", "due_date", "pk")
    page = Paginator(escalations, PAGE_SIZE).get_page(request.GET.get("page"))
    _log(request, "escalation_list", "all")
    return render(
        request,
        "actions/escalations.html",
        {
            "form": form,
            "errors": form_error_summary(form) if form.is_bound else [],
            "overdue_checkbox": _overdue_checkbox(form),
            "counts": escalation_open_counts(escalations=escalation_list(user=request.user), today=today),
            "rows": [escalation_row(escalation, today=today) for escalation in page.object_list],
            "page": page,
            "pagination": pagination_params(page, query, "Pages of escalations"),
            "filtered": bool(query),
        },
    )


urlpatterns: list[URLPattern] = [
    path("actions/mine/", my_actions_page, name="mine"),
    path("actions/", action_list_page, name="list"),
    path("escalations/", escalation_list_page, name="escalations"),
]
