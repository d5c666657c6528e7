"""The QA officer's themes pages (QA-2): the period's suggested and confirmed themes, each with its
key terms, a few of its fragments and the audits they come from; suggest, merge, confirm, discard
and restore on the list; rename and split on a theme's own page. Every page is logged; every
change is a service's, with its audit-history row."""

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods

from caseaudit.core.denials import denied
from caseaudit.core.forms import form_error_summary
from caseaudit.core.services import access_log_record
from caseaudit.moderation.sampling import Quarter
from caseaudit.reports.filters import four_quarters_to, period_of
from caseaudit.reports.models import Theme
from caseaudit.reports.selectors_themes import (
    confirmed_trend,
    period_themes,
    theme_fragments,
    theme_get,
    theme_samples,
)
from caseaudit.reports.services_themes import (
    ThemeRefused,
    theme_confirm,
    theme_discard,
    theme_rename,
    theme_restore,
    theme_split,
    themes_merge,
    themes_suggest,
)


def quarter_choices(today: datetime.date) -> list[tuple[str, str]]:
    quarter = Quarter.of(today)
    found = []
    for _ in range(8):
        found.append((f"{quarter.year}Q{quarter.number}", quarter.label))
        quarter = quarter.previous()
    return found


def _period(request: HttpRequest, today: datetime.date) -> tuple[str, datetime.date, datetime.date]:
    """The quarter asked for (`period`), else the last complete one: what the report is about."""
    token = (request.GET.get("period") or request.POST.get("period") or "").strip()
    try:
        start, end = period_of(token)
        return token, start, end
    except ValueError:
        quarter = Quarter.last_complete(today)
        return f"{quarter.year}Q{quarter.number}", quarter.start, quarter.end


def _allowed(request: HttpRequest, ref: str) -> None:
    if not request.user.has_perm("reports.manage_themes"):
        raise denied(request, object_type="report_themes", object_ref=ref)


def _back(token: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("reports:themes") + "?" + urlencode({"period": token}))


def _chosen(request: HttpRequest, start: datetime.date, end: datetime.date) -> list[Theme]:
    ids = [int(value) for value in request.POST.getlist("themes") if value.isdigit()]
    found = {theme.pk: theme for theme in period_themes(start=start, end=end).filter(pk__in=ids)}
    return [found[pk] for pk in ids if pk in found]


def _one(request: HttpRequest, name: str, start: datetime.date, end: datetime.date) -> Theme | None:
    value = request.POST.get(name, "")
    if not value.isdigit():
        return None
    statuses = (Theme.Status.SUGGESTED, Theme.Status.CONFIRMED, Theme.Status.DISCARDED)
    return period_themes(start=start, end=end, statuses=statuses).filter(pk=int(value)).first()


def _act(request: HttpRequest, token: str, start: datetime.date, end: datetime.date) -> list[dict[str, str]]:
    """Do what the list's form asked; the errors to show, if any."""
    actor = request.user
    try:
        if "suggest" in request.POST:
            created = themes_suggest(actor=actor, start=start, end=end)
            messages.success(request, f"{len(created)} themes suggested from this quarter's free text")
        elif "merge" in request.POST:
            chosen = _chosen(request, start, end)
            label = request.POST.get("merge_label", "") or (chosen[0].label if chosen else "")
            merged = themes_merge(actor=actor, themes=chosen, label=label)
            messages.success(request, f"Themes merged into “{merged.label}”")
        else:
            for name, service, words in (
                ("confirm", theme_confirm, "confirmed"),
                ("discard", theme_discard, "discarded"),
                ("restore", theme_restore, "back among the suggestions"),
            ):
                theme = _one(request, name, start, end)
                if theme is not None:
                    service(actor=actor, theme=theme)
                    messages.success(request, f"“{theme.label}” {words}")
                    break
    except ThemeRefused as refused:
        return [{"text": problem.message, "href": "#merge_label"} for problem in refused.problems]
    return []


