"""The change page of a draft's row: a hard-rule breach refused in the error summary, a soft one
made with its warning (SEL-4)."""

import pytest
from django.urls import reverse

from caseaudit.allocation.tests.helpers import (
    QA,
    REGISTER_IDS,
    client_for,
    council,
    draft,
    html,
    templates,
    visible,
)
from caseaudit.conftest import Authority

__all__ = ["council", "templates"]
pytestmark = pytest.mark.usefixtures("council")


def test_change_page_refuses_a_hard_rule_breach_in_the_error_summary(council: Authority) -> None:
    run = draft(council)
    item = run.items.get(auditor__staff_id="GMA")
    url = reverse("allocation:change", args=[run.pk, item.pk])
    client = client_for(council, QA)
    assert "Change the allocation" in html(client.get(url))
    page = html(client.post(url, {"auditor_id": "GMB", "reason": "Knows the family"}))
    gmb = council.people["group_manager"].name
    assert (
        "There is a problem" in page and f"{gmb} manages team Assessment South, so they may not audit" in page
    )
    page = html(client.post(url, {"auditor_id": "GMA", "reason": ""}))
    assert "Give the reason for the change" in page
    page = html(client.post(url, {"auditor_id": "GMA", "reason": "No change"}))
    assert "Choose another auditor, or a case to replace it with" in page


def test_change_page_allows_a_soft_rule_breach_and_shows_the_warning(council: Authority) -> None:
    run = draft(council)
    item = run.items.get(auditor__staff_id="GMA")
    client = client_for(council, QA)
    response = client.post(
        reverse("allocation:change", args=[run.pk, item.pk]),
        {"auditor_id": "GMC", "reason": "GMA is on leave"},
    )
    assert response.status_code == 302
    page = html(client.get(response["Location"]))
    assert f"Case {item.case.case_id} is now allocated to Gwen North. Warning:" in page
    assert "the case is not in the auditor&#x27;s area" in page and "Changed" in page


def test_the_change_page_names_people_in_its_refusals_and_warnings(council: Authority) -> None:
    """Issue 9 B8: the error summary and the warnings name the people, not their staff IDs."""
    run = draft(council)
    item = run.items.get(auditor__staff_id="GMA")
    url = reverse("allocation:change", args=[run.pk, item.pk])
    client = client_for(council, QA)
    page = html(client.post(url, {"auditor_id": "GMB", "reason": "Knows the family"}))
    summary = visible(page.split("govuk-error-summary__list")[1].split("</ul>")[0])
    gmb, worker = council.people["group_manager"].name, item.case.allocated_worker.name
    assert f"{gmb} is above {worker} in line management, so they may not audit case C-EXTRA" in summary
    assert not REGISTER_IDS.search(summary), summary
    response = client.post(url, {"auditor_id": "GMC", "reason": "On leave"})
    page = visible(html(client.get(response["Location"])))
    assert "Warning: Case C-EXTRA is in South and Gwen North works in North" in page
    assert "auditor changed from" not in page  # the adjusted reason is in the row's reasons
    reasons = page.split("Reasons for case C-EXTRA")[1].split("Change case C-EXTRA")[0]
    assert f"Auditor changed from {council.people['group_manager_a'].name} to Gwen North by" in reasons
    assert not REGISTER_IDS.search(reasons), reasons
