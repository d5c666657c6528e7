"""Where the register comes from: folders, .zip, .xlsx, uploads, and files that cannot be used."""

import datetime
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from caseaudit.cases.importer import (
    ImportSourceError,
    register_import_from_path,
    register_import_from_uploads,
)
from caseaudit.cases.models import Case, RegisterImport
from caseaudit.cases.tests.test_import_support import (
    csv_text,
    error_at,
    register_rows,
    write_register,
    write_xlsx,
    write_zip,
)
from caseaudit.org.models import Staff, Team

pytestmark = pytest.mark.django_db


def test_a_zip_with_the_files_in_a_folder(tmp_path):
    path = write_zip(tmp_path / "register.zip", register_rows(), prefix="export-2026-01/")
    outcome = register_import_from_path(path=path, actor=None)
    assert outcome.ok, [str(e) for e in outcome.errors]
    assert Case.objects.count() == 4
    assert outcome.register_import.source_name.endswith("register.zip")


def test_an_xlsx_workbook_with_typed_cells(tmp_path):
    tables: dict = register_rows()
    tables["cases"][0]["start_date"] = datetime.datetime(2026, 1, 5)  # Excel date cells
    tables["cases"][0]["restricted"] = False
    tables["teams"][0]["eligible_for_audit"] = True
    tables["staff"][0]["staff_id"] = 1  # a numeric ID cell
    tables["staff"][1]["line_manager_id"] = 1.0
    tables["staff"][4]["line_manager_id"] = 1
    path = write_xlsx(tmp_path / "register.xlsx", tables)
    outcome = register_import_from_path(path=path, actor=None)
    assert outcome.ok, [str(e) for e in outcome.errors]
    assert Case.objects.get(case_id="C1").start_date == datetime.date(2026, 1, 5)
    assert Staff.objects.get(staff_id="S2").line_manager.staff_id == "1"


def test_xlsx_errors_name_the_sheet(tmp_path):
    tables = register_rows()
    tables["cases"][1]["team_id"] = "T999"
    outcome = register_import_from_path(path=write_xlsx(tmp_path / "r.xlsx", tables), actor=None)
    error = error_at(outcome, "Cases", 3, "team_id")
    assert error.message == 'no team "T999" in the Teams sheet or the register'
    assert str(error).startswith("Cases sheet line 3, column team_id: ")
    assert error.as_dict() == {"file": "Cases", "line": 3, "column": "team_id", "message": error.message}


def test_a_csv_with_a_byte_order_mark(tmp_path):
    folder = write_register(tmp_path / "export", register_rows())
    for name in ("teams", "staff", "cases"):
        path = folder / f"{name}.csv"
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    outcome = register_import_from_path(path=folder, actor=None)
    assert outcome.ok, [str(e) for e in outcome.errors]
    assert outcome.warnings == []


def test_a_file_that_is_not_utf8_is_one_clear_error(tmp_path):
    tables = register_rows()
    tables["staff"][2]["name"] = "Zoë Café"
    folder = write_register(tmp_path / "export", tables)
    (folder / "staff.csv").write_bytes(csv_text(tables["staff"]).encode("cp1252"))
    outcome = register_import_from_path(path=folder, actor=None)
    assert not outcome.ok
    [error] = [e for e in outcome.errors if e.file == "staff.csv"]
    assert (error.line, error.column) == (None, None)
    assert "staff.csv is not UTF-8" in error.message
    assert Staff.objects.count() == 0


def test_only_some_of_the_files(tmp_path):
    outcome = register_import_from_path(
        path=write_register(tmp_path / "export", {"teams": register_rows()["teams"]}), actor=None
    )
    assert outcome.ok and Team.objects.count() == 2


@pytest.mark.parametrize("name", ["missing", "missing.zip"])
def test_no_such_path(tmp_path, name):
    with pytest.raises(ImportSourceError, match="no file or folder"):
        register_import_from_path(path=tmp_path / name, actor=None)


