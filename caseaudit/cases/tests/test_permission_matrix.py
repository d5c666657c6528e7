"""SEC-1: role × page × record. Each cell is what CONTRACTS §3 says that person may see."""

from typing import Any

import pytest
from django.urls import reverse

from caseaudit.conftest import Authority, user_for
from caseaudit.core.models import AccessLog

FULL, SUMMARY, NONE = "full", "summary", "none"

# who → (own_team, other_team, restricted)
EXPECTED = {
    "social_worker": (FULL, NONE, NONE),
    "practice_manager": (FULL, NONE, FULL),
    "group_manager": (NONE, FULL, NONE),  # manages team B only
    "head_of_service": (FULL, FULL, FULL),
    "qa_officer": (FULL, FULL, SUMMARY),
    "head_of_qa": (FULL, FULL, SUMMARY),
    "moderator": (NONE, NONE, NONE),
    "administrator": (NONE, NONE, NONE),
    "superuser": (FULL, FULL, FULL),
}
RECORDS = ("own_team", "other_team", "restricted")
CELLS = [(who, record, EXPECTED[who][i]) for who in EXPECTED for i, record in enumerate(RECORDS)]


@pytest.mark.parametrize(("who", "record", "expected"), CELLS)
def test_case_page(client: Any, authority: Authority, who: str, record: str, expected: str) -> None:
    """SEC-1: the case page redirects to the child (full), shows only ID/team/Restricted
    (summary), or is not found, with the denial logged (none)."""
    case = authority.cases[record]
    client.force_login(user_for(authority, who))
    response = client.get(reverse("cases:case", args=[case.case_id]))
    if expected == FULL:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("cases:child", args=[case.child.child_id]))
    elif expected == SUMMARY:
        assert response.status_code == 200
        body = response.content.decode()
        assert case.case_id in body and "Restricted" in body and case.team.name in body
        assert case.child.name not in body and case.child.child_id not in body
    else:
        assert response.status_code == 404
        assert AccessLog.objects.filter(object_ref=case.case_id, outcome="denied").exists()


@pytest.mark.parametrize(("who", "record", "expected"), CELLS)
def test_child_page(client: Any, authority: Authority, who: str, record: str, expected: str) -> None:
    """SEC-1/SEC-2: only full access opens the child page, and every view is logged."""
    child = authority.cases[record].child
    user = user_for(authority, who)
    client.force_login(user)
    response = client.get(reverse("cases:child", args=[child.child_id]))
    if expected == FULL:
        assert response.status_code == 200
        assert child.name in response.content.decode()
        assert AccessLog.objects.filter(
            actor=user, object_type="child", object_ref=child.child_id, outcome="allowed"
        ).exists()
    else:
        assert response.status_code == 404
        assert child.name not in response.content.decode()
        assert AccessLog.objects.filter(actor=user, object_ref=child.child_id, outcome="denied").exists()


@pytest.mark.parametrize(("who", "record", "expected"), CELLS)
def test_case_list(client: Any, authority: Authority, who: str, record: str, expected: str) -> None:
    """SEC-1: the case list shows what the person may see, restricted rows as "Restricted"."""
    case = authority.cases[record]
    client.force_login(user_for(authority, who))
    response = client.get(reverse("cases:list"))
    if who == "administrator":  # the administrator role alone sees no child data
        assert response.status_code == 404
        return
    assert response.status_code == 200
    body = response.content.decode()
    if expected == NONE:
        assert case.case_id not in body
    else:
        assert case.case_id in body
    if expected == FULL:
        assert case.child.name in body
    else:
        assert case.child.name not in body


@pytest.mark.parametrize("who", list(EXPECTED))
def test_restricted_child_cannot_be_found_by_name(client: Any, authority: Authority, who: str) -> None:
    """Searching a restricted child's name finds nothing for those who may not see it."""
    case = authority.cases["restricted"]
    client.force_login(user_for(authority, who))
    response = client.get(reverse("cases:list"), {"search": case.child.name})
    if response.status_code == 404:
        return
    found = case.case_id in response.content.decode()
    assert found == (EXPECTED[who][2] == FULL)


IMPORTERS = {"qa_officer", "head_of_qa", "administrator", "superuser"}


@pytest.mark.parametrize("who", list(EXPECTED))
def test_import_page(client: Any, authority: Authority, who: str) -> None:
    client.force_login(user_for(authority, who))
    response = client.get(reverse("cases:import"))
    assert response.status_code == (200 if who in IMPORTERS else 404)


@pytest.mark.parametrize("who", list(EXPECTED))
def test_organisation_pages(client: Any, authority: Authority, who: str) -> None:
    client.force_login(user_for(authority, who))
    assert client.get(reverse("org:teams")).status_code == 200
    response = client.get(reverse("org:team", args=["TA"]))
    assert response.status_code == 200
    assert authority.people["social_worker"].name in response.content.decode()


@pytest.mark.parametrize(
    "url", ["/", "/cases/", "/children/X/", "/cases/X/", "/register/import/", "/organisation/teams/"]
)
def test_signed_out_is_sent_to_sign_in(client: Any, db: Any, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))


@pytest.mark.parametrize(
    "filters",
    [
        {"case_type": "cp"},
        {"case_type": "cin"},
        {"status": "open"},
        {"status": "closed"},
        {"search": "CHILD"},
    ],
    ids=["type-cp", "type-cin", "status-open", "status-closed", "child-id"],
)
def test_case_list_filters_match_a_restricted_summary_on_its_id_and_team_alone(
    client: Any, authority: Authority, filters: dict[str, str]
) -> None:
    """Issue 15: for QA, `?search=<case>&case_type=cp` listed the restricted stub and `cin` did not,
    and a search by the child's ID listed it too. Now no filter on a hidden field matches it."""
    case = authority.cases["restricted"]
    client.force_login(user_for(authority, "qa_officer"))
    query = {"search": case.case_id, **filters}
    if query["search"] == "CHILD":
        query["search"] = case.child.child_id
    link = f'href="{reverse("cases:case", args=[case.case_id])}"'
    assert link not in client.get(reverse("cases:list"), query).content.decode()
    for query in ({"search": case.case_id}, {"team": case.team.team_id}):
        assert link in client.get(reverse("cases:list"), query).content.decode()
