"""End to end: a register uploaded through the API is imported, or refused with every error."""

import io
import zipfile
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from caseaudit.api.tests.conftest import assert_problem
from caseaudit.cases.importer import service
from caseaudit.cases.models import RegisterImport
from caseaudit.org.tests.factories import StaffFactory, TeamFactory

URL = "/api/register/imports"

TEAMS = (
    "team_id,team_name,service_area,geographical_area,eligible_for_audit\n"
    "T1,Assessment East,Children's social work,East,yes\n"
)
STAFF = (
    "staff_id,name,email,job_role,team_id,line_manager_id,roles\n"
    "P1,Pat Manager,pat@example.test,Practice manager,T1,,practice_manager\n"
    "W1,Sam Worker,sam@example.test,Social worker,T1,P1,social_worker\n"
)
CASES_HEADER = (
    "case_id,child_id,child_name,date_of_birth,team_id,allocated_worker_id,case_type,start_date,"
    "closed_date,restricted,last_audited_on\n"
)
CASES = CASES_HEADER + "K1,CH1,Alex Child,2016-04-01,T1,W1,cin,2026-01-05,,no,\n"


def upload(name: str, text: str | bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode() if isinstance(text, str) else text)


@pytest.fixture
def qa(db: Any, token_client: Callable[[Any], Client]) -> Client:
    return token_client(StaffFactory(roles=["qa_officer"]).user)


def test_csv_files_are_imported(qa: Client) -> None:
    files = [upload("teams.csv", TEAMS), upload("staff.csv", STAFF), upload("cases.csv", CASES)]
    response = qa.post(URL, {"files": files})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["ok"] is True
    assert body["teams"]["created"] == 1 and body["staff"]["created"] == 2
    assert body["children"]["created"] == 1 and body["cases"]["created"] == 1
    assert body["staff"]["deactivated"] == 0 and body["cases"]["not_in_latest_import"] == 0
    assert RegisterImport.objects.filter(via="api", ok=True).count() == 1
    # The QA officer is not in staff.csv, but an import never deactivates the person importing
    # (nor anyone added by hand): they are told so, and keep working.
    assert any("never deactivates the person importing" in w["message"] for w in body["warnings"])
    assert [c["case_id"] for c in qa.get("/api/cases").json()["items"]] == ["K1"]


def test_a_zip_is_imported(qa: Client) -> None:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("teams.csv", TEAMS)
        zf.writestr("staff.csv", STAFF)
        zf.writestr("cases.csv", CASES)
    response = qa.post(URL, {"files": [upload("register.zip", archive.getvalue())]})
    assert response.status_code == 201, response.content


def test_errors_in_the_data_are_422_and_nothing_is_written(qa: Client) -> None:
    cases = CASES_HEADER + "K1,CH1,Alex Child,2016-04-01,T999,W1,cin,2026-01-05,,no,\n"
    files = [upload("teams.csv", TEAMS), upload("staff.csv", STAFF), upload("cases.csv", cases)]
    body = assert_problem(qa.post(URL, {"files": files}), 422)
    assert {"ref": "cases.csv line 2", "field": "team_id"} in [
        {"ref": e["ref"], "field": e["field"]} for e in body["errors"]
    ]
    assert body["import_errors"][0]["file"] == "cases.csv"
    assert qa.get("/api/teams").json()["count"] == 1  # the QA officer's own team only


@pytest.mark.parametrize(
    "files",
    [
        [("register.zip", b"this is not a zip")],
        [("notes.txt", b"hello")],
        [("register.xlsx", b"not a workbook")],
    ],
)
def test_an_unusable_upload_is_400(qa: Client, files: list[tuple[str, bytes]]) -> None:
    body = assert_problem(qa.post(URL, {"files": [upload(n, b) for n, b in files]}), 400)
    assert files[0][0] in body["detail"]
    assert [(e["ref"], e["field"]) for e in body["errors"]] == [("file", "files")]


