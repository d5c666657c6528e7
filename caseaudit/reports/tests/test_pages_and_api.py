"""The Stage 3 pages and API (QA-1, QA-4, CONTRACTS §3, §11): who may read them (a matrix of
roles), the scope of every figure and list (own line, other team, restricted), the API equal to
the dashboard's selector, problems for bad filters, and the access log."""

import datetime
from typing import cast

import pytest
from django.test import Client
from django.utils import timezone

from caseaudit.audits.tests.test_services_helpers import templates_load
from caseaudit.conftest import Authority, user_for
from caseaudit.core.models import AccessLog
from caseaudit.org.models import Staff
from caseaudit.org.tests.factories import StaffFactory
from caseaudit.reports.filters import ReportFilter
from caseaudit.reports.selectors import report_summary
from caseaudit.reports.tests.generated import generate

pytestmark = pytest.mark.django_db

FIGURES = {
    "qa_officer",
    "head_of_qa",
    "head_of_service",
    "group_manager",
    "practice_manager",
    "senior_manager",
    "superuser",
}
AGREEMENT = {"qa_officer", "head_of_qa", "superuser"}
EVERYONE = [
    "qa_officer",
    "head_of_qa",
    "head_of_service",
    "group_manager",
    "practice_manager",
    "social_worker",
    "moderator",
    "administrator",
    "senior_manager",
    "superuser",
]
WIDE = {"from": "2026-01-01", "to": "2027-12-31"}


@pytest.fixture
def loaded(authority: Authority) -> Authority:
    templates_load()
    senior = cast(Staff, StaffFactory(staff_id="SMT", team=None, roles=["senior_manager"]))
    authority.people["senior_manager"] = senior
    return authority


def _client(authority: Authority, who: str) -> Client:
    client = Client()
    client.force_login(user_for(authority, who))
    return client


@pytest.mark.parametrize("who", EVERYONE)
def test_who_may_read_the_figures_and_agreement(loaded: Authority, who: str) -> None:
    client = _client(loaded, who)
    dashboard = client.get("/reports/")
    figure = client.get("/reports/figures/", {"figure": "audits"})
    agreement = client.get("/reports/agreement/")
    api = client.get("/api/reports/summary")
    api_agreement = client.get("/api/reports/moderation-agreement")
    if who in FIGURES:
        assert (dashboard.status_code, figure.status_code, api.status_code) == (200, 200, 200)
    else:
        assert (dashboard.status_code, figure.status_code) == (404, 404)
        assert api.status_code == 403 and api["Content-Type"] == "application/problem+json"
    if who in AGREEMENT:
        assert (agreement.status_code, api_agreement.status_code) == (200, 200)
    else:
        assert agreement.status_code == 404 and api_agreement.status_code == 403
    denials = AccessLog.objects.filter(outcome="denied", object_type__startswith="report")
    assert denials.count() == (0 if who in AGREEMENT else (2 if who in FIGURES else 5))


def test_the_navigation_offers_reports_to_those_who_may_read_them(loaded: Authority) -> None:
    assert "/reports/" in _client(loaded, "practice_manager").get("/").content.decode()
    assert "/reports/" not in _client(loaded, "social_worker").get("/").content.decode()


def test_the_api_is_the_dashboards_selector(loaded: Authority) -> None:
    generate(loaded, seed=3, count=50)
    for who in ("qa_officer", "practice_manager", "senior_manager"):
        found = _client(loaded, who).get("/api/reports/summary", {**WIDE, "stage": "stage1"}).json()
        report = ReportFilter(
            start=datetime.date(2026, 1, 1), end=datetime.date(2027, 12, 31), stage="stage1"
        )
        assert found == report_summary(user=user_for(loaded, who), report=report, today=timezone.localdate())
        assert found["from"] == "2026-01-01" and found["audits"] > 0


