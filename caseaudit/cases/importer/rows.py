"""One table's rows as typed records: the header matched to the columns, each cell parsed.

The same readers serve both passes: validation collects the problems they find, writing
reads rows already known to be valid."""

import contextlib
import datetime
from collections.abc import Iterator
from dataclasses import dataclass

from caseaudit.accounts.roles import ROLE_CODES
from caseaudit.cases.importer.parsing import (
    CASE_TYPES,
    TableSpec,
    cell_text,
    email_is_valid,
    header_name,
    parse_date,
    parse_flag,
    parse_roles,
)
from caseaudit.cases.importer.problems import ERRORS_KEPT, ImportProblem
from caseaudit.cases.importer.sources import Table


class Problems:
    """Errors and warnings as they are found, in file order. Only the first ERRORS_KEPT
    errors are kept; the rest are counted (issue 15: memory stays flat)."""

    def __init__(self, keep: int = ERRORS_KEPT) -> None:
        self.errors: list[ImportProblem] = []
        self.warnings: list[ImportProblem] = []
        self.errors_not_kept = 0
        self.keep = keep

    def error(self, problem: ImportProblem) -> None:
        if len(self.errors) < self.keep:
            self.errors.append(problem)
        else:
            self.errors_not_kept += 1

    @property
    def error_count(self) -> int:
        return len(self.errors) + self.errors_not_kept


class RowReader:
    """One data row. Each accessor parses a column and notes what is wrong with it."""

    def __init__(self, table: Table, line: int, values: dict[str, str], problems: Problems | None) -> None:
        self.table = table
        self.line = line
        self.values = values
        self.problems = problems

    def error(self, column: str | None, message: str) -> None:
        if self.problems is not None:
            self.problems.error(
                ImportProblem(self.table.label, self.line, column, message, kind=self.table.kind)
            )

    def text(self, column: str, *, required: bool = False) -> str:
        value = self.values.get(column)
        if value is None:  # the column itself is missing: reported once, on the header
            return ""
        if required and not value:
            self.error(column, f"missing required value: {column} cannot be empty")
        limit = self.table.spec.max_lengths.get(column)
        if limit is not None and len(value) > limit:
            self.error(column, f"longer than {limit} characters")
        return value

    def date(self, column: str, *, required: bool = False) -> datetime.date | None:
        text = self.text(column, required=required)
        try:
            return parse_date(text)
        except ValueError as error:
            self.error(column, f"bad date: {error}")
            return None

    def flag(self, column: str) -> bool:
        text = self.text(column, required=True)
        if not text:
            return False
        try:
            return parse_flag(text)
        except ValueError as error:
            self.error(column, f"bad flag: {error}")
            return False


@dataclass(frozen=True)
class TeamRow:
    line: int
    team_id: str
    name: str
    service_area: str
    geographical_area: str
    eligible_for_audit: bool


@dataclass(frozen=True)
class StaffRow:
    line: int
    staff_id: str
    name: str
    email: str
    job_role: str
    team_id: str
    line_manager_id: str
    roles: tuple[str, ...]
    geographical_area: str


@dataclass(frozen=True)
class CaseRow:
    line: int
    case_id: str
    child_id: str
    child_name: str
    date_of_birth: datetime.date | None
    gender: str
    ethnicity: str
    disability: str
    team_id: str
    allocated_worker_id: str
    case_type: str
    start_date: datetime.date | None
    closed_date: datetime.date | None
    restricted: bool
    last_audited_on: datetime.date | None


def read_team(row: RowReader) -> TeamRow:
    return TeamRow(
        line=row.line,
        team_id=row.text("team_id", required=True),
        name=row.text("team_name", required=True),
        service_area=row.text("service_area", required=True),
        geographical_area=row.text("geographical_area", required=True),
        eligible_for_audit=row.flag("eligible_for_audit"),
    )


def read_staff(row: RowReader) -> StaffRow:
    email = row.text("email", required=True)
    if email and not email_is_valid(email):
        row.error("email", f'invalid email: "{email}" is not an email address')
    roles = parse_roles(row.text("roles"))
    for role in roles:
        if role not in ROLE_CODES:
            row.error("roles", f'unknown role "{role}": use one of {", ".join(sorted(ROLE_CODES))}')
    return StaffRow(
        line=row.line,
        staff_id=row.text("staff_id", required=True),
        name=row.text("name", required=True),
        email=email,
        job_role=row.text("job_role"),
        team_id=row.text("team_id"),
        line_manager_id=row.text("line_manager_id"),
        roles=tuple(role for role in roles if role in ROLE_CODES),
        geographical_area=row.text("geographical_area"),
    )