def test_corrupt_zip_and_xlsx(tmp_path):
    (tmp_path / "broken.zip").write_bytes(b"PK\x03\x04 not really a zip")
    (tmp_path / "broken.xlsx").write_bytes(b"not a workbook")
    with pytest.raises(ImportSourceError, match=r"not a readable \.zip"):
        register_import_from_path(path=tmp_path / "broken.zip", actor=None)
    with pytest.raises(ImportSourceError, match=r"not a readable \.xlsx"):
        register_import_from_path(path=tmp_path / "broken.xlsx", actor=None)
    assert RegisterImport.objects.count() == 0


def test_no_recognised_file(tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.txt").write_text("hello")
    write_zip(tmp_path / "other.zip", {"people": register_rows()["staff"]})
    with pytest.raises(ImportSourceError, match="holds none of"):
        register_import_from_path(path=tmp_path / "empty", actor=None)
    with pytest.raises(ImportSourceError, match="holds none of"):
        register_import_from_path(path=tmp_path / "other.zip", actor=None)


def test_an_empty_file(tmp_path):
    folder = write_register(tmp_path / "export", {"teams": register_rows()["teams"]})
    (folder / "cases.csv").write_text("")
    outcome = register_import_from_path(path=folder, actor=None)
    assert "empty" in error_at(outcome, "cases.csv", None, None).message


def _upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def test_uploaded_csv_files_are_matched_by_name(tmp_path):
    tables = register_rows()
    files = [_upload(f"{name.upper()}.CSV", csv_text(rows).encode()) for name, rows in tables.items()]
    outcome = register_import_from_uploads(files=files, actor=None)
    assert outcome.ok, [str(e) for e in outcome.errors]
    assert outcome.register_import.via == "web"
    assert Case.objects.count() == 4


def test_an_uploaded_zip_and_xlsx(tmp_path):
    zip_path = write_zip(tmp_path / "r.zip", register_rows())
    assert register_import_from_uploads(files=[_upload("r.zip", zip_path.read_bytes())], actor=None).ok
    xlsx_path = write_xlsx(tmp_path / "r.xlsx", register_rows())
    outcome = register_import_from_uploads(files=[_upload("r.xlsx", xlsx_path.read_bytes())], actor=None)
    assert outcome.counts["cases"]["unchanged"] == 4


@pytest.mark.parametrize(
    "names",
    [[], ["people.csv"], ["teams.csv", "teams.csv"], ["register.zip", "cases.csv"]],
)
def test_uploads_that_are_not_a_register(names):
    with pytest.raises(ImportSourceError):
        register_import_from_uploads(files=[_upload(name, b"x") for name in names], actor=None)


def test_a_single_csv_file_path(tmp_path: Path):
    folder = write_register(tmp_path / "export", {"teams": register_rows()["teams"]})
    assert register_import_from_path(path=folder / "teams.csv", actor=None).ok


def test_a_non_utf8_file_inside_a_zip(tmp_path):
    path = tmp_path / "r.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            "teams.csv", csv_text(register_rows()["teams"]).replace("North", "Nørth").encode("latin-1")
        )
    outcome = register_import_from_path(path=path, actor=None)
    assert "teams.csv is not UTF-8" in error_at(outcome, "teams.csv", None, None).message


def test_xlsx_missing_column_and_extra_column(tmp_path):
    tables: dict = register_rows()
    for row in tables["teams"]:
        del row["eligible_for_audit"]
        row["Manager"] = "someone"
    outcome = register_import_from_path(path=write_xlsx(tmp_path / "r.xlsx", tables), actor=None)
    assert error_at(outcome, "Teams", 1, "eligible_for_audit").message == (
        'missing required column "eligible_for_audit"'
    )
    assert [(w.file, w.column) for w in outcome.warnings] == [("Teams", "Manager")]