def test_a_file_that_is_not_utf8_is_one_error_naming_it(qa: Client) -> None:
    body = assert_problem(
        qa.post(URL, {"files": [upload("cases.csv", "case_id\nK1 é\n".encode("latin-1"))]}), 422
    )
    assert len(body["errors"]) == 1
    assert body["errors"][0]["ref"] == "cases.csv" and "UTF-8" in body["errors"][0]["message"]


def test_removals_over_the_share_are_422_unless_confirm_removals(qa: Client) -> None:
    files = [upload("teams.csv", TEAMS), upload("staff.csv", STAFF), upload("cases.csv", CASES)]
    assert qa.post(URL, {"files": files}).status_code == 201
    only_the_manager = STAFF.splitlines()[0] + "\n" + STAFF.splitlines()[1] + "\n"

    body = assert_problem(qa.post(URL, {"files": [upload("staff.csv", only_the_manager)]}), 422)
    assert body["confirmation_needed"] is True
    assert body["removals"] == {
        "staff": {"deactivated": 1, "active": 3},
        "cases": {"not_in_latest_import": 0, "in_latest_import": 1},
    }
    assert "This import would deactivate 1 of the 3 active staff" in body["detail"]
    assert "confirm_removals=true" in body["detail"]
    assert body["errors"][0]["ref"] == "staff.csv"

    response = qa.post(URL, {"files": [upload("staff.csv", only_the_manager)], "confirm_removals": "true"})
    assert response.status_code == 201, response.content
    assert response.json()["staff"] == {
        "created": 0,
        "updated": 0,
        "unchanged": 1,
        "not_in_latest_import": 1,
        "deactivated": 1,
    }


@override_settings(REGISTER_IMPORT_MAX_UPLOAD_BYTES=100)
def test_an_upload_over_the_size_limit_is_413(qa: Client) -> None:
    body = assert_problem(qa.post(URL, {"files": [upload("cases.csv", CASES)]}), 413)
    assert "the most one import takes is 100 bytes" in body["detail"]
    assert [(e["ref"], e["field"]) for e in body["errors"]] == [("file", "files")]
    assert not RegisterImport.objects.exists()


@override_settings(REGISTER_IMPORT_MAX_TABLE_BYTES=1024 * 1024)
def test_a_zip_bomb_is_413_and_nothing_is_written(qa: Client) -> None:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("cases.csv", CASES + CASES.splitlines()[1] * 100_000)
    body = assert_problem(qa.post(URL, {"files": [upload("bomb.zip", archive.getvalue())]}), 413)
    assert "cases.csv in bomb.zip (once decompressed) holds more than 1 MB" in body["detail"]
    assert qa.get("/api/cases").json()["count"] == 0


def test_more_than_a_thousand_errors_are_counted(qa: Client) -> None:
    bad_rows = "".join(
        f"K{n},CH{n},Alex Child,2016-04-01,T1,,adoption,2026-01-05,,no,\n" for n in range(1200)
    )
    files = [upload("teams.csv", TEAMS), upload("cases.csv", CASES_HEADER + bad_rows)]
    body = assert_problem(qa.post(URL, {"files": files}), 422)
    assert len(body["errors"]) == len(body["import_errors"]) == 1000
    assert body["errors_not_listed"] == 200
    assert "1,200 errors in the data (the first 1,000 are listed, and 200 more errors)" in body["detail"]


def test_a_register_that_changes_while_it_is_checked_is_409(
    qa: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = service.register_validate

    def validate_while_someone_adds_a_team(source: Any) -> Any:
        TeamFactory()
        return real(source)

    monkeypatch.setattr(service, "register_validate", validate_while_someone_adds_a_team)
    body = assert_problem(qa.post(URL, {"files": [upload("teams.csv", TEAMS)]}), 409)
    assert "the register changed while this import was being checked" in body["detail"]
