"""The auditor's "My audits" page (SEL-5)."""

from datetime import date

import pytest
from django.urls import reverse

from caseaudit.allocation.services.confirm import allocation_confirm
from caseaudit.allocation.tests.helpers import QA, client_for, council, draft, html, qa, templates
from caseaudit.conftest import Authority

__all__ = ["council", "templates"]
pytestmark = pytest.mark.usefixtures("council")


def test_my_audits_lists_the_auditors_cases_with_deadlines(council: Authority) -> None:
    run = draft(council)
    allocation_confirm(actor=qa(council), run=run)
    for item in run.items.select_related("case__child", "auditor", "audit"):
        page = html(
            client_for(
                council,
                {"GMA": "group_manager_a", "GMB": "group_manager", "GMC": "group_manager_c"}[
                    item.auditor.staff_id
                ],
            ).get(reverse("allocation:my-audits"))
        )
        assert item.case.case_id in page and "21 December 2026" in page and "Allocated" in page
        if item.case.restricted:
            assert item.case.child.name not in page and "Restricted" in page
            assert reverse("audits:overview", args=[item.audit_id]) not in page
        else:
            assert item.case.child.name in page and item.audit.worker.name in page
            assert reverse("audits:overview", args=[item.audit_id]) in page


def test_my_audits_marks_overdue_and_is_for_auditors_only(council: Authority) -> None:
    run = draft(council)
    allocation_confirm(actor=qa(council), run=run)
    run.items.first().audit.__class__.objects.update(due_date=date(2020, 1, 3))
    who = {"GMA": "group_manager_a", "GMB": "group_manager", "GMC": "group_manager_c"}[
        run.items.first().auditor.staff_id
    ]
    assert "Overdue" in html(client_for(council, who).get(reverse("allocation:my-audits")))
    assert client_for(council, "social_worker").get(reverse("allocation:my-audits")).status_code == 404


def test_navigation_offers_allocation_to_qa_and_my_audits_to_auditors(council: Authority) -> None:
    qa_page = html(client_for(council, QA).get(reverse("allocation:start")))
    assert f'href="{reverse("allocation:start")}"' in qa_page
    gm_page = html(client_for(council, "group_manager").get(reverse("allocation:my-audits")))
    assert f'href="{reverse("allocation:my-audits")}"' in gm_page
    assert f'href="{reverse("allocation:start")}"' not in gm_page
