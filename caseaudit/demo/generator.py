"""The synthetic demo authority, written as a register in the import format (INT-1).

`write_register` writes teams.csv, staff.csv and cases.csv into a folder. Everything comes
from one `random.Random(seed)`, so the same seed, sizes and day give the same bytes. Cases are
written as they are made, so 50,000 of them take no more memory than 50."""

import csv
import random
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from caseaudit.demo.caseload import Caseload, CaseRow
from caseaudit.demo.organisation import AREAS, Organisation, build_organisation, fixed_email

AUTHORITY_NAME = "Northshire County Council (demo)"
DEMO_PASSWORD = "caseaudit-demo-2026"

TEAM_COLUMNS = ("team_id", "team_name", "service_area", "geographical_area", "eligible_for_audit")
STAFF_COLUMNS = (
    "staff_id", "name", "email", "job_role", "team_id", "line_manager_id", "roles", "geographical_area",
)  # fmt: skip
CASE_COLUMNS = (
    "case_id", "child_id", "child_name", "date_of_birth", "team_id", "allocated_worker_id", "case_type",
    "start_date", "closed_date", "restricted", "last_audited_on", "gender", "ethnicity", "disability",
)  # fmt: skip


@dataclass(frozen=True)
class DemoSignin:
    email: str
    role: str
    try_this: str


# The fixed accounts `make run` prints: one per role, whatever the seed (the people are in
# organisation.FIXED_PEOPLE). The social worker's caseload includes a restricted case.
DEMO_SIGNINS: tuple[DemoSignin, ...] = (
    DemoSignin(
        fixed_email("qa.officer"),
        "QA officer",
        "See this month's allocation and its audits; Reports: last quarter's figures, themes to confirm "
        "and the quarterly report.",
    ),
    DemoSignin(
        fixed_email("head.of.qa"),
        "Head of quality assurance",
        "Everything a QA officer can; decide where auditor and worker strongly disagree.",
    ),
    DemoSignin(
        fixed_email("group.manager"),
        "Group manager (auditor)",
        "Conduct your audits, one of Jo Carter's case (discussion arranged); ask to open her restricted one.",
    ),
    DemoSignin(
        fixed_email("practice.manager"),
        "Practice manager",
        "See your team's cases, and the audit of Jo Carter's case on your home page.",
    ),
    DemoSignin(
        fixed_email("social.worker"),
        "Social worker",
        "See your caseload (one case is restricted) and the audit of your case, with its discussion.",
    ),
    DemoSignin(
        fixed_email("moderator"),
        "Service manager and moderator",
        "Moderate Stage 1 audits (Stage 2); see the cases of the North area.",
    ),
    DemoSignin(
        fixed_email("head.of.service"),
        "Head of service",
        "Decide the auditor's request to open Jo Carter's restricted case; see every case below you.",
    ),
    DemoSignin(fixed_email("panel.chair"), "Panel chair", "Chair the audit moderation panel."),
    DemoSignin(
        fixed_email("senior.manager"),
        "Senior manager",
        "See the figures (Reports) and download the quarterly report; hear of good practice and escalations.",
    ),
    DemoSignin(
        fixed_email("administrator"),
        "Administrator",
        "Manage users, teams, areas and settings; no child data.",
    ),
    DemoSignin(
        fixed_email("information.governance"),
        "Information governance",
        "Answer a subject access request: export everything held about a child (Reports, Subject access).",
    ),
)


@dataclass(frozen=True)
class RegisterSummary:
    areas: int
    teams: int
    eligible_teams: int
    staff: int
    children: int
    cases: int
    open_cases: int
    restricted_cases: int
    audited_last_quarter: int

    @property
    def rows(self) -> int:
        """Data rows across the three files."""
        return self.teams + self.staff + self.cases


def today_in_london() -> date:
    return datetime.now(tz=ZoneInfo("Europe/London")).date()


def _yes_no(flag: bool) -> str:
    return "yes" if flag else "no"


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def write_register(
    folder: Path, *, seed: int = 2026, children: int = 3000, staff: int = 150, today: date | None = None
) -> RegisterSummary:
    """Write the demo authority's teams.csv, staff.csv and cases.csv into `folder`."""
    today = today or today_in_london()
    rng = random.Random(seed)
    organisation = build_organisation(rng, staff=staff)
    folder.mkdir(parents=True, exist_ok=True)
    _write_teams(folder / "teams.csv", organisation)
    _write_staff(folder / "staff.csv", organisation)
    counts = _write_cases(folder / "cases.csv", Caseload(rng, organisation, today=today), children, today)
    return RegisterSummary(
        areas=len(AREAS),
        teams=len(organisation.teams),
        eligible_teams=sum(team.eligible for team in organisation.teams),
        staff=len(organisation.people),
        children=children,
        **counts,
    )


def _write_teams(path: Path, organisation: Organisation) -> None:
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(TEAM_COLUMNS)
        for team in organisation.teams:
            writer.writerow((team.team_id, team.name, team.service_area, team.area, _yes_no(team.eligible)))


def _write_staff(path: Path, organisation: Organisation) -> None:
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(STAFF_COLUMNS)
        for person in organisation.people:
            writer.writerow(
                (
                    person.staff_id,
                    person.name,
                    person.email,
                    person.job_role,
                    person.team_id,
                    person.line_manager_id,
                    ";".join(person.roles),
                    person.area,
                )
            )


def _write_cases(path: Path, caseload: Caseload, children: int, today: date) -> dict[str, int]:
    counts = {"cases": 0, "open_cases": 0, "restricted_cases": 0, "audited_last_quarter": 0}
    quarter_ago = date.fromordinal(today.toordinal() - 91)
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(CASE_COLUMNS)
        for case in caseload.cases(children):
            writer.writerow(_case_cells(case))
            counts["cases"] += 1
            counts["open_cases"] += case.closed_date is None
            counts["restricted_cases"] += case.child.restricted
            counts["audited_last_quarter"] += bool(
                case.last_audited_on and case.last_audited_on > quarter_ago
            )
    return counts


def _case_cells(case: CaseRow) -> tuple[str, ...]:
    child = case.child
    return (
        case.case_id,
        child.child_id,
        child.name,
        _iso(child.date_of_birth),
        case.team_id,
        case.allocated_worker_id,
        case.case_type,
        _iso(case.start_date),
        _iso(case.closed_date),
        _yes_no(child.restricted),
        _iso(case.last_audited_on),
        child.gender,
        child.ethnicity,
        child.disability,
    )
