"""The allocation pages as a QA officer uses them, and who else may not (SEL-1..SEL-5, SEC-1)."""

from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from caseaudit.allocation.models import AllocationRun
from caseaudit.allocation.services import allocation_confirm
from caseaudit.allocation.tests.test_services_helpers import client_for, council, draft, pairs, qa, templates
from caseaudit.conftest import Authority
from caseaudit.core.models import AccessLog

__all__ = ["council", "templates"]
pytestmark = pytest.mark.usefixtures("council")

QA = "qa_officer"


def html(response: Any) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


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
        assert "restricted record: details not shown" in page
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


def test_passed_over_page_lists_each_case_with_its_code(council: Authority) -> None:
    run = draft(council)
    page = html(
        client_for(council, QA).get(reverse("allocation:passed-over", args=[run.pk]), {"code": "not_picked"})
    )
    passed = run.result["passed_over"][0]
    assert passed["case_id"] in page and "not_picked" in page


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
