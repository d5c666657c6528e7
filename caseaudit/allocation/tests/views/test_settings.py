"""The allocation settings page, for QA and administrators only (SEL-2, SEL-3, AUD-5)."""

import pytest
from django.urls import reverse

from caseaudit.allocation.tests.helpers import client_for, council, html, templates
from caseaudit.conftest import Authority

__all__ = ["council", "templates"]
pytestmark = pytest.mark.usefixtures("council")


def test_settings_page_for_qa_and_administrators_only(council: Authority) -> None:
    url = reverse("allocation:settings")
    for who in ("qa_officer", "administrator"):
        assert "Allocation settings" in html(client_for(council, who).get(url))
    assert client_for(council, "group_manager").get(url).status_code == 404
    client = client_for(council, "administrator")
    form = {
        "auditor_roles": ["group_manager", "service_manager"],
        "cases_per_auditor": "2",
        "closed_within_days": "30",
        "audited_within_months": "3",
        "due_day": "21",
        "access_approver_role": "head_of_service",
    }
    response = client.post(url, form)
    assert response.status_code == 302
    assert "Allocation settings saved." in html(client.get(url))
    page = html(client.post(url, {**form, "auditor_roles": [], "due_day": "40"}))
    assert "Choose at least one role whose holders audit" in page and "There is a problem" in page
