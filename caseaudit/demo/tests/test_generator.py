"""The demo register: reproducible, shaped like a real authority, in the import format."""

import csv
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest

from caseaudit.accounts.roles import ROLE_CODES, Role
from caseaudit.demo.generator import (
    CASE_COLUMNS,
    DEMO_SIGNINS,
    STAFF_COLUMNS,
    TEAM_COLUMNS,
    write_register,
)
from caseaudit.demo.organisation import minimum_staff
from caseaudit.org.services import line_management_chains

TODAY = date(2026, 12, 1)
SEED_ELIGIBLE_TEAMS = (
    "Assessment & Intervention",
    "Children's Disability",
    "FSP North",
    "FSP South",
    "Early Help",
    "Looked After Children",
    "Leaving Care",
)


def read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as file:
        return list(csv.DictReader(file))


@pytest.fixture(scope="module")
def register(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("register")
    write_register(folder, seed=7, children=3000, staff=150, today=TODAY)
    return folder


@pytest.fixture(scope="module")
def teams(register: Path) -> list[dict[str, str]]:
    return read(register / "teams.csv")


@pytest.fixture(scope="module")
def staff(register: Path) -> list[dict[str, str]]:
    return read(register / "staff.csv")


@pytest.fixture(scope="module")
def cases(register: Path) -> list[dict[str, str]]:
    return read(register / "cases.csv")


def test_same_seed_writes_the_same_bytes(tmp_path: Path) -> None:
    write_register(tmp_path / "a", seed=11, children=400, staff=80, today=TODAY)
    write_register(tmp_path / "b", seed=11, children=400, staff=80, today=TODAY)
    write_register(tmp_path / "c", seed=12, children=400, staff=80, today=TODAY)
    for name in ("teams.csv", "staff.csv", "cases.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    assert (tmp_path / "a" / "cases.csv").read_bytes() != (tmp_path / "c" / "cases.csv").read_bytes()


def test_files_have_the_import_columns(register: Path) -> None:
    for name, columns in (
        ("teams.csv", TEAM_COLUMNS),
        ("staff.csv", STAFF_COLUMNS),
        ("cases.csv", CASE_COLUMNS),
    ):
        header = (register / name).read_text(encoding="utf-8").splitlines()[0]
        assert header.split(",") == list(columns)


def test_summary_counts_match_the_files(tmp_path: Path) -> None:
    summary = write_register(tmp_path, seed=3, children=500, staff=90, today=TODAY)
    written = read(tmp_path / "cases.csv")
    assert summary.cases == len(written)
    assert summary.staff == len(read(tmp_path / "staff.csv")) == 90
    assert summary.children == len({row["child_id"] for row in written}) == 500
    assert summary.open_cases == sum(not row["closed_date"] for row in written)


def test_three_areas_and_every_eligible_team_of_the_seed(teams: list[dict[str, str]]) -> None:
    assert {team["geographical_area"] for team in teams} == {"North", "South", "Central"}
    eligible = [team["team_name"] for team in teams if team["eligible_for_audit"] == "yes"]
    for wanted in SEED_ELIGIBLE_TEAMS:
        assert any(name.startswith(wanted) for name in eligible), wanted
    ineligible = {team["team_name"] for team in teams if team["eligible_for_audit"] == "no"}
    assert {"Multi-Agency Safeguarding Hub", "Youth Justice", "Fostering", "Adoption"} <= ineligible
    assert len({team["team_id"] for team in teams}) == len(teams)


def test_hierarchy_has_no_cycle_and_one_top(staff: list[dict[str, str]]) -> None:
    managers = {person["staff_id"]: person["line_manager_id"] or None for person in staff}
    _chains, in_cycle = line_management_chains(managers)
    assert not in_cycle
    assert all(manager in managers for manager in managers.values() if manager)
    assert [person for person, manager in managers.items() if manager is None] == ["S0001"]


def test_every_social_worker_has_a_practice_manager_of_their_team_above(staff: list[dict[str, str]]) -> None:
    by_id = {person["staff_id"]: person for person in staff}
    workers = [person for person in staff if person["roles"] == Role.SOCIAL_WORKER]
    assert len(workers) > 100
    for worker in workers:
        manager = by_id[worker["line_manager_id"]]
        assert Role.PRACTICE_MANAGER in manager["roles"].split(";")
        assert manager["team_id"] == worker["team_id"] != ""
        group_manager = by_id[manager["line_manager_id"]]
        assert Role.GROUP_MANAGER in group_manager["roles"].split(";")
        service_manager = by_id[group_manager["line_manager_id"]]
        assert {Role.SERVICE_MANAGER, Role.MODERATOR} <= set(service_manager["roles"].split(";"))
        assert Role.HEAD_OF_SERVICE in by_id[service_manager["line_manager_id"]]["roles"]


def test_group_managers_manage_several_teams_in_one_area(
    staff: list[dict[str, str]], teams: list[dict[str, str]]
) -> None:
    area_of_team = {team["team_id"]: team["geographical_area"] for team in teams}
    by_id = {person["staff_id"]: person for person in staff}
    managed: dict[str, set[str]] = {}
    for person in staff:
        if person["roles"] == Role.PRACTICE_MANAGER:
            managed.setdefault(person["line_manager_id"], set()).add(person["team_id"])
    for group_manager, team_ids in managed.items():
        assert by_id[group_manager]["team_id"] == ""
        assert {area_of_team[t] for t in team_ids} == {by_id[group_manager]["geographical_area"]}
    assert max(len(team_ids) for team_ids in managed.values()) >= 2


def test_roles_are_known_and_every_role_is_held(staff: list[dict[str, str]]) -> None:
    held = Counter(role for person in staff for role in person["roles"].split(";"))
    assert set(held) == ROLE_CODES
    assert held[Role.HEAD_OF_QA] == 1
    assert held[Role.QA_OFFICER] >= 3
    qa = [
        person for person in staff if Role.QA_OFFICER in person["roles"] or Role.HEAD_OF_QA in person["roles"]
    ]
    assert all(person["team_id"] == "" for person in qa)


def test_emails_are_unique_and_synthetic(staff: list[dict[str, str]]) -> None:
    emails = [person["email"] for person in staff]
    assert len(set(emails)) == len(emails)
    assert all(email.endswith("@northshire.example") for email in emails)
    assert {signin.email for signin in DEMO_SIGNINS} <= set(emails)


def test_case_types_follow_the_team(cases: list[dict[str, str]], teams: list[dict[str, str]]) -> None:
    name_of = {team["team_id"]: team["team_name"] for team in teams}
    types_by_team: dict[str, set[str]] = {}
    for case in cases:
        types_by_team.setdefault(name_of[case["team_id"]], set()).add(case["case_type"])
    for name, types in types_by_team.items():
        if name.startswith("Early Help"):
            assert types == {"early_help"}
        elif name.startswith("Looked After Children"):
            assert types == {"cla"}
        elif name.startswith("Leaving Care"):
            assert types == {"care_leaver"}
        elif name.startswith(("Assessment & Intervention", "FSP")):
            assert types == {"cin", "cp"}


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def test_dates_are_consistent_and_ages_fit_the_case_type(cases: list[dict[str, str]]) -> None:
    for case in cases:
        born = date.fromisoformat(case["date_of_birth"])
        start = date.fromisoformat(case["start_date"])
        assert born <= start <= TODAY
        if case["closed_date"]:
            assert start < date.fromisoformat(case["closed_date"]) <= TODAY
        if case["last_audited_on"]:
            audited = date.fromisoformat(case["last_audited_on"])
            assert (
                start
                <= audited
                <= (date.fromisoformat(case["closed_date"]) if case["closed_date"] else TODAY)
            )
    current = {case["child_id"]: case for case in cases}  # a child's current case comes last
    for case in current.values():
        age = age_on(date.fromisoformat(case["date_of_birth"]), TODAY)
        assert (16 <= age <= 21) if case["case_type"] == "care_leaver" else (0 <= age <= 17)


def test_mostly_open_some_recently_closed_and_a_few_restricted(cases: list[dict[str, str]]) -> None:
    children = {case["child_id"] for case in cases}
    assert len(children) == 3000
    assert 1.01 < len(cases) / len(children) < 1.08  # a few children have two cases
    latest = {case["child_id"]: case for case in cases}  # the current case comes last
    open_share = sum(not case["closed_date"] for case in latest.values()) / len(latest)
    assert 0.8 < open_share < 0.95
    restricted = sum(case["restricted"] == "yes" for case in latest.values()) / len(latest)
    assert 0.01 < restricted < 0.03
    recently_closed = [c for c in latest.values() if c["closed_date"]]
    assert all(TODAY - date.fromisoformat(c["closed_date"]) < timedelta(days=60) for c in recently_closed)


def test_some_audited_in_the_last_quarter_others_earlier_or_never(cases: list[dict[str, str]]) -> None:
    audited = [date.fromisoformat(case["last_audited_on"]) for case in cases if case["last_audited_on"]]
    recent = sum(TODAY - day < timedelta(days=91) for day in audited) / len(cases)
    assert 0.07 < recent < 0.13
    assert any(TODAY - day > timedelta(days=180) for day in audited)
    assert len(audited) < len(cases) * 0.7


def test_the_demo_social_worker_has_open_cases_one_restricted(
    staff: list[dict[str, str]], cases: list[dict[str, str]]
) -> None:
    worker = next(person for person in staff if person["email"] == "social.worker@northshire.example")
    caseload = [case for case in cases if case["allocated_worker_id"] == worker["staff_id"]]
    assert any(case["restricted"] == "yes" and not case["closed_date"] for case in caseload)
    assert sum(not case["closed_date"] for case in caseload) >= 3


def test_scales_to_a_large_authority(tmp_path: Path) -> None:
    summary = write_register(tmp_path, seed=1, children=2000, staff=2000, today=TODAY)
    staff = read(tmp_path / "staff.csv")
    assert summary.staff == len(staff) == 2000
    assert summary.teams > 100
    _chains, in_cycle = line_management_chains(
        {person["staff_id"]: person["line_manager_id"] or None for person in staff}
    )
    assert not in_cycle
    assert len({person["email"] for person in staff}) == 2000


def test_too_few_staff_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="at least"):
        write_register(tmp_path, staff=minimum_staff(1) - 1, children=10, today=TODAY)
    write_register(tmp_path, staff=minimum_staff(1), children=10, today=TODAY)
