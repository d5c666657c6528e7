"""Reading single values of the register: dates, yes/no flags, headers, spreadsheet cells."""

import datetime
import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_FLAGS = {"yes": True, "true": True, "1": True, "no": False, "false": False, "0": False}


@dataclass(frozen=True)
class TableSpec:
    """The columns of one register file (CONTRACTS §2). `max_lengths` mirror the models."""

    key: str
    file_name: str
    sheet_name: str
    required: tuple[str, ...]
    optional: tuple[str, ...]
    max_lengths: dict[str, int]

    @property
    def columns(self) -> tuple[str, ...]:
        return self.required + self.optional


TEAMS = TableSpec(
    key="teams",
    file_name="teams.csv",
    sheet_name="Teams",
    required=("team_id", "team_name", "service_area", "geographical_area", "eligible_for_audit"),
    optional=(),
    max_lengths={"team_id": 64, "team_name": 200, "service_area": 100, "geographical_area": 100},
)
STAFF = TableSpec(
    key="staff",
    file_name="staff.csv",
    sheet_name="Staff",
    required=("staff_id", "name", "email", "job_role", "team_id", "line_manager_id", "roles"),
    optional=("geographical_area",),
    max_lengths={"staff_id": 64, "name": 200, "email": 150, "job_role": 200, "geographical_area": 100},
)
CASES = TableSpec(
    key="cases",
    file_name="cases.csv",
    sheet_name="Cases",
    required=(
        "case_id",
        "child_id",
        "child_name",
        "date_of_birth",
        "team_id",
        "allocated_worker_id",
        "case_type",
        "start_date",
        "closed_date",
        "restricted",
        "last_audited_on",
    ),
    optional=("gender", "ethnicity", "disability"),
    max_lengths={
        "case_id": 64,
        "child_id": 64,
        "child_name": 200,
        "gender": 50,
        "ethnicity": 100,
        "disability": 200,
    },
)
# Teams first, then staff (who sit in teams), then cases (in teams, allocated to staff).
TABLE_SPECS = (TEAMS, STAFF, CASES)
CASE_TYPES = ("early_help", "cin", "cp", "cla", "care_leaver")


def header_name(raw: Any) -> str:
    """Header names are case-insensitive and surrounding spaces are ignored."""
    return cell_text(raw).strip().lower()


def cell_text(value: Any) -> str:
    """A cell as text: .xlsx cells arrive typed (dates, numbers, booleans), CSV cells as text."""
    if type(value) is str:  # every CSV cell: the fast path
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def parse_date(text: str) -> datetime.date | None:
    """ISO YYYY-MM-DD or UK DD/MM/YYYY; empty is None. Raises ValueError with a plain message."""
    if not text:
        return None
    match = _ISO_DATE.match(text)
    if match:
        year, month, day = (int(part) for part in match.groups())
    else:
        match = _UK_DATE.match(text)
        if not match:
            raise ValueError(f'"{text}" is not a date: use YYYY-MM-DD or DD/MM/YYYY')
        day, month, year = (int(part) for part in match.groups())
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise ValueError(f'"{text}" is not a real date') from None


def parse_flag(text: str) -> bool:
    """yes/no, true/false or 1/0, in any case. Raises ValueError with a plain message."""
    try:
        return _FLAGS[text.strip().lower()]
    except KeyError:
        raise ValueError(f'"{text}" is not yes or no: use yes/no, true/false or 1/0') from None


def parse_roles(text: str) -> list[str]:
    """Role codes separated by ";" (blank parts ignored), in file order without repeats."""
    roles: list[str] = []
    for part in text.split(";"):
        code = part.strip().lower()
        if code and code not in roles:
            roles.append(code)
    return roles


def email_is_valid(text: str) -> bool:
    try:
        validate_email(text)
    except ValidationError:
        return False
    return True
