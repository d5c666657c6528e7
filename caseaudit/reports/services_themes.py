"""The QA officer's work on themes (QA-2): suggest them for a period, then rename, merge, split,
discard, restore and confirm — each write atomic, with its audit-history row (REC-3). The
suggestions are the machine's; what is confirmed is the person's.

Suggesting again replaces the period's suggested themes only: confirmed and discarded themes
keep their fragments (a fragment sits in at most one theme of a period), and the new suggestions
are made from the rest."""

import datetime
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from caseaudit.core.problems import Problem, Refused
from caseaudit.core.services import audit_event_record, user_or_none
from caseaudit.reports.filters import ReportFilter
from caseaudit.reports.fragments import period_fragments
from caseaudit.reports.models import Theme, ThemeFragment
from caseaudit.reports.themes import key_terms, suggest_themes, theme_kind

LABEL_MAX = 200


class ThemeRefused(Refused):
    pass


def _record(
    actor: Any, action: str, theme: Theme, summary: str, changes: dict[str, Any] | None = None
) -> None:
    audit_event_record(
        actor=actor,
        action=action,
        object_type="theme",
        object_ref=str(theme.pk),
        summary=summary,
        changes=changes or {},
    )


def _label(label: str) -> str:
    cleaned = " ".join((label or "").split())
    if not cleaned:
        raise ThemeRefused([Problem("theme", "label", "Enter a name for the theme")])
    if len(cleaned) > LABEL_MAX:
        raise ThemeRefused([Problem("theme", "label", f"The name must be {LABEL_MAX} characters or fewer")])
    return cleaned


def themes_suggest(*, actor: Any, start: datetime.date, end: datetime.date) -> list[Theme]:
    """Suggest the period's themes afresh from its free text not in a kept theme."""
    report = ReportFilter(start=start, end=end)
    with transaction.atomic():
        period = Theme.objects.select_for_update().filter(period_start=start, period_end=end)
        dropped = period.filter(status=Theme.Status.SUGGESTED)
        dropped_count = dropped.count()
        dropped.delete()
        kept = set(
            ThemeFragment.objects.filter(period_start=start, period_end=end).values_list("key", flat=True)
        )
        fragments = [fragment for fragment in period_fragments(report=report) if fragment.key not in kept]
        suggested = suggest_themes([fragment.text for fragment in fragments])
        now = timezone.now()
        created: list[Theme] = []
        for found in suggested:
            theme = Theme.objects.create(
                period_start=start,
                period_end=end,
                label=found.label[:LABEL_MAX],
                kind=found.kind,
                area=found.area,
                terms=found.terms,
                created_at=now,
                created_by=user_or_none(actor),
                updated_at=now,
            )
            ThemeFragment.objects.bulk_create(
                ThemeFragment(
                    theme=theme,
                    period_start=start,
                    period_end=end,
                    key=fragments[index].key,
                    audit_id=fragments[index].audit_id,
                    source=fragments[index].source,
                    text=fragments[index].text,
                )
                for index in found.members
            )
            created.append(theme)
        audit_event_record(
            actor=actor,
            action="themes.suggested",
            object_type="theme_period",
            object_ref=f"{start}..{end}",
            summary=f"{len(created)} themes suggested for {start} to {end} from {len(fragments)} free texts "
            f"({dropped_count} earlier suggestions replaced)",
            changes={"themes": [theme.pk for theme in created], "fragments": len(fragments)},
        )
    return created


def _locked(theme: Theme) -> Theme:
    return Theme.objects.select_for_update().get(pk=theme.pk)


def theme_rename(*, actor: Any, theme: Theme, label: str, kind: str | None = None) -> Theme:
    label = _label(label)
    if kind is not None and kind not in Theme.Kind.values:
        raise ThemeRefused([Problem("theme", "kind", "Choose strength, barrier or mixed")])
    with transaction.atomic():
        theme = _locked(theme)
        before = {"label": theme.label, "kind": theme.kind}
        theme.label = label
        theme.kind = kind or theme.kind
        theme.updated_at = timezone.now()
        theme.save(update_fields=["label", "kind", "updated_at"])
        _record(
            actor,
            "theme.renamed",
            theme,
            f"Theme renamed “{before['label']}” → “{label}”",
            {
                "label": [before["label"], label],
                "kind": [before["kind"], theme.kind],
            },
        )
    return theme


