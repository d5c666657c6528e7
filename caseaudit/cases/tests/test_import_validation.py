"""Every kind of error in the register is reported with its file, line, column and reason,
and a refused import writes nothing but its own record (INT-1, CONTRACTS §2)."""

import datetime

import pytest

from caseaudit.cases.importer import register_import_from_path
from caseaudit.cases.models import Case, Child, RegisterImport
from caseaudit.cases.tests.test_import_support import (
    CASE_COLUMNS,
    case,
    error_at,
    import_tables,
    register_rows,
    staff,
    write_register,
)
from caseaudit.core.models import AuditEvent
from caseaudit.org.models import Staff, Team
from caseaudit.org.tests.factories import StaffFactory, TeamFactory

pytestmark = pytest.mark.django_db
UNKNOWN_TEAM = 'no team "{}" in teams.csv or the register'


def test_a_valid_register_has_no_errors(tmp_path):
    outcome = import_tables(tmp_path, register_rows())
    assert outcome.ok, [str(e) for e in outcome.errors]
    assert outcome.errors == []


def test_missing_required_value(tmp_path):
    tables = register_rows()
    tables["cases"][1]["start_date"] = ""
    tables["teams"][0]["team_name"] = "  "
    outcome = import_tables(tmp_path, tables)
    assert not outcome.ok
    assert "missing required value" in error_at(outcome, "cases.csv", 3, "start_date").message
    assert "missing required value" in error_at(outcome, "teams.csv", 2, "team_name").message


def test_bad_date_in_either_format(tmp_path):
    tables = register_rows()
    tables["cases"][0]["start_date"] = "2026-02-30"
    tables["cases"][1]["last_audited_on"] = "5th May"
    tables["cases"][2]["closed_date"] = "31/13/2026"
    outcome = import_tables(tmp_path, tables)
    assert error_at(outcome, "cases.csv", 2, "start_date").message.startswith("bad date")
    assert "YYYY-MM-DD or DD/MM/YYYY" in error_at(outcome, "cases.csv", 3, "last_audited_on").message
    assert error_at(outcome, "cases.csv", 4, "closed_date").message.startswith("bad date")


def test_bad_flag(tmp_path):
    tables = register_rows()
    tables["cases"][3]["restricted"] = "maybe"
    tables["teams"][1]["eligible_for_audit"] = "Y"
    outcome = import_tables(tmp_path, tables)
    assert '"maybe" is not yes or no' in error_at(outcome, "cases.csv", 5, "restricted").message
    assert error_at(outcome, "teams.csv", 3, "eligible_for_audit").message.startswith("bad flag")


def test_flags_accept_yes_true_1_in_any_case(tmp_path):
    tables = register_rows()
    tables["cases"][0]["restricted"] = "TRUE"
    tables["cases"][1]["restricted"] = "1"
    tables["cases"][3]["restricted"] = "No"
    tables["teams"][1]["eligible_for_audit"] = "False"
    outcome = import_tables(tmp_path, tables)
    assert outcome.ok
    assert Case.objects.get(case_id="C1").restricted and Case.objects.get(case_id="C2").restricted
    assert not Case.objects.get(case_id="C4").restricted
    assert not Team.objects.get(team_id="T2").eligible_for_audit


def test_bad_case_type(tmp_path):
    tables = register_rows()
    tables["cases"][2]["case_type"] = "adoption"
    outcome = import_tables(tmp_path, tables)
    assert 'bad case_type "adoption"' in error_at(outcome, "cases.csv", 4, "case_type").message


def test_unknown_role(tmp_path):
    tables = register_rows()
    tables["staff"][2]["roles"] = "social_worker; wizard"
    outcome = import_tables(tmp_path, tables)
    assert 'unknown role "wizard"' in error_at(outcome, "staff.csv", 4, "roles").message


def test_invalid_email(tmp_path):
    tables = register_rows()
    tables["staff"][3]["email"] = "not-an-email"
    outcome = import_tables(tmp_path, tables)
    assert error_at(outcome, "staff.csv", 5, "email").message.startswith("invalid email")


