"""The register's pages as a QA officer reads them (issue 9, B10)."""

from typing import Any

import pytest
from django.urls import reverse

from caseaudit.cases.tests.factories import CaseFactory
from caseaudit.org.tests.factories import StaffFactory, TeamFactory


@pytest.fixture
def qa(db: Any) -> Any:
    return StaffFactory(roles=["qa_officer"])


@pytest.mark.parametrize(
    ("cases", "sentence"), [(1, "1 case matches your filters."), (2, "2 cases match your filters.")]
)
def test_the_case_list_counts_in_english(client: Any, qa: Any, cases: int, sentence: str) -> None:
    team = TeamFactory(team_id="T-COUNT")
    for _ in range(cases):
        CaseFactory(team=team)
    CaseFactory()  # in another team: not counted
    client.force_login(qa.user)
    body = client.get(reverse("cases:list"), {"team": "T-COUNT"}).content.decode()
    assert sentence in body


def test_an_open_case_has_no_closed_date(client: Any, qa: Any) -> None:
    case = CaseFactory()
    client.force_login(qa.user)
    body = client.get(reverse("cases:child", args=[case.child.child_id])).content.decode()
    closed_row = body.split("Closed date</dt>", 1)[1].split("</div>", 1)[0]
    assert "Open" not in closed_row
    assert '<dd class="govuk-summary-list__value"></dd>' in closed_row
