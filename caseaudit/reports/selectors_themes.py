"""Reads of the themes of a period (QA-2), for the QA team (rules: reports.manage_themes), who
may see every audit that is not restricted — and themes show no restricted audit's words: none is
taken when themes are suggested, and a fragment of a case restricted since is never shown."""

import datetime
from collections import defaultdict
from typing import Any

from django.db.models import Count, Q, QuerySet

from caseaudit.moderation.sampling import Quarter
from caseaudit.reports.filters import ReportFilter
from caseaudit.reports.fragments import period_fragments
from caseaudit.reports.models import Theme, ThemeFragment
from caseaudit.reports.themes import suggest_themes

LIVE = (Theme.Status.SUGGESTED, Theme.Status.CONFIRMED)


def period_themes(
    *, start: datetime.date, end: datetime.date, statuses: tuple[str, ...] = LIVE
) -> QuerySet[Theme]:
    """The period's themes with `fragment_count` and `audit_count`, confirmed first, then largest."""
    shown = Q(fragments__audit__case__restricted=False)
    return (
        Theme.objects.filter(period_start=start, period_end=end, status__in=statuses)
        .annotate(
            fragment_count=Count("fragments", filter=shown),
            audit_count=Count("fragments__audit", filter=shown, distinct=True),
        )
        .order_by("status", "-fragment_count", "label", "pk")  # confirmed, then suggested
    )


def theme_get(*, theme_id: int) -> Theme | None:
    return Theme.objects.filter(pk=theme_id).first()


def theme_fragments(*, theme: Theme) -> QuerySet[ThemeFragment]:
    return (
        ThemeFragment.objects.filter(theme=theme, audit__case__restricted=False)
        .select_related("audit__case")
        .order_by("audit_id", "key")
    )


def theme_samples(*, themes: list[Theme], per_theme: int = 3) -> dict[int, list[ThemeFragment]]:
    """A few fragments of each theme (its shortest, most quotable), in one query."""
    found: dict[int, list[ThemeFragment]] = defaultdict(list)
    fragments = ThemeFragment.objects.filter(theme__in=themes, audit__case__restricted=False).select_related(
        "audit__case"
    )
    for fragment in sorted(fragments, key=lambda f: (f.theme_id, len(f.text), f.pk)):
        if len(found[fragment.theme_id]) < per_theme:
            found[fragment.theme_id].append(fragment)
    return found


def confirmed_trend(*, quarters: list[Quarter]) -> tuple[list[str], list[dict[str, Any]]]:
    """(theme labels, rows): for each label confirmed in any of the quarters, the fragments of its
    confirmed theme in each quarter (0 where it was not confirmed then), oldest quarter first."""
    by_label: dict[str, dict[Quarter, int]] = defaultdict(dict)
    for quarter in quarters:
        for theme in period_themes(start=quarter.start, end=quarter.end, statuses=(Theme.Status.CONFIRMED,)):
            by_label[theme.label][quarter] = by_label[theme.label].get(quarter, 0) + theme.fragment_count  # type: ignore[attr-defined]
    labels = sorted(by_label, key=lambda label: (-sum(by_label[label].values()), label))
    rows = [{"label": label, "counts": [by_label[label].get(q, 0) for q in quarters]} for label in labels]
    return labels, rows


def themes_json(*, start: datetime.date, end: datetime.date) -> dict[str, Any]:
    """CONTRACTS §11's shape: the period's kept and suggested themes, or, where nothing is stored
    for the period, fresh suggestions (not saved: `id` null)."""
    stored = list(period_themes(start=start, end=end))
    if stored:
        fragments: dict[int, list[dict[str, Any]]] = defaultdict(list)
        shown = ThemeFragment.objects.filter(theme__in=stored, audit__case__restricted=False)
        for fragment in shown.order_by("audit_id", "key"):
            fragments[fragment.theme_id].append(
                {"audit_id": fragment.audit_id, "source": fragment.source, "text": fragment.text}
            )
        return {
            "from": start.isoformat(),
            "to": end.isoformat(),
            "themes": [
                {
                    "id": theme.pk,
                    "label": theme.label,
                    "kind": theme.kind,
                    "status": theme.status,
                    "area": theme.area,
                    "terms": list(theme.terms),
                    "fragments": fragments[theme.pk],
                }
                for theme in stored
            ],
        }
    return fresh_themes_json(start=start, end=end)


def fresh_themes_json(*, start: datetime.date, end: datetime.date) -> dict[str, Any]:
    fragments = period_fragments(report=ReportFilter(start=start, end=end))
    return {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "themes": [
            {
                "id": None,
                "label": theme.label,
                "kind": theme.kind,
                "status": "suggested",
                "area": theme.area,
                "terms": theme.terms,
                "fragments": [
                    {
                        "audit_id": fragments[i].audit_id,
                        "source": fragments[i].source,
                        "text": fragments[i].text,
                    }
                    for i in theme.members
                ],
            }
            for theme in suggest_themes([fragment.text for fragment in fragments])
        ],
    }
