"""SEC-1 over the API: role × record → what the caller sees, with denials and views logged."""

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from caseaudit.api.tests.conftest import assert_problem
from caseaudit.cases.tests.factories import CaseFactory, ChildFactory
from caseaudit.conftest import Authority, user_for
from caseaudit.core.models import AccessLog
from caseaudit.org.tests.factories import StaffFactory, TeamFactory

FULL, SUMMARY, NONE = "full", "summary", "none"

# who → (own_team, other_team, restricted), as CONTRACTS §3 (and the pages' matrix).
EXPECTED = {
    "social_worker": (FULL, NONE, NONE),  # own caseload only
    "practice_manager": (FULL, NONE, FULL),  # their reports' cases, restricted too
    "group_manager": (NONE, FULL, NONE),  # manages team B only
    "head_of_service": (FULL, FULL, FULL),
    "qa_officer": (FULL, FULL, SUMMARY),  # all; restricted out of line as a summary
    "head_of_qa": (FULL, FULL, SUMMARY),
    "moderator": (NONE, NONE, NONE),
    "administrator": (NONE, NONE, NONE),  # the role alone: no child data
    "superuser": (FULL, FULL, FULL),
}
RECORDS = ("own_team", "other_team", "restricted")
CELLS = [(who, record, EXPECTED[who][i]) for who in EXPECTED for i, record in enumerate(RECORDS)]
MAY_NOT_LIST = {"administrator"}

SUMMARY_NULLS = (
    "child_id",
    "child_name",
    "date_of_birth",
    "allocated_worker_id",
    "allocated_worker_name",
    "case_type",
    "status",
    "start_date",
    "closed_date",
    "last_audited_on",
)


@pytest.fixture
def as_user(authority: Authority, token_client: Callable[[Any], Client]) -> Callable[[str], Client]:
    return lambda who: token_client(user_for(authority, who))


def assert_full(item: dict[str, Any], case: Any) -> None:
    assert item["case_id"] == case.case_id
    assert item["child_id"] == case.child.child_id
    assert item["child_name"] == case.child.name
    assert item["date_of_birth"] == case.child.date_of_birth.isoformat()
    assert item["team_id"] == case.team.team_id and item["team_name"] == case.team.name
    assert item["allocated_worker_id"] == case.allocated_worker.staff_id
    assert item["allocated_worker_name"] == case.allocated_worker.name
    assert item["case_type"] == case.case_type and item["status"] == case.status
    assert item["start_date"] == case.start_date.isoformat()
    assert item["restricted"] is case.restricted


def assert_summary(item: dict[str, Any], case: Any) -> None:
    """CONTRACTS §3: only the case ID, the team and "Restricted"."""
    assert item["case_id"] == case.case_id
    assert item["team_id"] == case.team.team_id and item["team_name"] == case.team.name
    assert item["restricted"] is True
    assert all(item[name] is None for name in SUMMARY_NULLS), item


@pytest.mark.parametrize(("who", "record", "expected"), CELLS)
def test_case_list(
    as_user: Callable[[str], Client], authority: Authority, who: str, record: str, expected: str
) -> None:
    case = authority.cases[record]
    response = as_user(who).get("/api/cases")
    if who in MAY_NOT_LIST:
        assert_problem(response, 403)
        return
    assert response.status_code == 200
    items = {item["case_id"]: item for item in response.json()["items"]}
    if expected == NONE:
        assert case.case_id not in items
    elif expected == FULL:
        assert_full(items[case.case_id], case)
    else:
        assert_summary(items[case.case_id], case)
    assert case.child.name not in response.content.decode() or expected == FULL