def _status(actor: Any, theme: Theme, status: str, action: str, words: str) -> Theme:
    with transaction.atomic():
        theme = _locked(theme)
        before = theme.status
        theme.status = status
        theme.updated_at = timezone.now()
        fields = ["status", "updated_at"]
        if status == Theme.Status.CONFIRMED:
            theme.confirmed_at, theme.confirmed_by = theme.updated_at, user_or_none(actor)
            fields += ["confirmed_at", "confirmed_by"]
        theme.save(update_fields=fields)
        _record(actor, action, theme, f"Theme “{theme.label}” {words}", {"status": [before, status]})
    return theme


def theme_confirm(*, actor: Any, theme: Theme) -> Theme:
    if not theme.fragments.exists():
        raise ThemeRefused([Problem("theme", "fragments", "A theme with no fragments cannot be confirmed")])
    return _status(actor, theme, Theme.Status.CONFIRMED, "theme.confirmed", "confirmed")


def theme_discard(*, actor: Any, theme: Theme) -> Theme:
    return _status(actor, theme, Theme.Status.DISCARDED, "theme.discarded", "discarded")


def theme_restore(*, actor: Any, theme: Theme) -> Theme:
    return _status(actor, theme, Theme.Status.SUGGESTED, "theme.restored", "back among the suggestions")


def _refresh(theme: Theme) -> None:
    """Its kind and key terms from the fragments it now has."""
    texts = list(theme.fragments.values_list("text", flat=True))
    theme.kind = theme_kind(texts)
    theme.terms = key_terms(texts)


def themes_merge(*, actor: Any, themes: Sequence[Theme], label: str) -> Theme:
    """One theme of several of one period: the first keeps its id and takes the others' fragments."""
    label = _label(label)
    if len(themes) < 2:
        raise ThemeRefused([Problem("theme", "themes", "Choose at least two themes to merge")])
    periods = {(theme.period_start, theme.period_end) for theme in themes}
    if len(periods) != 1:
        raise ThemeRefused([Problem("theme", "themes", "Only themes of the same period can be merged")])
    with transaction.atomic():
        locked = [_locked(theme) for theme in themes]
        kept, others = locked[0], locked[1:]
        merged_labels = [theme.label for theme in others]
        ThemeFragment.objects.filter(theme__in=others).update(theme=kept)
        for other in others:
            other.delete()
        kept.label, kept.updated_at = label, timezone.now()
        fields = ["label", "terms", "kind", "updated_at"]
        if (
            any(theme.status == Theme.Status.CONFIRMED for theme in locked)
            and kept.status != Theme.Status.CONFIRMED
        ):
            # a confirmed theme merged keeps the result confirmed: suggesting again must not drop it
            confirmed = next(theme for theme in locked if theme.status == Theme.Status.CONFIRMED)
            kept.status = Theme.Status.CONFIRMED
            kept.confirmed_at, kept.confirmed_by = confirmed.confirmed_at, confirmed.confirmed_by
            fields += ["status", "confirmed_at", "confirmed_by"]
        _refresh(kept)
        kept.save(update_fields=fields)
        _record(
            actor,
            "theme.merged",
            kept,
            f"Themes merged into “{label}”: {', '.join(merged_labels)}",
            {
                "merged": [theme.pk for theme in themes],
                "labels": [kept.label, *merged_labels],
            },
        )
    return kept


def theme_split(*, actor: Any, theme: Theme, fragment_ids: Sequence[int], label: str) -> Theme:
    """A new theme of the period with the chosen fragments of `theme` (suggested, for the QA
    officer to confirm); the rest stay."""
    label = _label(label)
    with transaction.atomic():
        theme = _locked(theme)
        chosen = ThemeFragment.objects.filter(theme=theme, pk__in=list(fragment_ids))
        count = chosen.count()
        total = theme.fragments.count()
        if count == 0 or count == total:
            raise ThemeRefused(
                [
                    Problem(
                        "theme",
                        "fragments",
                        "Choose some of the theme's fragments, not none or all, to split off",
                    )
                ]
            )
        now = timezone.now()
        new = Theme.objects.create(
            period_start=theme.period_start,
            period_end=theme.period_end,
            label=label,
            kind=theme.kind,
            area=theme.area,
            terms=[],
            created_at=now,
            created_by=user_or_none(actor),
            updated_at=now,
        )
        chosen.update(theme=new)
        for each in (theme, new):
            _refresh(each)
            each.updated_at = now
            each.save(update_fields=["kind", "terms", "updated_at"])
        _record(
            actor,
            "theme.split",
            new,
            f"{count} fragments of “{theme.label}” split off as “{label}”",
            {
                "from": theme.pk,
                "fragments": sorted(int(i) for i in fragment_ids),
            },
        )
    return new
