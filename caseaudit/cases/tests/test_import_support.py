"""Builders for register files in tmp_path (synthetic data only), shared by the import tests."""

import csv
import io
import zipfile
from pathlib import Path
from typing import Any

from caseaudit.cases.importer import ImportOutcome, ImportProblem, register_import_from_path

TEAM_COLUMNS = ["team_id", "team_name", "service_area", "geographical_area", "eligible_for_audit"]
STAFF_COLUMNS = ["staff_id", "name", "email", "job_role", "team_id", "line_manager_id", "roles"]
CASE_COLUMNS = [
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
]


def team(team_id: str = "T1", **values: str) -> dict[str, str]:
    row = {
        "team_id": team_id,
        "team_name": f"Team {team_id}",
        "service_area": "Children's social work",
        "geographical_area": "North",
        "eligible_for_audit": "yes",
    }
    return row | values


def staff(staff_id: str, **values: str) -> dict[str, str]:
    row = {
        "staff_id": staff_id,
        "name": f"Person {staff_id}",
        "email": f"{staff_id.lower()}@example.test",
        "job_role": "Social worker",
        "team_id": "T1",
        "line_manager_id": "",
        "roles": "social_worker",
    }
    return row | values


def case(case_id: str, **values: str) -> dict[str, str]:
    row = {
        "case_id": case_id,
        "child_id": f"CH{case_id}",
        "child_name": f"Child {case_id}",
        "date_of_birth": "2015-03-14",
        "team_id": "T1",
        "allocated_worker_id": "S3",
        "case_type": "cin",
        "start_date": "2026-01-05",
        "closed_date": "",
        "restricted": "no",
        "last_audited_on": "",
    }
    return row | values


def register_rows() -> dict[str, list[dict[str, str]]]:
    """A small authority: head of service S1 > practice manager S2 > workers S3, S4; QA S5."""
    return {
        "teams": [team("T1"), team("T2", geographical_area="South", eligible_for_audit="no")],
        "staff": [
            staff("S1", job_role="Head of service", team_id="", roles="head_of_service"),
            staff("S2", line_manager_id="S1", roles="practice_manager;group_manager"),
            staff("S3", line_manager_id="S2"),
            staff("S4", team_id="T2", line_manager_id="S2"),
            staff("S5", email="Quinn.QA@Example.test", team_id="", line_manager_id="S1", roles="qa_officer"),
        ],
        "cases": [
            case("C1"),
            case("C2", child_id="CHC1", child_name="Child C1", case_type="cp", closed_date="01/03/2026"),
            case(
                "C3", team_id="T2", allocated_worker_id="S4", restricted="yes", last_audited_on="2025-10-03"
            ),
            case("C4", allocated_worker_id="", case_type="early_help"),
        ],
    }


def csv_text(rows: list[dict[str, str]], columns: list[str] | None = None) -> str:
    columns = columns or list(rows[0])
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(column, "") for column in columns])
    return out.getvalue()


def write_register(folder: Path, tables: dict[str, list[dict[str, str]]], **columns: list[str]) -> Path:
    """Write `{"teams": rows, ...}` as teams.csv etc. in `folder`; returns the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        (folder / f"{name}.csv").write_text(csv_text(rows, columns.get(name)), encoding="utf-8")
    return folder


def write_zip(path: Path, tables: dict[str, list[dict[str, str]]], prefix: str = "") -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, rows in tables.items():
            archive.writestr(f"{prefix}{name}.csv", csv_text(rows))
    return path


def write_xlsx(path: Path, tables: dict[str, list[dict[str, Any]]]) -> Path:
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in tables.items():
        sheet = workbook.create_sheet(name.capitalize())
        columns = list(rows[0])
        sheet.append(columns)
        for row in rows:
            sheet.append([row[column] for column in columns])
    workbook.save(path)
    return path


def import_tables(
    tmp_path: Path,
    tables: dict[str, list[dict[str, str]]],
    name: str = "export",
    *,
    confirm_removals: bool = False,
    actor: Any = None,
) -> ImportOutcome:
    return register_import_from_path(
        path=write_register(tmp_path / name, tables), actor=actor, confirm_removals=confirm_removals
    )


def error_at(outcome: ImportOutcome, file: str, line: int | None, column: str | None) -> ImportProblem:
    """The one error at that place (fails the test, listing every error, if there is none)."""
    found = [e for e in outcome.errors if (e.file, e.line, e.column) == (file, line, column)]
    assert found, (
        f"no error at {file} line {line} column {column}; errors: {[str(e) for e in outcome.errors]}"
    )
    return found[0]