def test_unknown_team_names_both_places_looked(tmp_path):
    tables = register_rows()
    tables["cases"][1]["team_id"] = "T999"
    tables["staff"][1]["team_id"] = "T998"
    outcome = import_tables(tmp_path, tables)
    assert (
        error_at(outcome, "cases.csv", 3, "team_id").message == 'no team "T999" in teams.csv or the register'
    )
    assert (
        error_at(outcome, "staff.csv", 3, "team_id").message == 'no team "T998" in teams.csv or the register'
    )


def test_worker_not_found(tmp_path):
    tables = register_rows()
    tables["cases"][0]["allocated_worker_id"] = "S404"
    outcome = import_tables(tmp_path, tables)
    message = error_at(outcome, "cases.csv", 2, "allocated_worker_id").message
    assert message == 'worker not found: no staff member "S404" in staff.csv or the register'


def test_line_manager_not_found(tmp_path):
    tables = register_rows()
    tables["staff"][2]["line_manager_id"] = "S404"
    outcome = import_tables(tmp_path, tables)
    assert "line manager not found" in error_at(outcome, "staff.csv", 4, "line_manager_id").message


def test_line_manager_may_be_on_a_later_line(tmp_path):
    tables = register_rows()
    tables["staff"].reverse()
    assert import_tables(tmp_path, tables).ok


def test_closed_before_it_started(tmp_path):
    tables = register_rows()
    tables["cases"][0]["closed_date"] = "2025-12-31"
    outcome = import_tables(tmp_path, tables)
    assert error_at(outcome, "cases.csv", 2, "closed_date").message.startswith("closed before it started")


def test_date_of_birth_in_the_future(tmp_path):
    tables = register_rows()
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    tables["cases"][3]["date_of_birth"] = tomorrow.isoformat()
    outcome = import_tables(tmp_path, tables)
    assert "in the future" in error_at(outcome, "cases.csv", 5, "date_of_birth").message


@pytest.mark.parametrize(
    ("table", "index", "column", "file"),
    [
        ("teams", 0, "team_id", "teams.csv"),
        ("staff", 3, "staff_id", "staff.csv"),
        ("cases", 0, "case_id", "cases.csv"),
    ],
)
def test_duplicate_ids_name_both_lines(tmp_path, table, index, column, file):
    tables = register_rows()
    duplicate = dict(tables[table][index])
    if table == "staff":
        duplicate["email"] = "someone.else@example.test"
    tables[table].append(duplicate)
    line = len(tables[table]) + 1
    outcome = import_tables(tmp_path, tables)
    message = error_at(outcome, file, line, column).message
    assert message.startswith("duplicate") and f"line {index + 2} and line {line}" in message


def test_duplicate_email_ignores_case(tmp_path):
    tables = register_rows()
    tables["staff"][4]["email"] = "S3@EXAMPLE.test"
    outcome = import_tables(tmp_path, tables)
    message = error_at(outcome, "staff.csv", 6, "email").message
    assert message == 'duplicate email "s3@example.test": on line 4 and line 6'


def test_duplicate_email_of_someone_in_the_register(tmp_path):
    StaffFactory(staff_id="X1", email="taken@example.test")
    tables = register_rows()
    tables["staff"][3]["email"] = "Taken@example.test"
    outcome = import_tables(tmp_path, tables)
    assert '"X1"' in error_at(outcome, "staff.csv", 5, "email").message


def test_same_child_with_a_different_name_or_date_of_birth(tmp_path):
    tables = register_rows()
    tables["cases"][1]["child_name"] = "Child Other"  # C2 is the same child as C1 (line 2)
    tables["cases"].append(case("C5", child_id="CHC1", child_name="Child C1", date_of_birth="2016-01-01"))
    outcome = import_tables(tmp_path, tables)
    assert "line 2 and line 3" in error_at(outcome, "cases.csv", 3, "child_name").message
    assert "line 2 and line 6" in error_at(outcome, "cases.csv", 6, "date_of_birth").message


def test_a_line_management_cycle_is_reported_on_every_row_in_it(tmp_path):
    tables = register_rows()
    tables["staff"][0]["line_manager_id"] = "S3"  # S1 > S2 > S3 > S1
    outcome = import_tables(tmp_path, tables)
    for line in (2, 3, 4):
        assert "cycle" in error_at(outcome, "staff.csv", line, "line_manager_id").message
    assert not [e for e in outcome.errors if e.line in (5, 6)]  # S4, S5 are only below it


