"""What the API answers and accepts. Identifiers are the register's own string IDs (CONTRACTS §4)."""

import datetime

from ninja import Field, Schema
from pydantic import ConfigDict

from caseaudit.accounts.roles import Role
from caseaudit.api.problems import Problem
from caseaudit.cases.models import Case

# --- organisation -----------------------------------------------------------------------


class TeamOut(Schema):
    team_id: str = Field(description="The register's team ID.")
    name: str
    service_area: str
    geographical_area: str
    eligible_for_audit: bool = Field(description="SEL-2: its cases may be picked for the monthly audit.")
    in_latest_import: bool = Field(description="False once the team is missing from a register export.")


class TeamPage(Schema):
    items: list[TeamOut]
    count: int = Field(description="Teams on every page.")


class StaffFilters(Schema):
    team_id: str | None = Field(None, description="Only members of this team (register team ID).")
    role: Role | None = Field(None, description="Only people holding this role.")


class StaffOut(Schema):
    staff_id: str = Field(description="The register's staff ID.")
    name: str
    email: str
    job_role: str
    team_id: str | None
    line_manager_id: str | None = Field(description="Staff ID of the direct line manager.")
    roles: list[Role]
    geographical_area: str | None = Field(
        description="Their own area, else their team's, else the one area of the teams they manage."
    )
    is_active: bool


class StaffPage(Schema):
    items: list[StaffOut]
    count: int = Field(description="People on every page.")


# --- cases ------------------------------------------------------------------------------


class CaseFilters(Schema):
    search: str = Field("", description="A case ID or child ID (exact), or part of a child's name.")
    team_id: str = Field("", description="Only cases of this team (register team ID).")
    case_type: Case.CaseType | None = Field(None, description="Only cases of this type.")
    status: Case.Status | None = Field(None, description="Only open or only closed cases.")
    area: str = Field("", description="Only cases of teams in this geographical area (its name).")
    worker_id: str = Field("", description="Only cases allocated to this member of staff (staff ID).")


class CaseOut(Schema):
    """A case. A restricted case seen from outside its line carries only `case_id`, the team
    and `restricted: true`; everything else is null (CONTRACTS §3). Where the child's details
    are not visible, `child_id`, `child_name` and `date_of_birth` are null."""

    case_id: str
    child_id: str | None
    child_name: str | None
    date_of_birth: datetime.date | None
    team_id: str
    team_name: str
    allocated_worker_id: str | None
    allocated_worker_name: str | None
    case_type: Case.CaseType | None
    status: Case.Status | None
    start_date: datetime.date | None
    closed_date: datetime.date | None
    restricted: bool
    last_audited_on: datetime.date | None = Field(description="Date last audited before caseaudit, if known.")


class CaseDetailOut(CaseOut):
    """A case with the child's recorded characteristics (null where not visible)."""

    gender: str | None
    ethnicity: str | None
    disability: str | None


class CasePage(Schema):
    items: list[CaseOut]
    count: int = Field(description="Cases on every page.")


# --- register import --------------------------------------------------------------------


class ImportCounts(Schema):
    model_config = ConfigDict(extra="allow")

    created: int
    updated: int
    unchanged: int
    not_in_latest_import: int = Field(
        0, description="Kept from earlier imports but missing from this one: marked so, never deleted."
    )


class StaffImportCounts(ImportCounts):
    deactivated: int = Field(
        0, description="Staff an earlier import created who are missing now: deactivated with their sign-in."
    )


class ImportResult(Schema):
    """The importer's own JSON (CONTRACTS §2), as `manage.py import_register --format json` prints it."""

    ok: bool
    teams: ImportCounts
    staff: StaffImportCounts
    children: ImportCounts
    cases: ImportCounts
    warnings: list["ImportFileError"] = Field(description="E.g. an unknown extra column, ignored.")


class ImportFileError(Schema):
    file: str | None = None
    line: int | None = None
    column: str | None = None
    message: str


class ImportProblem(Problem):
    """A refused import: `errors` in the API's shape, and the importer's own list as well."""

    import_errors: list[ImportFileError] = Field(
        description="The first 1,000 errors as the importer lists them; `errors_not_listed` counts the rest."
    )
    errors_not_listed: int = Field(0, description="Errors found beyond the first 1,000 listed.")
    confirmation_needed: bool = Field(
        False,
        description="Refused only because it would deactivate or un-list too much: send confirm_removals.",
    )
    removals: dict[str, dict[str, int]] | None = Field(
        None,
        description='What it would take away, of how many: {"staff": {"deactivated", "active"}, '
        '"cases": {"not_in_latest_import", "in_latest_import"}}.',
    )
