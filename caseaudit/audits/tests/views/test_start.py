"""Starting an audit from the child's page (AUD-1, AUD-2, TPL-3) and the child page's Audits panel."""

import datetime
import re
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from caseaudit.audits.models import Audit
from caseaudit.audits.tests.test_services_helpers import audit_of, template_revised, templates_load
from caseaudit.audits.tests.views.support import AUDITOR, client_for, denied
from caseaudit.conftest import Authority
from caseaudit.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def templates(authority: Authority) -> None:
    templates_load()


def start_url(authority: Authority, record: str = "own_team") -> str:
    return reverse("audits:start", args=[authority.cases[record].case_id])


def post_start(authority: Authority, **fields: Any) -> Any:
    form = {"audit_date-day": "7", "audit_date-month": "12", "audit_date-year": "2026", **fields}
    return client_for(authority, AUDITOR).post(start_url(authority), form)


def test_child_page_offers_start_to_an_auditor_and_lists_the_audits(authority: Authority) -> None:
    case = authority.cases["own_team"]
    audit_of(authority, auditor=AUDITOR)
    page = client_for(authority, AUDITOR).get(reverse("cases:child", args=[case.child.child_id]))
    html = page.content.decode()
    assert page.status_code == 200
    assert '<h2 class="govuk-heading-m" id="audits">Audits</h2>' in html
    assert "Monthly Good Practice audit (Stage 1)" in html and "In progress" in html
    assert start_url(authority) in html


def test_child_page_has_no_start_button_for_the_worker(authority: Authority) -> None:
    case = authority.cases["own_team"]
    audit_of(authority, auditor=AUDITOR)
    html = client_for(authority, "social_worker").get(reverse("cases:child", args=[case.child.child_id]))
    assert "Start an audit" not in html.content.decode()
    assert "Monthly Good Practice audit (Stage 1)" in html.content.decode()  # the worker sees their audit


def test_start_page_shows_the_types_with_their_template_version_and_window(authority: Authority) -> None:
    page = client_for(authority, AUDITOR).get(start_url(authority))
    html = page.content.decode()
    assert page.status_code == 200
    for text in [
        "Monthly Good Practice audit (Stage 1)",
        "Template: Stage 1 Good Practice audit, version 1 (2020-11-19), approved 24 July 2020",
        "Review window: 6 months",
        "Thematic audit",
        'name="audit_date-day"',
    ]:
        assert text in html


def test_someone_who_may_not_start_an_audit_gets_404_and_the_denial_is_logged(authority: Authority) -> None:
    response = client_for(authority, "social_worker").get(start_url(authority))
    assert response.status_code == 404
    assert [log.object_ref for log in denied("case")] == ["C-OWN"]


def test_starting_a_good_practice_audit_opens_its_overview(authority: Authority) -> None:
    response = post_start(authority, audit_type="good_practice")
    audit = Audit.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("audits:overview", args=[audit.pk])
    assert audit.audit_date == datetime.date(2026, 12, 7)
    assert (audit.window_start, audit.window_end) == (datetime.date(2026, 6, 7), datetime.date(2026, 12, 7))
    assert audit.auditor == authority.people[AUDITOR]


def test_the_review_window_can_be_set(authority: Authority) -> None:
    post_start(authority, audit_type="good_practice", window_months="3")
    assert Audit.objects.get().window_start == datetime.date(2026, 9, 7)


@pytest.mark.parametrize(
    ("fields", "message", "href"),
    [
        ({}, "Select the type of audit", "#audit_type"),
        (
            {"audit_type": "good_practice", "audit_date-day": "31", "audit_date-month": "2"},
            "The audit date must be a real date",
            "#audit_date-day",
        ),
        (
            {"audit_type": "good_practice", "audit_date-month": ""},
            "The audit date must include a month",
            "#audit_date-day",
        ),
        (
            {"audit_type": "good_practice", "window_months": "six"},
            "The review window must be a whole number of months, like 6",
            "#window_months",
        ),
    ],
)
def test_mistakes_are_shown_in_the_error_summary(
    authority: Authority, fields: dict[str, str], message: str, href: str
) -> None:
    response = post_start(authority, **fields)
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert f'<a href="{href}">{message}</a>' in html
    assert not Audit.objects.exists()


def test_a_thematic_audit_asks_for_its_theme_on_a_second_page(authority: Authority) -> None:
    first = post_start(authority, audit_type="thematic")
    html = first.content.decode()
    assert first.status_code == 200 and not Audit.objects.exists()
    assert '<h1 class="govuk-heading-l">Thematic audit</h1>' in html
    assert 'name="thematic-theme"' in html and 'name="step" value="details"' in html

    missing = post_start(authority, audit_type="thematic", step="details")
    assert '<a href="#thematic-theme">Enter &#x27;Theme&#x27;</a>' in missing.content.decode()
    assert not Audit.objects.exists()

    post_start(authority, audit_type="thematic", step="details", **{"thematic-theme": "engaging_families"})
    audit = Audit.objects.get()
    assert audit.type_details == {"theme": "engaging_families"}
    assert audit.template_version.ref == "practice_audit"


def test_a_practice_week_audit_needs_the_familys_consent(authority: Authority) -> None:
    details = {
        "audit_type": "practice_week",
        "step": "details",
        "practice_week-observed_practice": ["home_visit", "meeting"],
        "practice_week-observed_on-day": "1",
        "practice_week-observed_on-month": "12",
        "practice_week-observed_on-year": "2026",
        "practice_week-family_consent": "no",
    }
    refused = post_start(authority, **details)
    assert 'href="#practice_week-family_consent"' in refused.content.decode()
    assert not Audit.objects.exists()

    post_start(authority, **{**details, "practice_week-family_consent": "yes"})
    assert Audit.objects.get().type_details == {
        "observed_practice": ["home_visit", "meeting"],
        "observed_on": "2026-12-01",
        "family_consent": "yes",
    }


