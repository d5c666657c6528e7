"""The first pass: read every row, report every problem, keep only compact state per ID.

References resolve against the files first, then the register already in the database
(INT-1). Nothing is written here."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone

from caseaudit.cases.importer.parsing import TABLE_SPECS
from caseaudit.cases.importer.problems import ImportProblem
from caseaudit.cases.importer.rows import (
    CaseRow,
    Problems,
    RowReader,
    read_case,
    read_staff,
    read_team,
    records,
)
from caseaudit.cases.importer.sources import RegisterSource, Table
from caseaudit.org.models import Staff, Team
from caseaudit.org.services import line_management_chains


@dataclass(slots=True)
class ChildSeen:
    """What the rest of the file must agree with about a child, and whether any case is restricted."""

    line: int
    name_hash: int
    date_of_birth: datetime.date | None
    restricted: bool


@dataclass
class RegisterState:
    """Per-ID state only (never whole rows), so memory stays small for a long register."""

    team_lines: dict[str, int] = field(default_factory=dict)
    staff_lines: dict[str, int] = field(default_factory=dict)
    case_lines: dict[str, int] = field(default_factory=dict)
    children: dict[str, ChildSeen] = field(default_factory=dict)


@dataclass
class Validation:
    problems: Problems
    state: RegisterState


class _Register:
    """The teams and staff already in the database, read once."""

    def __init__(self, *, need_staff: bool) -> None:
        self.team_ids = set(Team.objects.values_list("team_id", flat=True))
        self.staff_managers: dict[str, str | None] = {}
        self.staff_by_email: dict[str, str] = {}
        if need_staff:
            for staff_id, email, manager_id in Staff.objects.values_list(
                "staff_id", "email", "line_manager__staff_id"
            ).iterator(chunk_size=2000):
                self.staff_managers[staff_id] = manager_id
                self.staff_by_email[email.lower()] = staff_id


def _where(source: RegisterSource, key: str) -> str:
    """Where a reference was looked for: the file (or sheet) of its kind, then the database."""
    spec = next(spec for spec in TABLE_SPECS if spec.key == key)
    in_workbook = any(table.kind == "sheet" for table in source.tables.values())
    name = f"the {spec.sheet_name} sheet" if in_workbook else spec.file_name
    return f"{name} or the register"


def _validate_table(
    table: Table,
    problems: Problems,
    check_row: Callable[[RowReader], None],
    after: Callable[[], None] | None = None,
) -> None:
    errors_before, not_kept_before = len(problems.errors), problems.errors_not_kept
    try:
        with records(table, problems) as rows:
            for row in rows:
                check_row(row)
    except UnicodeDecodeError:
        # One clear error for the file, not one per row it garbled (CONTRACTS §2).
        del problems.errors[errors_before:]
        problems.errors_not_kept = not_kept_before
        problems.error(
            ImportProblem(
                table.label,
                None,
                None,
                f'{table.label} is not UTF-8 text: save it as "CSV UTF-8" and import it again',
                kind=table.kind,
            )
        )
        return
    if after is not None:
        after()


def _duplicate(row: RowReader, column: str, value: str, seen: dict[str, int], noun: str) -> bool:
    first = seen.get(value)
    if first is not None:
        row.error(column, f'duplicate {noun} "{value}": on line {first} and line {row.line}')
        return True
    seen[value] = row.line
    return False


def _validate_teams(table: Table, problems: Problems, state: RegisterState) -> None:
    def check(row: RowReader) -> None:
        team = read_team(row)
        if team.team_id:
            _duplicate(row, "team_id", team.team_id, state.team_lines, "team ID")

    _validate_table(table, problems, check)


def _cycle_path(person: str, managers: dict[str, str | None]) -> str:
    path = [person]
    current = managers.get(person)
    while current is not None and current != person and len(path) <= len(managers):
        path.append(current)
        current = managers.get(current)
    return " → ".join([*path, person])


def _validate_staff(
    source: RegisterSource, problems: Problems, state: RegisterState, register: _Register
) -> None:
    table = source.tables["staff"]
    emails: dict[str, int] = {}
    file_managers: dict[str, str | None] = {}
    manager_refs: list[tuple[int, str]] = []
    teams_where = _where(source, "teams")

    def check(row: RowReader) -> None:
        staff = read_staff(row)
        if staff.staff_id and not _duplicate(row, "staff_id", staff.staff_id, state.staff_lines, "staff ID"):
            file_managers[staff.staff_id] = staff.line_manager_id or None
        if staff.email:
            _duplicate(row, "email", staff.email.lower(), emails, "email")
        if staff.team_id and staff.team_id not in state.team_lines and staff.team_id not in register.team_ids:
            row.error("team_id", f'no team "{staff.team_id}" in {teams_where}')
        if staff.line_manager_id:
            manager_refs.append((row.line, staff.line_manager_id))  # may be on a later line

    def after() -> None:
        where = _where(source, "staff")
        for line, manager_id in manager_refs:
            if manager_id not in state.staff_lines and manager_id not in register.staff_managers:
                error(
                    line,
                    "line_manager_id",
                    f'line manager not found: no staff member "{manager_id}" in {where}',
                )
        for email, line in emails.items():
            owner = register.staff_by_email.get(email)
            if owner is not None and owner not in state.staff_lines:
                error(
                    line,
                    "email",
                    f'duplicate email "{email}": staff "{owner}" in the register already has it',
                )
        managers = {**register.staff_managers, **file_managers}
        _, in_cycle = line_management_chains(managers)
        for staff_id in in_cycle & file_managers.keys():
            cycle = _cycle_path(staff_id, managers)
            error(state.staff_lines[staff_id], "line_manager_id", f"line-management cycle: {cycle}")

    def error(line: int, column: str, message: str) -> None:
        problems.error(ImportProblem(table.label, line, column, message, kind=table.kind))

    _validate_table(table, problems, check, after)


def _check_child(row: RowReader, case: CaseRow, children: dict[str, ChildSeen]) -> None:
    name_hash = hash(case.child_name)
    seen = children.get(case.child_id)
    if seen is None:
        children[case.child_id] = ChildSeen(row.line, name_hash, case.date_of_birth, case.restricted)
        return
    seen.restricted = seen.restricted or case.restricted
    if seen.name_hash != name_hash:
        row.error(
            "child_name",
            f'child "{case.child_id}" has a different name on line {seen.line} and line {row.line}',
        )
    if seen.date_of_birth != case.date_of_birth:
        row.error(
            "date_of_birth",
            f'child "{case.child_id}" has a different date of birth on line {seen.line} and line {row.line}',
        )


def _validate_cases(
    source: RegisterSource, problems: Problems, state: RegisterState, register: _Register
) -> None:
    today = timezone.localdate()
    teams_where, staff_where = _where(source, "teams"), _where(source, "staff")

    def check(row: RowReader) -> None:
        case = read_case(row, today=today)
        if case.case_id:
            _duplicate(row, "case_id", case.case_id, state.case_lines, "case ID")
        if case.team_id and case.team_id not in state.team_lines and case.team_id not in register.team_ids:
            row.error("team_id", f'no team "{case.team_id}" in {teams_where}')
        worker = case.allocated_worker_id
        if worker and worker not in state.staff_lines and worker not in register.staff_managers:
            row.error("allocated_worker_id", f'worker not found: no staff member "{worker}" in {staff_where}')
        if case.child_id and case.child_name:
            _check_child(row, case, state.children)

    _validate_table(source.tables["cases"], problems, check)


def register_validate(source: RegisterSource) -> Validation:
    """Every problem in the source (errors refuse the import; warnings do not)."""
    problems = Problems()
    state = RegisterState()
    register = _Register(need_staff="staff" in source.tables or "cases" in source.tables)
    if "teams" in source.tables:
        _validate_teams(source.tables["teams"], problems, state)
    if "staff" in source.tables:
        _validate_staff(source, problems, state, register)
    if "cases" in source.tables:
        _validate_cases(source, problems, state, register)
    keys = [spec.key for spec in TABLE_SPECS]
    order = {table.label: keys.index(key) for key, table in source.tables.items()}
    problems.errors.sort(key=lambda problem: (order.get(problem.file, 0), problem.line or 0))
    return Validation(problems=problems, state=state)
