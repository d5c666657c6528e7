"""The QA officer's themes (QA-2) over stored audits: suggested from the period's free text (never a
restricted audit's), then renamed, merged, split, discarded, restored and confirmed, each with its
audit-history row; suggesting again keeps what the person decided; the API, the command and the
pages, for QA only."""

import datetime
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from caseaudit.audits.tests.test_services_helpers import templates_load
from caseaudit.conftest import Authority, user_for
from caseaudit.core.models import AuditEvent
from caseaudit.reports.models import Theme, ThemeFragment
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
from caseaudit.reports.tests.generated import SECRET, free_text_audits

pytestmark = pytest.mark.django_db

START, END = datetime.date(2026, 7, 1), datetime.date(2026, 9, 30)


@pytest.fixture
def period(authority: Authority) -> Authority:
    templates_load()
    free_text_audits(authority, start=START, end=END, count=30)
    return authority


def _suggest(authority: Authority) -> list[Theme]:
    return themes_suggest(actor=user_for(authority, "qa_officer"), start=START, end=END)


def test_suggested_from_the_periods_free_text_never_a_restricted_audits(period: Authority) -> None:
    themes = _suggest(period)
    assert len(themes) >= 5
    fragments = ThemeFragment.objects.filter(period_start=START)
    assert fragments.count() > 0.9 * 120  # 30 audits × (3 comments + 1 impact), nearly all themed
    assert not fragments.filter(text=SECRET).exists()
    assert not fragments.filter(audit__case__restricted=True).exists()
    assert {f.source for f in fragments} == {"section_comment", "action_impact"}
    assert AuditEvent.objects.filter(action="themes.suggested").count() == 1


def test_suggesting_again_keeps_the_confirmed_and_the_discarded(period: Authority) -> None:
    qa = user_for(period, "qa_officer")
    first = _suggest(period)
    confirmed = theme_confirm(actor=qa, theme=first[0])
    discarded = theme_discard(actor=qa, theme=first[1])
    kept_keys = set(
        ThemeFragment.objects.filter(theme__in=[confirmed, discarded]).values_list("key", flat=True)
    )
    again = _suggest(period)
    assert Theme.objects.filter(pk__in=[confirmed.pk, discarded.pk]).count() == 2
    assert not Theme.objects.filter(pk__in=[t.pk for t in first[2:]]).exists()  # old suggestions replaced
    new_keys = set(ThemeFragment.objects.filter(theme__in=again).values_list("key", flat=True))
    assert not new_keys & kept_keys  # a fragment sits in at most one theme
    assert theme_restore(actor=qa, theme=discarded).status == "suggested"
    assert confirmed.confirmed_by == qa and confirmed.confirmed_at is not None


def test_rename_merge_and_split_with_history(period: Authority) -> None:
    qa = user_for(period, "qa_officer")
    themes = _suggest(period)
    renamed = theme_rename(actor=qa, theme=themes[0], label="  Recording   on the file ", kind="barrier")
    assert (renamed.label, renamed.kind) == ("Recording on the file", "barrier")
    counts = [t.fragments.count() for t in themes[:3]]
    merged = themes_merge(actor=qa, themes=themes[:3], label="Recording and oversight")
    assert merged.pk == themes[0].pk and merged.fragments.count() == sum(counts)
    assert not Theme.objects.filter(pk__in=[themes[1].pk, themes[2].pk]).exists()
    assert merged.terms  # recomputed from its texts
    ids = list(merged.fragments.values_list("pk", flat=True)[:4])
    new = theme_split(actor=qa, theme=merged, fragment_ids=ids, label="Chronologies")
    assert new.fragments.count() == 4 and merged.fragments.count() == sum(counts) - 4
    assert new.status == "suggested" and new.period_start == START
    actions = set(AuditEvent.objects.filter(object_type="theme").values_list("action", flat=True))
    assert actions == {"theme.renamed", "theme.merged", "theme.split"}


def test_what_is_refused(period: Authority) -> None:
    qa = user_for(period, "qa_officer")
    themes = _suggest(period)
    with pytest.raises(ThemeRefused):
        theme_rename(actor=qa, theme=themes[0], label="   ")
    with pytest.raises(ThemeRefused):
        themes_merge(actor=qa, themes=themes[:1], label="One")
    everything = list(themes[0].fragments.values_list("pk", flat=True))
    with pytest.raises(ThemeRefused):
        theme_split(actor=qa, theme=themes[0], fragment_ids=everything, label="All")
    with pytest.raises(ThemeRefused):
        theme_split(actor=qa, theme=themes[0], fragment_ids=[], label="None")
    assert Theme.objects.filter(pk=themes[0].pk, label=themes[0].label).exists()  # nothing half-saved


