"""Journey (issue 3, TPL-1): starting an audit on an earlier version of its template.

Given the Stage 1 Good Practice template revised (version 2 current, version 1 still loaded),
when an auditor starts a Good Practice audit from the child's page,
then a page of its own asks which version to use, the current one chosen already;
and when they choose version 1, the audit opens on version 1 and says it is an earlier one.
axe finds no violations on any page visited."""

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from caseaudit.audits.models import Audit
from caseaudit.audits.tests.test_services_helpers import template_revised
from caseaudit.conftest import Authority, authority
from tests.system.conftest import sign_in

__all__ = ["authority"]  # the shared synthetic authority (caseaudit/conftest.py)
pytestmark = [pytest.mark.system, pytest.mark.django_db(transaction=True)]


def test_an_auditor_chooses_the_earlier_version_of_the_template(
    page: Any, axe_check: Any, authority: Authority, tmp_path: Path
) -> None:
    template_revised(
        tmp_path, "stage1_good_practice.yaml", "text: Is the plan SMART", "text: Is the plan S.M.A.R.T."
    )
    case = authority.cases["own_team"]

    sign_in(page, authority.people["group_manager_a"].email)
    page.goto(f"/children/{case.child.child_id}/")
    page.get_by_role("button", name="Start an audit").click()
    axe_check(page)
    page.get_by_label("Monthly Good Practice audit (Stage 1)").check()
    page.get_by_role("button", name="Start audit").click()

    heading = page.get_by_role("heading", name="Which version of the Stage 1 Good Practice audit")
    expect(heading).to_be_visible()
    assert page.get_by_label("Version 2 (2020-11-19), the current version").is_checked()
    axe_check(page)
    page.get_by_label("Version 1 (2020-11-19)", exact=True).check()
    page.get_by_role("button", name="Continue").click()

    page.wait_for_url("**/audits/*/")
    audit = Audit.objects.get()
    assert audit.template_version.version == 1
    expect(
        page.get_by_text("version 1 (2020-11-19), an earlier version than the current one")
    ).to_be_visible()
    axe_check(page)