@pytest.mark.parametrize(("who", "record", "expected"), CELLS)
def test_case_detail(
    as_user: Callable[[str], Client], authority: Authority, who: str, record: str, expected: str
) -> None:
    case = authority.cases[record]
    user = user_for(authority, who)
    response = as_user(who).get(f"/api/cases/{case.case_id}")
    logged = AccessLog.objects.filter(actor=user, object_type="case", object_ref=case.case_id, via="api")
    if expected == NONE:
        body = assert_problem(response, 404)
        assert case.team.name not in response.content.decode()
        assert body["detail"] == assert_problem(as_user(who).get("/api/cases/NO-SUCH-CASE"), 404)["detail"]
        assert logged.filter(outcome="denied").count() == 1
        return
    assert response.status_code == 200
    body = response.json()
    if expected == FULL:
        assert_full(body, case)
        assert {"gender", "ethnicity", "disability"} <= set(body)
        assert logged.filter(outcome="allowed").count() == 1
    else:
        assert_summary(body, case)
        assert body["gender"] is None and body["ethnicity"] is None and body["disability"] is None
        assert case.child.name not in response.content.decode()


def test_unknown_case_is_404_and_logged(as_user: Callable[[str], Client], authority: Authority) -> None:
    assert_problem(as_user("qa_officer").get("/api/cases/NO-SUCH-CASE"), 404)
    assert AccessLog.objects.filter(
        actor=user_for(authority, "qa_officer"), object_ref="NO-SUCH-CASE", outcome="denied", via="api"
    ).exists()


def test_case_detail_carries_the_childs_characteristics(token_client: Callable[[Any], Client]) -> None:
    qa = StaffFactory(roles=["qa_officer"])
    child = ChildFactory(gender="Female", ethnicity="White British", disability="")
    case = CaseFactory(child=child, last_audited_on=datetime.date(2025, 11, 3))
    body = token_client(qa.user).get(f"/api/cases/{case.case_id}").json()
    assert body["gender"] == "Female" and body["ethnicity"] == "White British"
    assert body["disability"] is None
    assert body["last_audited_on"] == "2025-11-03"


def test_restricted_child_is_hidden_on_an_unrestricted_case(token_client: Callable[[Any], Client]) -> None:
    """QA sees an unrestricted case's details, but not a child who also has a restricted case."""
    qa = StaffFactory(roles=["qa_officer"])
    restricted = CaseFactory(restricted=True)
    open_case = CaseFactory(child=restricted.child)
    body = token_client(qa.user).get(f"/api/cases/{open_case.case_id}").json()
    assert body["case_type"] == open_case.case_type and body["restricted"] is False
    assert body["child_id"] is None and body["child_name"] is None and body["date_of_birth"] is None
    assert body["gender"] is None


@pytest.mark.parametrize("who", list(EXPECTED))
def test_restricted_child_cannot_be_found_by_name(
    as_user: Callable[[str], Client], authority: Authority, who: str
) -> None:
    case = authority.cases["restricted"]
    response = as_user(who).get("/api/cases", {"search": case.child.name})
    if who in MAY_NOT_LIST:
        assert_problem(response, 403)
        return
    found = [item["case_id"] for item in response.json()["items"]]
    assert (case.case_id in found) == (EXPECTED[who][2] == FULL)


def test_a_person_without_a_staff_record_may_not_list(db: Any, django_user_model: Any) -> None:
    user = django_user_model.objects.create_user(username="nobody@example.test", password="x" * 20)
    client = Client()
    client.force_login(user)
    assert_problem(client.get("/api/cases"), 403)
    assert_problem(client.get("/api/cases/ANY"), 404)


# --- filters ----------------------------------------------------------------------------


