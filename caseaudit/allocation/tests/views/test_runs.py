"""The allocation pages as a QA officer uses them — start, draft, passed over, confirm — and who
else may not (SEL-1..SEL-4, SEC-1)."""

import re
from datetime import date

import pytest
from django.urls import reverse

from caseaudit.allocation.models import AllocationRun
from caseaudit.allocation.services.confirm import allocation_confirm
from caseaudit.allocation.tests.helpers import (
    QA,
    REGISTER_IDS,
    client_for,
    council,
    draft,
    html,
    pairs,
    qa,
    templates,
    visible,
)
from caseaudit.conftest import Authority
from caseaudit.core.models import AccessLog

__all__ = ["council", "templates"]
pytestmark = pytest.mark.usefixtures("council")


def test_start_page_offers_next_month_and_runs_a_draft(council: Authority) -> None:
    client = client_for(council, QA)
    page = html(client.get(reverse("allocation:start")))
    assert "Monthly allocation" in page and 'name="month-month"' in page and "Run draft" in page
    response = client.post(reverse("allocation:start"), {"month-month": "12", "month-year": "2026"})
    run = AllocationRun.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("allocation:run", args=[run.pk])
    assert run.month == date(2026, 12, 1) and run.per_auditor == 1


def test_start_page_shows_errors_in_a_summary(council: Authority) -> None:
    client = client_for(council, QA)
    page = html(
        client.post(
            reverse("allocation:start"), {"month-month": "13", "month-year": "2026", "per_auditor": "x"}
        )
    )
    assert "There is a problem" in page and "The month must be a number from 1 to 12" in page
    assert "Cases per auditor must be a whole number" in page and not AllocationRun.objects.exists()


def test_draft_page_summarises_lists_and_hides_restricted_details(council: Authority) -> None:
    run = draft(council)
    page = html(client_for(council, QA).get(reverse("allocation:run", args=[run.pk])))
    assert "December 2026" in page and "Cases allocated" in page and "In the auditor&#39;s area" in page
    for case_id in pairs(run):
        assert f'id="case-{case_id}"' in page
    assert "Gwen North (GMC)" in page and "Confirm allocation" in page and "Rules relaxed" in page
    restricted = council.cases["restricted"]
    if "C-RESTRICTED" in pairs(run):
        assert "Restricted record: details not shown" in page
    assert restricted.child.name not in page
    assert restricted.allocated_worker.name not in page
    assert reverse("allocation:passed-over", args=[run.pk]) in page


def test_draft_table_filters(council: Authority) -> None:
    run = draft(council)
    client = client_for(council, QA)
    page = html(client.get(reverse("allocation:run", args=[run.pk]), {"auditor": "GMC"}))
    shown = [case_id for case_id, auditor in pairs(run).items() if auditor == "GMC"]
    assert f'id="case-{shown[0]}"' in page and "1 of 3 cases match your filters" in page
    page = html(client.get(reverse("allocation:run", args=[run.pk]), {"flag": "out_of_area"}))
    assert "2 of 3 cases match your filters" in page


def test_passed_over_page_lists_each_case_with_its_reason(council: Authority) -> None:
    run = draft(council)
    page = html(
        client_for(council, QA).get(reverse("allocation:passed-over", args=[run.pk]), {"code": "not_picked"})
    )
    passed = run.result["passed_over"][0]
    assert passed["case_id"] in page and passed["code"] == "not_picked"
    assert 'value="not_picked" selected' in page  # the filter keeps its code in the query