def test_the_api_gives_stored_themes_else_fresh_suggestions_to_qa_only(period: Authority) -> None:
    client = Client()
    client.force_login(user_for(period, "qa_officer"))
    query = {"from": START.isoformat(), "to": END.isoformat()}
    fresh = client.get("/api/reports/themes", query).json()
    assert fresh["themes"] and all(theme["id"] is None for theme in fresh["themes"])
    assert Theme.objects.count() == 0  # reading changes nothing
    _suggest(period)
    stored = client.get("/api/reports/themes", query).json()
    assert {theme["id"] for theme in stored["themes"]} == set(Theme.objects.values_list("pk", flat=True))
    theme = stored["themes"][0]
    assert set(theme) == {"id", "label", "kind", "status", "area", "terms", "fragments"}
    assert set(theme["fragments"][0]) == {"audit_id", "source", "text"}
    other = Client()
    other.force_login(user_for(period, "practice_manager"))
    assert other.get("/api/reports/themes", query).status_code == 403


def test_find_themes_prints_json_and_saves_only_when_asked(period: Authority) -> None:
    out = StringIO()
    call_command(
        "find_themes", "--from", START.isoformat(), "--to", END.isoformat(), "--format", "json", stdout=out
    )
    found = json.loads(out.getvalue())
    assert found["themes"] and Theme.objects.count() == 0
    call_command(
        "find_themes", "--from", START.isoformat(), "--to", END.isoformat(), "--save", stdout=StringIO()
    )
    assert Theme.objects.count() == len(found["themes"])


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("qa_officer", 200),
        ("head_of_qa", 200),
        ("superuser", 200),
        ("practice_manager", 404),
        ("social_worker", 404),
    ],
)
def test_the_themes_pages_are_for_the_qa_team(period: Authority, who: str, status: int) -> None:
    _suggest(period)
    client = Client()
    client.force_login(user_for(period, who))
    assert client.get("/reports/themes/", {"period": "2026Q3"}).status_code == status
    assert client.get(f"/reports/themes/{Theme.objects.first().pk}/").status_code == status


def test_the_qa_officer_works_the_themes_on_the_pages(period: Authority) -> None:
    client = Client()
    client.force_login(user_for(period, "qa_officer"))
    assert client.post("/reports/themes/", {"period": "2026Q3", "suggest": "1"}).status_code == 302
    first, second = list(Theme.objects.order_by("pk")[:2])
    page = client.get("/reports/themes/", {"period": "2026Q3"}).content.decode()
    assert first.label in page and "fragments from" in page
    client.post("/reports/themes/", {"period": "2026Q3", "confirm": str(first.pk)})
    first.refresh_from_db()
    assert first.status == "confirmed"
    refused = client.post("/reports/themes/", {"period": "2026Q3", "merge": "1", "themes": [str(first.pk)]})
    assert refused.status_code == 200 and "Choose at least two themes" in refused.content.decode()
    client.post(
        "/reports/themes/",
        {"period": "2026Q3", "merge": "1", "themes": [str(first.pk), str(second.pk)], "merge_label": "Both"},
    )
    first.refresh_from_db()
    assert first.label == "Both" and not Theme.objects.filter(pk=second.pk).exists()
    response = client.post(
        f"/reports/themes/{first.pk}/", {"rename": "1", "label": "Recording", "kind": "mixed"}
    )
    assert response.status_code == 302
    ids = [str(pk) for pk in first.fragments.values_list("pk", flat=True)[:2]]
    response = client.post(
        f"/reports/themes/{first.pk}/", {"split": "1", "split_label": "Two of them", "fragments": ids}
    )
    assert response.status_code == 302 and Theme.objects.filter(label="Two of them").exists()
    empty = client.post(f"/reports/themes/{first.pk}/", {"split": "1", "split_label": ""})
    assert empty.status_code == 200 and "Enter" in empty.content.decode()


def test_a_case_restricted_since_is_never_shown_and_a_merge_keeps_a_confirmation(period: Authority) -> None:
    from caseaudit.cases.models import Case
    from caseaudit.reports.selectors_themes import period_themes, theme_fragments, themes_json

    qa = user_for(period, "qa_officer")
    themes = _suggest(period)
    Case.objects.filter(case_id="C-OWN").update(restricted=True)  # a register import restricts it
    shown = [f for theme in themes for f in theme_fragments(theme=theme)]
    assert shown and all(f.audit.case.case_id != "C-OWN" for f in shown)
    found = themes_json(start=START, end=END)
    own = set(Theme.objects.filter(fragments__audit__case__case_id="C-OWN").values_list("pk", flat=True))
    assert own and not any(
        fragment["audit_id"] in {a.pk for a in period.cases["own_team"].audits.all()}
        for theme in found["themes"]
        for fragment in theme["fragments"]
    )
    confirmed = theme_confirm(actor=qa, theme=themes[1])
    merged = themes_merge(actor=qa, themes=[themes[0], confirmed], label="Together")
    assert merged.status == "confirmed"
    first = period_themes(start=START, end=END).first()
    assert first is not None and first.status == "confirmed"  # confirmed first