def test_a_cycle_through_the_register(tmp_path):
    boss = StaffFactory(staff_id="B1", team=None)
    worker = StaffFactory(staff_id="B2", team=None, line_manager=boss)
    tables = {"staff": [staff("B1", email=boss.email, team_id="", line_manager_id=worker.staff_id)]}
    outcome = import_tables(tmp_path, tables)
    assert "B1 → B2 → B1" in error_at(outcome, "staff.csv", 2, "line_manager_id").message


def test_missing_required_column_is_one_error(tmp_path):
    tables = register_rows()
    columns = [c for c in CASE_COLUMNS if c != "team_id"]
    folder = write_register(tmp_path / "export", tables, cases=columns)
    outcome = register_import_from_path(path=folder, actor=None)
    column_errors = [e for e in outcome.errors if e.file == "cases.csv"]
    assert [(e.line, e.column) for e in column_errors] == [(1, "team_id")]
    assert column_errors[0].message == 'missing required column "team_id"'


def test_header_names_ignore_case_spaces_and_order(tmp_path):
    tables = register_rows()
    folder = write_register(tmp_path / "export", tables)
    text = (folder / "teams.csv").read_text().splitlines()
    text[0] = " Eligible_For_Audit ,TEAM_ID,team_name, Service_Area ,geographical_area"
    rows = [line.split(",") for line in text[1:]]
    text[1:] = [",".join([r[4], r[0], r[1], r[2], r[3]]) for r in rows]
    (folder / "teams.csv").write_text("\n".join(text) + "\n")
    outcome = register_import_from_path(path=folder, actor=None)
    assert outcome.ok, [str(e) for e in outcome.errors]
    assert not Team.objects.get(team_id="T2").eligible_for_audit


def test_unknown_extra_column_is_a_warning(tmp_path):
    tables = register_rows()
    for row in tables["cases"]:
        row["Social worker notes"] = "x"
    outcome = import_tables(tmp_path, tables)
    assert outcome.ok
    [warning] = outcome.warnings
    assert (warning.file, warning.line, warning.column) == ("cases.csv", None, "Social worker notes")
    assert outcome.as_json()["warnings"] == [warning.as_dict()]


def test_every_error_is_reported_not_just_the_first(tmp_path):
    tables = register_rows()
    for row in tables["cases"]:
        row["case_type"] = "unknown"
    outcome = import_tables(tmp_path, tables)
    assert [e.line for e in outcome.errors if e.column == "case_type"] == [2, 3, 4, 5]


def test_references_resolve_against_the_register(tmp_path):
    existing_team = TeamFactory(team_id="RT1")
    worker = StaffFactory(staff_id="RS1", team=existing_team)
    outcome = import_tables(
        tmp_path, {"cases": [case("C9", team_id="RT1", allocated_worker_id=worker.staff_id)]}
    )
    assert outcome.ok, [str(e) for e in outcome.errors]
    assert Case.objects.get(case_id="C9").allocated_worker == worker


def test_refusal_writes_nothing_but_its_record(tmp_path):
    assert import_tables(tmp_path, register_rows(), name="first").ok
    before = {
        "cases": list(Case.objects.values().order_by("pk")),
        "children": list(Child.objects.values().order_by("pk")),
        "staff": list(Staff.objects.values().order_by("pk")),
        "teams": list(Team.objects.values().order_by("pk")),
        "events": AuditEvent.objects.count(),
    }
    tables = register_rows()
    tables["teams"][0]["team_name"] = "Renamed"
    tables["staff"].append(staff("S6"))
    tables["cases"][0]["case_type"] = "cla"
    tables["cases"].append(case("C5", team_id="T999"))
    outcome = import_tables(tmp_path, tables, name="second")
    assert not outcome.ok
    after = {
        "cases": list(Case.objects.values().order_by("pk")),
        "children": list(Child.objects.values().order_by("pk")),
        "staff": list(Staff.objects.values().order_by("pk")),
        "teams": list(Team.objects.values().order_by("pk")),
        "events": AuditEvent.objects.count(),
    }
    assert after == before
    record = RegisterImport.objects.order_by("-id").first()
    assert record == outcome.register_import
    assert (record.ok, record.error_count, record.finished_at is not None) == (False, 1, True)