def test_a_manager_counts_their_line_and_qa_counts_the_restricted_without_listing_them(
    loaded: Authority,
) -> None:
    facts = generate(loaded, seed=4, count=60)
    submitted = [f for f in facts if f.status != "in_progress"]
    qa = _client(loaded, "qa_officer").get("/api/reports/summary", WIDE).json()
    manager = _client(loaded, "practice_manager").get("/api/reports/summary", WIDE).json()
    other_team = _client(loaded, "group_manager").get("/api/reports/summary", WIDE).json()
    assert qa["audits"] == len(submitted)
    assert manager["audits"] == sum(1 for f in submitted if f.record in ("own_team", "restricted"))
    # GMB manages team B's line and conducts audits of the others' cases (it sees those too)
    gmb_sees = {
        f.pk
        for f in submitted
        if f.record == "other_team" or (f.auditor_id == "GMB" and f.record != "restricted")
    }
    assert other_team["audits"] == len(gmb_sees)

    restricted = sum(1 for f in submitted if f.record == "restricted")
    page = _client(loaded, "qa_officer").get("/reports/figures/", {**WIDE, "figure": "audits"})
    text = page.content.decode()
    assert f"{len(submitted)} counted" in text
    assert f"{restricted} records you may not open (restricted, or outside what you see) are counted" in text
    assert "C-RESTRICTED" not in text
    line = (
        _client(loaded, "practice_manager")
        .get("/reports/figures/", {**WIDE, "figure": "audits"})
        .content.decode()
    )
    assert "C-RESTRICTED" in line and "C-OTHER" not in line and "not listed" not in line


def test_the_dashboard_shows_each_figure_linked_to_its_list(loaded: Authority) -> None:
    generate(loaded, seed=5, count=40)
    response = _client(loaded, "qa_officer").get("/reports/", {**WIDE, "by": "auditor"})
    text = response.content.decode()
    for heading in (
        "Overall grades",
        "Limiting judgements",
        "Timeliness",
        "Moderation changes",
        "Escalations",
        "Family feedback",
        "By auditor",
        "The last four quarters",
    ):
        assert heading in text, heading
    assert 'role="img"' in text and '<title id="chart-overall-title">' in text
    assert "/reports/figures/?from=2026-01-01&amp;to=2027-12-31&amp;figure=overall%3Agood" in text
    assert AccessLog.objects.filter(object_type="report_dashboard", outcome="allowed").count() == 1


def test_bad_filters_are_problems_naming_the_field(loaded: Authority) -> None:
    client = _client(loaded, "qa_officer")
    bad = client.get("/api/reports/summary", {"from": "2026-13-01"})
    assert bad.status_code == 400
    assert bad.json()["errors"] == [
        {"ref": "from", "field": "from", "message": "'2026-13-01' is not a date: write it as YYYY-MM-DD"}
    ]
    backwards = client.get("/api/reports/summary", {"from": "2026-12-01", "to": "2026-11-01"})
    assert backwards.status_code == 400 and backwards.json()["errors"][0]["field"] == "to"
    assert client.get("/api/reports/summary", {"stage": "stage3"}).json()["errors"][0]["field"] == "stage"
    by = client.get("/api/reports/moderation-agreement", {"by": "colour"})
    assert by.status_code == 400 and by.json()["errors"][0]["field"] == "by"
    page = client.get("/reports/", {"period": "2026Q5"})
    assert page.status_code == 200 and "is not a period" in page.content.decode()
    assert client.get("/reports/figures/", {"figure": "overall:purple; drop"}).status_code == 404


def test_a_period_token_is_a_quarter_or_a_month(loaded: Authority) -> None:
    client = _client(loaded, "qa_officer")
    quarter = client.get("/api/reports/summary", {"period": "2026Q4"}).json()
    month = client.get("/api/reports/summary", {"period": "2026-11"}).json()
    assert (quarter["from"], quarter["to"]) == ("2026-10-01", "2026-12-31")
    assert (month["from"], month["to"]) == ("2026-11-01", "2026-11-30")


def test_agreement_by_auditor_team_and_section(loaded: Authority) -> None:
    facts = generate(loaded, seed=6, count=80)
    client = _client(loaded, "qa_officer")
    moderated = [f for f in facts if f.status != "in_progress" and f.moderated is not None]
    found = client.get("/api/reports/moderation-agreement", WIDE).json()
    assert found["pairs"] == len(moderated) > 5
    assert found["changed"] == sum(1 for f in moderated if f.moderated["overall"] != f.stage1["overall"])
    assert {g["key"] for g in found["groups"]} == {f.auditor_id for f in moderated}
    assert sum(g["pairs"] for g in found["groups"]) == found["pairs"]
    low, high = found["kappa_ci95"]
    assert low <= high
    teams = client.get("/api/reports/moderation-agreement", {**WIDE, "by": "team"}).json()
    assert {g["key"] for g in teams["groups"]} == {f.team_id for f in moderated}
    sections = client.get("/api/reports/moderation-agreement", {**WIDE, "by": "section"}).json()
    assert {g["key"] for g in sections["groups"]} <= {"assessment", "planning", "intervention"}
    page = client.get("/reports/agreement/", {**WIDE, "auditor_id": "GMA"})
    assert page.status_code == 200 and "What the moderators changed, and why" in page.content.decode()