@login_required
@require_http_methods(["GET", "POST"])
def themes_page(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    token, start, end = _period(request, today)
    _allowed(request, token)
    errors: list[dict[str, str]] = []
    if request.method == "POST":
        errors = _act(request, token, start, end)
        if not errors:
            return _back(token)
    themes = list(period_themes(start=start, end=end))
    discarded = list(period_themes(start=start, end=end, statuses=(Theme.Status.DISCARDED,)))
    samples = theme_samples(themes=themes)
    quarter = Quarter.of(start)
    quarters = four_quarters_to(quarter)
    _, trend = confirmed_trend(quarters=quarters)
    access_log_record(
        actor=request.user, object_type="report_themes", object_ref=token, allowed=True, request=request
    )
    return render(
        request,
        "reports/themes.html",
        {
            "token": token,
            "label": Quarter.of(start).label
            if (start, end) == (quarter.start, quarter.end)
            else f"{start} to {end}",
            "periods": quarter_choices(today),
            "error_list": errors,
            "themes": [
                {
                    "theme": theme,
                    "samples": [
                        {
                            "text": fragment.text,
                            "source": fragment.get_source_display(),
                            "case_id": fragment.audit.case.case_id,
                            "href": reverse("audits:overview", args=[fragment.audit_id]),
                        }
                        for fragment in samples.get(theme.pk, [])
                    ],
                }
                for theme in themes
            ],
            "discarded": discarded,
            "confirmed": sum(1 for theme in themes if theme.status == Theme.Status.CONFIRMED),
            "trend_quarters": [f"{q.year} Q{q.number}" for q in quarters],
            "trend": trend,
        },
    )


class RenameForm(forms.Form):
    label = forms.CharField(
        label="Name", max_length=200, error_messages={"required": "Enter a name for the theme"}
    )
    kind = forms.ChoiceField(label="Strength, barrier or mixed", choices=Theme.Kind.choices)


class SplitForm(forms.Form):
    split_label = forms.CharField(
        label="Name of the new theme",
        max_length=200,
        error_messages={"required": "Enter a name for the new theme"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def theme_page(request: HttpRequest, theme_id: int) -> HttpResponse:
    _allowed(request, str(theme_id))
    theme = theme_get(theme_id=theme_id)
    if theme is None:
        raise denied(request, object_type="report_theme", object_ref=str(theme_id))
    token = f"{theme.period_start.year}Q{(theme.period_start.month - 1) // 3 + 1}"
    rename = RenameForm(initial={"label": theme.label, "kind": theme.kind}, auto_id="%s")
    split = SplitForm(auto_id="%s")
    errors: list[dict[str, str]] = []
    if request.method == "POST":
        try:
            if "rename" in request.POST:
                rename = RenameForm(request.POST, auto_id="%s")
                if rename.is_valid():
                    theme_rename(
                        actor=request.user,
                        theme=theme,
                        label=rename.cleaned_data["label"],
                        kind=rename.cleaned_data["kind"],
                    )
                    messages.success(request, "Theme renamed")
                    return HttpResponseRedirect(reverse("reports:theme", args=[theme.pk]))
            elif "split" in request.POST:
                split = SplitForm(request.POST, auto_id="%s")
                ids = [int(value) for value in request.POST.getlist("fragments") if value.isdigit()]
                if split.is_valid():
                    new = theme_split(
                        actor=request.user,
                        theme=theme,
                        fragment_ids=ids,
                        label=split.cleaned_data["split_label"],
                    )
                    messages.success(request, f"{len(ids)} fragments split off as “{new.label}”")
                    return HttpResponseRedirect(reverse("reports:theme", args=[new.pk]))
        except ThemeRefused as refused:
            errors = [
                {"text": problem.message, "href": "#fragments" if problem.field == "fragments" else "#label"}
                for problem in refused.problems
            ]
    errors += form_error_summary(rename) + form_error_summary(split)
    fragments = list(theme_fragments(theme=theme))
    access_log_record(
        actor=request.user,
        object_type="report_theme",
        object_ref=str(theme.pk),
        allowed=True,
        request=request,
    )
    return render(
        request,
        "reports/theme.html",
        {
            "theme": theme,
            "token": token,
            "rename": rename,
            "split": split,
            "error_list": errors,
            "fragments": [
                {
                    "pk": fragment.pk,
                    "text": fragment.text,
                    "source": fragment.get_source_display(),
                    "case_id": fragment.audit.case.case_id,
                    "href": reverse("audits:overview", args=[fragment.audit_id]),
                }
                for fragment in fragments
            ],
            "audit_count": len({fragment.audit_id for fragment in fragments}),
        },
    )


urlpatterns: list[URLPattern] = [
    path("reports/themes/", themes_page, name="themes"),
    path("reports/themes/<int:theme_id>/", theme_page, name="theme"),
]
