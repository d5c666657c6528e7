"""The change page of a draft's row: a hard-rule breach refused in the error summary, a soft one
made with its warning (SEL-4)."""

import pytest
from django.urls import reverse

from caseaudit.allocation.tests.helpers import QA, client_for, council, draft, html, templates
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
    assert "There is a problem" in page and "may not audit case" in page and "GMB manages team TB" in page
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