# --- choosing a version of the template (TPL-1) -------------------------------------------


@pytest.fixture
def stage1_revised(tmp_path: Path) -> None:
    """Stage 1 Good Practice audit at version 2, with version 1 still loaded."""
    template_revised(
        tmp_path, "stage1_good_practice.yaml", "text: Is the plan SMART", "text: Is the plan S.M.A.R.T."
    )


def test_with_one_version_loaded_no_version_page_is_shown(authority: Authority) -> None:
    response = post_start(authority, audit_type="good_practice")
    assert response.status_code == 302
    assert Audit.objects.get().template_version.version == 1


def test_an_earlier_version_still_loaded_is_offered_on_its_own_page(
    authority: Authority, stage1_revised: None
) -> None:
    response = post_start(authority, audit_type="good_practice")
    html = response.content.decode()
    assert response.status_code == 200 and not Audit.objects.exists()
    assert "Which version of the Stage 1 Good Practice audit should the audit use?" in html
    assert 'name="step" value="version"' in html
    assert "Version 2 (2020-11-19), the current version" in html
    assert "Version 1 (2020-11-19)" in html and "Approved 24 July 2020." in html
    current = re.search(r'<input[^>]*value="2"[^>]*>', html)
    assert current is not None and "checked" in current.group(0)  # the current version by default


def test_the_audit_keeps_the_earlier_version_chosen_and_says_so_in_its_history(
    authority: Authority, stage1_revised: None
) -> None:
    response = post_start(authority, audit_type="good_practice", step="version", template_version="1")
    audit = Audit.objects.get()
    assert response.status_code == 302
    assert (audit.template_version.version, audit.template_version.is_current) == (1, False)
    started = AuditEvent.objects.get(action="audit.started")
    assert started.changes["template"] == [None, "stage1_good_practice v1"]
    overview = client_for(authority, AUDITOR).get(reverse("audits:overview", args=[audit.pk]))
    assert "version 1 (2020-11-19), an earlier version than the current one" in overview.content.decode()


def test_the_current_version_is_used_when_it_is_chosen(authority: Authority, stage1_revised: None) -> None:
    post_start(authority, audit_type="good_practice", step="version", template_version="2")
    assert Audit.objects.get().template_version.version == 2


@pytest.mark.parametrize(
    ("chosen", "message"),
    [("", "Select the version of the template"), ("7", "Select one of the versions listed")],
)
def test_a_missing_or_unknown_version_is_shown_on_the_version_page(
    authority: Authority, stage1_revised: None, chosen: str, message: str
) -> None:
    response = post_start(authority, audit_type="good_practice", step="version", template_version=chosen)
    html = response.content.decode()
    assert response.status_code == 200 and not Audit.objects.exists()
    assert f'<a href="#template_version">{message}</a>' in html
    assert 'name="step" value="version"' in html


def test_an_unknown_step_is_taken_as_the_first_page_and_leads_to_the_version_page(
    authority: Authority, stage1_revised: None
) -> None:
    response = post_start(authority, audit_type="good_practice", step="bogus")
    assert response.status_code == 200 and 'name="step" value="version"' in response.content.decode()
    assert not Audit.objects.exists()


def test_a_thematic_audit_asks_the_version_then_the_theme(authority: Authority, tmp_path: Path) -> None:
    template_revised(tmp_path, "practice_audit.yaml", 'version: "1"', 'version: "2"')
    versions = post_start(authority, audit_type="thematic")
    assert "Which version of the" in versions.content.decode()

    details = post_start(authority, audit_type="thematic", step="version", template_version="1")
    html = details.content.decode()
    assert 'name="step" value="details"' in html
    assert '<input type="hidden" name="template_version" value="1">' in html
    assert not Audit.objects.exists()

    post_start(
        authority,
        audit_type="thematic",
        step="details",
        template_version="1",
        **{"thematic-theme": "engaging_families"},
    )
    audit = Audit.objects.get()
    assert (audit.template_version.ref, audit.template_version.version) == ("practice_audit", 1)
    assert audit.type_details == {"theme": "engaging_families"}


def test_details_typed_before_a_revision_survive_the_version_page(
    authority: Authority, tmp_path: Path
) -> None:
    """The template is revised while the auditor is on the details page: the version page asks,
    and carries what they typed."""
    template_revised(tmp_path, "practice_audit.yaml", 'version: "1"', 'version: "2"')
    details = {
        "practice_week-observed_practice": ["home_visit", "meeting"],
        "practice_week-family_consent": "yes",
    }
    dates = {"practice_week-observed_on-day": "1", "practice_week-observed_on-month": "12"}
    response = post_start(
        authority,
        audit_type="practice_week",
        step="details",
        **details,
        **dates,
        **{"practice_week-observed_on-year": "2026"},
    )
    html = response.content.decode()
    assert 'name="step" value="version"' in html
    for name, value in [
        ("practice_week-observed_practice", "home_visit"),
        ("practice_week-observed_practice", "meeting"),
        ("practice_week-family_consent", "yes"),
        ("practice_week-observed_on-day", "1"),
        ("practice_week-observed_on-year", "2026"),
    ]:
        assert f'<input type="hidden" name="{name}" value="{value}">' in html