def read_case(row: RowReader, *, today: datetime.date) -> CaseRow:
    case_type = row.text("case_type", required=True).lower()
    if case_type and case_type not in CASE_TYPES:
        row.error("case_type", f'bad case_type "{case_type}": use one of {", ".join(CASE_TYPES)}')
    date_of_birth = row.date("date_of_birth")
    if date_of_birth is not None and date_of_birth > today:
        row.error("date_of_birth", f"date of birth {date_of_birth.isoformat()} is in the future")
    start_date = row.date("start_date", required=True)
    closed_date = row.date("closed_date")
    if start_date is not None and closed_date is not None and closed_date < start_date:
        row.error(
            "closed_date",
            f"closed before it started: closed {closed_date.isoformat()}, started {start_date.isoformat()}",
        )
    return CaseRow(
        line=row.line,
        case_id=row.text("case_id", required=True),
        child_id=row.text("child_id", required=True),
        child_name=row.text("child_name", required=True),
        date_of_birth=date_of_birth,
        gender=row.text("gender"),
        ethnicity=row.text("ethnicity"),
        disability=row.text("disability"),
        team_id=row.text("team_id", required=True),
        allocated_worker_id=row.text("allocated_worker_id"),
        case_type=case_type,
        start_date=start_date,
        closed_date=closed_date,
        restricted=row.flag("restricted"),
        last_audited_on=row.date("last_audited_on"),
    )


def _header(table: Table, cells: list[object], problems: Problems | None) -> dict[str, int]:
    """Column name → position. Missing required columns are errors, unknown ones warnings."""
    spec: TableSpec = table.spec
    positions: dict[str, int] = {}

    def note(errors: bool, column: str | None, message: str, line: int | None = 1) -> None:
        if problems is not None:
            problem = ImportProblem(table.label, line, column, message, kind=table.kind)
            if errors:
                problems.error(problem)
            else:
                problems.warnings.append(problem)

    for position, raw in enumerate(cells):
        name = header_name(raw)
        if not name:
            continue
        if name not in spec.columns:
            note(False, cell_text(raw), f'unknown column "{cell_text(raw)}" ignored', line=None)
        elif name in positions:
            note(True, name, f'column "{name}" appears more than once')
        else:
            positions[name] = position
    for column in spec.required:
        if column not in positions:
            note(True, column, f'missing required column "{column}"')
    return positions


@contextlib.contextmanager
def records(table: Table, problems: Problems | None) -> Iterator[Iterator[RowReader]]:
    """The table's non-blank data rows. Raises UnicodeDecodeError while iterating if the file
    is not UTF-8."""
    with table.rows() as rows:
        yield _records(table, rows, problems)


def _is_blank(cells: list[object]) -> bool:
    """No cell holds anything: an empty line, a line of commas, an empty spreadsheet row."""
    return not any(cell_text(cell) for cell in cells)


def _records(
    table: Table, rows: Iterator[tuple[int, list[object]]], problems: Problems | None
) -> Iterator[RowReader]:
    positions: dict[str, int] | None = None
    data_rows = blank_rows = 0
    first_blank: int | None = None
    for line, cells in rows:
        if positions is None:
            if _is_blank(cells):
                # Line 1 must be the header; reading on through a file of nothing but newlines
                # is how a 392-byte zip once ran for 15 minutes.
                _note(
                    problems, table, f"line 1 is blank: the first line of the {table.kind} must be its header"
                )
                return
            positions = _header(table, cells, problems)
            continue
        if _is_blank(cells):
            blank_rows += 1
            first_blank = first_blank or line
            continue
        data_rows += 1
        values = {column: cell_text(cells[at]) if at < len(cells) else "" for column, at in positions.items()}
        yield RowReader(table, line, values, problems)
    if problems is None:
        return
    if blank_rows:
        lines = "1 blank line" if blank_rows == 1 else f"{blank_rows:,} blank lines"
        problems.warnings.append(
            ImportProblem(
                table.label, None, None, f"{lines} skipped (the first is line {first_blank})", kind=table.kind
            )
        )
    if positions is None:
        _note(problems, table, f"the {table.kind} is empty: it has no header line")
    elif not data_rows:
        # Issue 15: a header-only staff.csv once deactivated every sign-in, and a header-only
        # cases.csv took every case out of the monthly allocation.
        _note(
            problems,
            table,
            f"the {table.kind} has a header but no data rows: nothing was imported, since an empty "
            f"{table.kind} would mark everything in it as gone from the register",
        )


def _note(problems: Problems | None, table: Table, message: str) -> None:
    if problems is not None:
        problems.error(ImportProblem(table.label, None, None, message, kind=table.kind))
