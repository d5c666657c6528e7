"""An import cannot wipe the register by accident (issue 15): empty tables are errors, blank
lines are skipped with one warning, large removals must be confirmed, only imported staff are
deactivated and never the person importing, and errors beyond the first 1,000 are counted."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from caseaudit.cases.importer import Removals, register_import_from_uploads
from caseaudit.cases.importer import register_import_from_path as import_path
from caseaudit.cases.models import Case, RegisterImport
from caseaudit.cases.tests.test_import_support import (
    CASE_COLUMNS,
    case,
    csv_text,
    import_tables,
    register_rows,
    staff,
    write_register,
)
from caseaudit.org.models import Staff

pytestmark = pytest.mark.django_db


def _snapshot() -> dict[str, list[tuple]]:
    return {
        "staff": list(Staff.objects.order_by("pk").values_list("staff_id", "is_active", "in_latest_import")),
        "cases": list(Case.objects.order_by("pk").values_list("case_id", "in_latest_import")),
    }


def test_a_staff_file_with_only_its_header_is_an_error_naming_the_file(tmp_path):
    import_tables(tmp_path, register_rows())
    qa = Staff.objects.get(staff_id="S5")
    before = _snapshot()
    folder = write_register(tmp_path / "empty-staff", {})
    (folder / "staff.csv").write_text(",".join(staff("S1")) + "\n")

    outcome = import_path(path=folder, actor=qa.user)

    assert not outcome.ok
    [error] = outcome.errors
    assert (error.file, error.line) == ("staff.csv", None)
    assert str(error).startswith("staff.csv: the file has a header but no data rows")
    assert _snapshot() == before  # nobody deactivated, the QA officer included
    qa.user.refresh_from_db()
    assert qa.user.is_active


@pytest.mark.parametrize(
    "after_header",
    ["", "\n\n\n", ",,,,,,,,,,\n", " , ,\r\n,,\n"],
    ids=["header", "blank", "commas", "spaces"],
)
def test_a_cases_file_with_no_data_rows_is_refused_and_every_case_stays_listed(tmp_path, after_header):
    import_tables(tmp_path, register_rows())
    folder = write_register(tmp_path / "empty-cases", {})
    (folder / "cases.csv").write_text(",".join(CASE_COLUMNS) + "\n" + after_header)

    outcome = import_path(path=folder, actor=None)

    assert not outcome.ok
    assert [(e.file, e.line) for e in outcome.errors] == [("cases.csv", None)]
    assert "no data rows" in outcome.errors[0].message
    assert Case.objects.filter(in_latest_import=True).count() == 4


def test_a_blank_first_line_is_one_error():
    upload = SimpleUploadedFile("cases.csv", b"\n" + csv_text([case("C1")]).encode())
    outcome = register_import_from_uploads(files=[upload], actor=None)
    assert [str(e) for e in outcome.errors] == [
        "cases.csv: line 1 is blank: the first line of the file must be its header"
    ]


def test_blank_lines_are_skipped_with_one_warning_per_file(tmp_path):
    folder = write_register(tmp_path / "export", register_rows())
    lines = (folder / "cases.csv").read_text().splitlines()
    lines[2:2] = ["", ",,,,,,,,,,"]  # lines 3 and 4
    lines.append("   ,  ,")
    (folder / "cases.csv").write_text("\n".join(lines) + "\n\n")
    teams = (folder / "teams.csv").read_text()
    (folder / "teams.csv").write_text(teams + ",,,,\n")

    outcome = import_path(path=folder, actor=None)

    assert outcome.ok, [str(e) for e in outcome.errors]
    assert Case.objects.count() == 4
    assert [str(w) for w in outcome.warnings] == [
        "teams.csv: 1 blank line skipped (the first is line 4)",
        "cases.csv: 4 blank lines skipped (the first is line 3)",
    ]


def test_removing_more_than_a_fifth_must_be_confirmed_and_says_exactly_how_much(tmp_path):
    import_tables(tmp_path, register_rows())
    tables = register_rows()
    del tables["staff"][3:5]  # S4 and S5 leave: 2 of 5
    del tables["cases"][1:]  # only C1 stays: 3 of 4 cases gone
    tables["cases"][0]["allocated_worker_id"] = "S3"
    before = _snapshot()

    refused = import_tables(tmp_path, tables, name="smaller")

    assert not refused.ok and refused.confirmation_needed
    assert refused.removals == Removals(staff_deactivated=2, staff_active=5, cases_unlisted=3, cases_listed=4)
    assert refused.removals.message(0.2).startswith(
        "This import would deactivate 2 of the 5 active staff (and their sign-ins) and take 3 of "
        "the 4 cases out of the latest import"
    )
    assert [str(e) for e in refused.errors] == [
        "staff.csv: 2 of the 5 active staff are not in it and would be deactivated, with their sign-ins",
        'cases.csv: 3 of the 4 cases in the latest import are not in it and would be marked "not in the '
        'latest import"',
    ]
    assert refused.as_json()["removals"] == {
        "staff": {"deactivated": 2, "active": 5},
        "cases": {"not_in_latest_import": 3, "in_latest_import": 4},
    }
    assert _snapshot() == before
    record = RegisterImport.objects.order_by("-pk").first()
    assert (record.ok, record.counts["confirmation_needed"]["staff"]["deactivated"]) == (False, 2)

    confirmed = import_tables(tmp_path, tables, name="smaller-confirmed", confirm_removals=True)

    assert confirmed.ok
    assert confirmed.counts["staff"]["deactivated"] == 2
    assert confirmed.counts["cases"]["not_in_latest_import"] == 3
    assert Staff.objects.filter(is_active=False).count() == 2
    assert Case.objects.filter(in_latest_import=True).count() == 1


def test_a_confirmation_covers_only_the_numbers_confirmed(tmp_path):
    import_tables(tmp_path, register_rows())
    tables = {"cases": register_rows()["cases"][:1]}  # 3 of 4 cases would go
    folder = write_register(tmp_path / "later", tables)
    too_few = Removals(staff_deactivated=0, cases_unlisted=2)
    outcome = import_path(path=folder, actor=None, confirm_removals=True, confirmed_removals=too_few)
    assert outcome.confirmation_needed
    enough = Removals(staff_deactivated=0, cases_unlisted=3)
    assert import_path(path=folder, actor=None, confirm_removals=True, confirmed_removals=enough).ok


@override_settings(REGISTER_IMPORT_MAX_REMOVAL_SHARE=0.5)
def test_the_share_is_a_setting(tmp_path):
    import_tables(tmp_path, register_rows())
    tables = register_rows()
    del tables["staff"][3:5]  # 2 of 5 staff: 40%, under the 50% set here
    tables["cases"] = [case("C1"), case("C2", child_id="CHC1", child_name="Child C1", case_type="cp")]
    outcome = import_tables(tmp_path, tables, name="later")
    assert outcome.ok, [str(e) for e in outcome.errors]
    assert outcome.counts["staff"]["deactivated"] == 2


def test_the_person_importing_is_never_deactivated(tmp_path):
    import_tables(tmp_path, register_rows())
    qa = Staff.objects.get(staff_id="S5")  # created by that import
    tables = register_rows()
    del tables["staff"][4]

    outcome = import_tables(tmp_path, tables, name="without-me", actor=qa.user)

    assert outcome.ok, [str(e) for e in outcome.errors]
    assert outcome.counts["staff"]["deactivated"] == 0
    qa.refresh_from_db()
    qa.user.refresh_from_db()
    assert qa.is_active and qa.user.is_active
    assert any("never deactivates the person importing" in w.message for w in outcome.warnings)


def test_errors_beyond_the_first_thousand_are_counted_not_kept(tmp_path):
    rows = [case(f"C{n}", case_type="adoption", allocated_worker_id="") for n in range(1500)]
    outcome = import_tables(tmp_path, {"teams": register_rows()["teams"], "cases": rows})
    assert len(outcome.errors) == 1000 and outcome.errors_not_listed == 500
    assert outcome.errors[0].line == 2 and outcome.errors[-1].line == 1001
    assert outcome.as_json()["errors_not_listed"] == 500
    assert RegisterImport.objects.get().error_count == 1500