def test_the_draft_page_speaks_english(council: Authority) -> None:
    """Issue 9 B8: no codes, no "eligible: eligible:", and names rather than staff and team IDs in
    the reasons; the JSON keeps its codes (test_api)."""
    run = draft(council)
    page = html(client_for(council, QA).get(reverse("allocation:run", args=[run.pk])))
    assert "<code>" not in page
    text = visible(page)
    assert not re.search(r"eligible\s*:\s*eligible", text, re.I)
    for code in ("different_team", "outside_management_line", "out_of_area", "one_per_worker", "not_picked"):
        assert code not in text
    assert "Passed over 1 case " in text
    reasons = " ".join(
        visible(block) for block in re.findall(r'"govuk-details__text">(.*?)</div>', page, re.S)
    )
    relaxed = visible(page.split('id="relaxed">')[1].split('id="passed-over"')[0])
    assert not REGISTER_IDS.search(reasons), reasons
    assert not REGISTER_IDS.search(relaxed), relaxed
    gma, worker = council.people["group_manager_a"].name, council.cases["other_team"].allocated_worker.name
    assert f"{gma} is not in team Assessment South, the case's team" in reasons
    assert f"The only case of {worker} picked this month" in reasons
    assert f"or is {worker} or above them in line management ({gma} works in North)" in relaxed
    # A restricted case the QA officer may not open says so once, not once per reason.
    assert reasons.count("Restricted record: details not shown") == 1


def test_the_passed_over_pages_name_each_reason(council: Authority) -> None:
    run = draft(council)
    client = client_for(council, QA)
    summary = visible(
        html(client.get(reverse("allocation:run", args=[run.pk]))).split('id="passed-over">')[1]
    )
    assert summary.startswith("Cases passed over Cases passed over, by reason Reason Cases Not picked 1")
    text = visible(html(client.get(reverse("allocation:passed-over", args=[run.pk]), {"code": "not_picked"})))
    worker = council.cases["other_team"].allocated_worker.name
    assert "not_picked" not in text and " Code " not in text
    assert "1 case passed over: not picked." in text
    assert f"Not picked: its worker, {worker}, already has case C-EXTRA picked" in text
    assert not REGISTER_IDS.search(text.split("Case Reason")[1]), text


def test_confirm_creates_the_audits_and_shows_the_panel(council: Authority) -> None:
    run = draft(council)
    client = client_for(council, QA)
    page = html(client.get(reverse("allocation:confirm", args=[run.pk])))
    assert "Confirming creates 3 Stage 1 Good Practice audits, due by 21 December 2026" in page
    response = client.post(reverse("allocation:confirm", args=[run.pk]))
    assert response.status_code == 302
    page = html(client.get(response["Location"]))
    assert "Allocation confirmed" in page and "21 December 2026" in page
    run.refresh_from_db()
    assert run.status == "confirmed" and run.items.filter(audit__isnull=False).count() == 3


def test_a_second_confirmation_is_refused_with_a_clear_message(council: Authority) -> None:
    older = draft(council)
    run = draft(council)
    AllocationRun.objects.filter(pk=older.pk).update(status="draft")
    allocation_confirm(actor=qa(council), run=run)
    client = client_for(council, QA)
    page = html(client.post(reverse("allocation:confirm", args=[older.pk])))
    assert "There is a problem" in page and "December 2026 is already allocated (confirmed by" in page
    page = html(client.post(reverse("allocation:start"), {"month-month": "12", "month-year": "2026"}))
    assert "December 2026 is already allocated" in page


@pytest.mark.parametrize("who", ["social_worker", "group_manager", "administrator", "moderator"])
def test_others_get_not_found_and_the_denial_is_logged(council: Authority, who: str) -> None:
    run = draft(council)
    client = client_for(council, who)
    for url in (
        reverse("allocation:start"),
        reverse("allocation:run", args=[run.pk]),
        reverse("allocation:confirm", args=[run.pk]),
        reverse("allocation:change", args=[run.pk, run.items.first().pk]),
    ):
        assert client.get(url).status_code == 404
    assert client.post(reverse("allocation:confirm", args=[run.pk])).status_code == 404
    assert AccessLog.objects.filter(outcome="denied", actor=council.people[who].user).count() == 5
    run.refresh_from_db()
    assert run.status == "draft"
