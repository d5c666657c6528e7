"""Teams and staff over the API: any active member of staff may read the organisation."""

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from caseaudit.api.pagination import MAX_PAGE_SIZE
from caseaudit.api.tests.conftest import assert_problem
from caseaudit.conftest import Authority, user_for
from caseaudit.org.tests.factories import StaffFactory, TeamFactory


@pytest.fixture
def api(authority: Authority, token_client: Callable[[Any], Client]) -> Client:
    return token_client(user_for(authority, "social_worker"))


def test_teams(api: Client) -> None:
    body = api.get("/api/teams").json()
    assert body["count"] == 2
    assert body["items"][0] == {
        "team_id": "TA",
        "name": "Assessment North",
        "service_area": "Children's social work",
        "geographical_area": "North",
        "eligible_for_audit": True,
        "in_latest_import": True,
    }


def test_staff_item(api: Client, authority: Authority) -> None:
    items = {i["staff_id"]: i for i in api.get("/api/staff", {"page_size": MAX_PAGE_SIZE}).json()["items"]}
    sw = authority.people["social_worker"]
    assert items["SWA"] == {
        "staff_id": "SWA",
        "name": sw.name,
        "email": sw.email,
        "job_role": "Social worker",
        "team_id": "TA",
        "line_manager_id": "PMA",
        "roles": ["social_worker"],
        "geographical_area": "North",
        "is_active": True,
    }
    assert items["HOS"]["team_id"] is None and items["HOS"]["line_manager_id"] is None


def test_staff_geographical_area_follows_contracts(api: Client) -> None:
    """CONTRACTS §1: own area, else team's, else the one area of the teams they manage."""
    items = {i["staff_id"]: i for i in api.get("/api/staff", {"page_size": 100}).json()["items"]}
    assert items["GMA"]["geographical_area"] == "North"  # manages team A only
    assert items["GMB"]["geographical_area"] == "South"
    assert items["HOS"]["geographical_area"] is None  # manages teams in two areas
    assert items["QA1"]["geographical_area"] is None  # no team, manages nobody


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"team_id": "TB"}, ["PMB", "SWB"]),
        ({"role": "practice_manager"}, ["PMA", "PMB"]),
        ({"role": "social_worker", "team_id": "TA"}, ["SWA", "SWA2"]),
        ({"team_id": "NOPE"}, []),
    ],
)
def test_staff_filters(api: Client, query: dict[str, str], expected: list[str]) -> None:
    body = api.get("/api/staff", query).json()
    assert [i["staff_id"] for i in body["items"]] == expected
    assert body["count"] == len(expected)


def test_pages_of_staff(api: Client) -> None:
    everyone = api.get("/api/staff", {"page_size": MAX_PAGE_SIZE}).json()
    assert everyone["count"] == len(everyone["items"]) == 12
    first, second = (api.get("/api/staff", {"page_size": 5, "page": n}).json() for n in (1, 2))
    assert len(first["items"]) == len(second["items"]) == 5
    assert [i["staff_id"] for i in first["items"] + second["items"]] == [
        i["staff_id"] for i in everyone["items"][:10]
    ]
    past_the_end = api.get("/api/staff", {"page_size": 5, "page": 99}).json()
    assert past_the_end == {"items": [], "count": 12}


def test_default_page_size_is_50(token_client: Callable[[Any], Client], db: Any) -> None:
    TeamFactory.create_batch(51)
    api = token_client(StaffFactory().user)
    body = api.get("/api/teams").json()
    assert len(body["items"]) == 50 and body["count"] == 52  # and the staff member's own team
    assert len(api.get("/api/teams", {"page": 2}).json()["items"]) == 2
    assert len(api.get("/api/teams", {"page_size": MAX_PAGE_SIZE}).json()["items"]) == 52
    assert_problem(api.get("/api/teams", {"page_size": MAX_PAGE_SIZE + 1}), 400)


@pytest.mark.parametrize("who", ["social_worker", "qa_officer", "administrator", "moderator", "superuser"])
def test_every_active_member_of_staff_may_read(
    authority: Authority, token_client: Callable[[Any], Client], who: str
) -> None:
    api = token_client(user_for(authority, who))
    assert api.get("/api/teams").status_code == 200
    assert api.get("/api/staff").status_code == 200


def test_an_account_without_a_staff_record_may_not(db: Any, django_user_model: Any) -> None:
    client = Client()
    client.force_login(django_user_model.objects.create_user(username="x@example.test"))
    assert_problem(client.get("/api/teams"), 403)
    assert_problem(client.get("/api/staff"), 403)


def test_a_leaver_may_not(token_client: Callable[[Any], Client], db: Any) -> None:
    leaver = StaffFactory(is_active=False)
    assert_problem(token_client(leaver.user).get("/api/teams"), 403)


def test_a_page_of_staff_takes_a_fixed_number_of_queries(
    token_client: Callable[[Any], Client], db: Any, django_assert_max_num_queries: Any
) -> None:
    manager = StaffFactory(roles=["practice_manager"])
    StaffFactory.create_batch(30, line_manager=manager, team=manager.team, roles=["social_worker"])
    api = token_client(manager.user)
    with django_assert_max_num_queries(8):
        assert len(api.get("/api/staff").json()["items"]) == 31