@pytest.fixture
def register(db: Any) -> dict[str, Any]:
    from caseaudit.org.tests.factories import GeographicalAreaFactory

    east = GeographicalAreaFactory(name="East")
    west = GeographicalAreaFactory(name="West")
    team_e = TeamFactory(team_id="TE", geographical_area=east)
    team_w = TeamFactory(team_id="TW", geographical_area=west)
    worker = StaffFactory(staff_id="WRK", team=team_e)
    cases = {
        "e_cin": CaseFactory(case_id="E1", team=team_e, allocated_worker=worker, case_type="cin"),
        "e_cp_closed": CaseFactory(
            case_id="E2",
            team=team_e,
            case_type="cp",
            status="closed",
            closed_date=datetime.date(2026, 2, 1),
        ),
        "w_cla": CaseFactory(
            case_id="W1",
            team=team_w,
            case_type="cla",
            child=ChildFactory(child_id="CHILD-W1", name="Ada Lovelace"),
        ),
    }
    return {"qa": StaffFactory(roles=["qa_officer"]), **cases}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, ["E1", "E2", "W1"]),
        ({"team_id": "TE"}, ["E1", "E2"]),
        ({"area": "West"}, ["W1"]),
        ({"case_type": "cp"}, ["E2"]),
        ({"status": "closed"}, ["E2"]),
        ({"status": "open", "team_id": "TE"}, ["E1"]),
        ({"worker_id": "WRK"}, ["E1"]),
        ({"search": "lovelace"}, ["W1"]),
        ({"search": "CHILD-W1"}, ["W1"]),
        ({"search": "e2"}, ["E2"]),
        ({"team_id": "NO-SUCH-TEAM"}, []),
    ],
)
def test_case_filters(
    token_client: Callable[[Any], Client],
    register: dict[str, Any],
    query: dict[str, str],
    expected: list[str],
) -> None:
    body = token_client(register["qa"].user).get("/api/cases", query).json()
    assert [item["case_id"] for item in body["items"]] == expected
    assert body["count"] == len(expected)


def test_case_pages(token_client: Callable[[Any], Client], register: dict[str, Any]) -> None:
    api = token_client(register["qa"].user)
    pages = [api.get("/api/cases", {"page": n, "page_size": 2}).json() for n in (1, 2, 3)]
    assert [[i["case_id"] for i in p["items"]] for p in pages] == [["E1", "E2"], ["W1"], []]
    assert {p["count"] for p in pages} == {3}


def test_a_page_of_cases_takes_a_fixed_number_of_queries(
    token_client: Callable[[Any], Client], db: Any, django_assert_max_num_queries: Any
) -> None:
    qa = StaffFactory(roles=["qa_officer"])
    CaseFactory.create_batch(30)
    api = token_client(qa.user)
    with django_assert_max_num_queries(8):
        assert len(api.get("/api/cases").json()["items"]) == 30


# --- a restricted case's summary matches on its case ID and team alone (CONTRACTS §3) ---------


@pytest.mark.parametrize("field", ["case_type", "status"])
@pytest.mark.parametrize("who", list(EXPECTED))
def test_a_filter_on_a_hidden_field_does_not_reveal_a_restricted_case(
    as_user: Callable[[str], Client], authority: Authority, who: str, field: str
) -> None:
    """With the summary only, the stub shows for neither the case's own value nor another one, so
    comparing the two answers tells nothing; those who may open the case find it by its value."""
    case = authority.cases["restricted"]
    own = getattr(case, field)
    other = {"case_type": {"cin", "cp", "cla"}, "status": {"open", "closed"}}[field] - {own}
    if who in MAY_NOT_LIST:
        return
    found = {}
    for value in (own, sorted(other)[0]):
        body = as_user(who).get("/api/cases", {"search": case.case_id, field: value}).json()
        found[value] = [item["case_id"] for item in body["items"]]
    assert found[sorted(other)[0]] == []
    assert (found[own] == [case.case_id]) == (EXPECTED[who][2] == FULL)


@pytest.mark.parametrize("who", list(EXPECTED))
def test_a_restricted_case_is_found_by_its_case_id_and_team_but_not_its_childs_id(
    as_user: Callable[[str], Client], authority: Authority, who: str
) -> None:
    case = authority.cases["restricted"]
    if who in MAY_NOT_LIST:
        return
    client = as_user(who)
    by_child = [
        item["case_id"] for item in client.get("/api/cases", {"search": case.child.child_id}).json()["items"]
    ]
    by_case = [item["case_id"] for item in client.get("/api/cases", {"search": case.case_id}).json()["items"]]
    by_team = client.get("/api/cases", {"team_id": case.team.team_id, "page_size": 500}).json()["items"]
    visible = EXPECTED[who][2] != NONE
    assert (case.case_id in by_child) == (EXPECTED[who][2] == FULL)
    assert (case.case_id in by_case) == visible
    assert (case.case_id in [item["case_id"] for item in by_team]) == visible
