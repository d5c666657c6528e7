"""The upload page and import history: QA officers and administrators only (INT-1, SEC-1)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from caseaudit.cases.models import Case, RegisterImport
from caseaudit.cases.tests.test_import_support import case, csv_text, register_rows, staff, write_zip
from caseaudit.core.models import AccessLog
from caseaudit.org.models import Staff
from caseaudit.org.tests.factories import StaffFactory

pytestmark = pytest.mark.django_db
UPLOAD = reverse("cases:import")
HISTORY = reverse("cases:import-history")


@pytest.fixture
def qa(db):
    return StaffFactory(roles=["qa_officer"])


@pytest.fixture
def qa_client(client, qa):
    client.force_login(qa.user)
    return client


def _register_with(person) -> dict[str, list[dict[str, str]]]:
    """The test register, with the signed-in person in staff.csv (else the import would
    deactivate them as a leaver)."""
    tables = register_rows()
    tables["staff"].append(staff(person.staff_id, email=person.email, team_id="", roles="qa_officer"))
    return tables


def _csv(name: str, rows: list[dict[str, str]]) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, csv_text(rows).encode(), content_type="text/csv")


def test_the_upload_page(qa_client):
    response = qa_client.get(UPLOAD)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1 and "Import the case register" in html
    assert 'type="file"' in html and "multiple" in html and 'accept=".zip,.xlsx,.csv"' in html
    assert '<label class="govuk-label govuk-label--s" for="id_register_file">' in html
    assert "Register file" in html and "Upload and import" in html
    assert 'href="#columns"' in html and 'id="columns"' in html


def test_a_successful_upload_redirects_to_the_result(qa_client, qa, tmp_path):
    archive = write_zip(tmp_path / "register.zip", _register_with(qa))
    upload = SimpleUploadedFile("register.zip", archive.read_bytes(), content_type="application/zip")
    response = qa_client.post(UPLOAD, {"register_file": [upload]})
    record = RegisterImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{HISTORY}?imported={record.pk}"
    assert (record.ok, record.via) == (True, "web")
    result = qa_client.get(response["Location"])
    html = result.content.decode()
    assert "govuk-notification-banner--success" in html
    assert "The register was imported from register.zip" in html
    assert Case.objects.count() == 4


def test_several_csv_files_in_one_upload(qa_client):
    tables = register_rows()
    files = [_csv(f"{name}.csv", rows) for name, rows in tables.items()]
    response = qa_client.post(UPLOAD, {"register_file": files})
    assert response.status_code == 302
    assert Case.objects.count() == 4


def test_a_bad_row_shows_the_error_summary_and_writes_nothing(qa_client):
    tables = register_rows()
    tables["cases"][1]["team_id"] = "T999"
    files = [_csv(f"{name}.csv", rows) for name, rows in tables.items()]
    response = qa_client.post(UPLOAD, {"register_file": files})
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html and "There is a problem" in html
    assert "cases.csv line 3, column team_id: no team &quot;T999&quot; in teams.csv or the register" in html
    assert "govuk-error-message" in html and "nothing was imported" in html
    assert "<title>Error: " in html
    assert Case.objects.count() == 0
    assert RegisterImport.objects.get().ok is False


def test_the_error_list_is_capped(qa_client, qa):
    first = case("C1", team_id=qa.team.team_id, allocated_worker_id="", case_type="bad")
    rows = [dict(first, case_id=f"C{n}") for n in range(250)]
    response = qa_client.post(UPLOAD, {"register_file": [_csv("cases.csv", rows)]})
    html = response.content.decode()
    assert html.count("column case_type: bad case_type") == 200
    assert "and 50 more errors not shown" in html


def test_an_unusable_upload_is_a_field_error(qa_client):
    bad = SimpleUploadedFile("register.zip", b"not a zip", content_type="application/zip")
    response = qa_client.post(UPLOAD, {"register_file": [bad]})
    assert response.status_code == 200
    assert "not a readable .zip file" in response.content.decode()
    response = qa_client.post(UPLOAD, {})
    assert "Select the register file to import" in response.content.decode()


def test_a_social_worker_gets_404_and_the_denial_is_logged(client):
    worker = StaffFactory(roles=["social_worker"])
    client.force_login(worker.user)
    assert client.get(UPLOAD).status_code == 404
    assert client.post(UPLOAD, {}).status_code == 404
    assert client.get(HISTORY).status_code == 404
    denials = AccessLog.objects.filter(outcome="denied", object_type="register_import", actor=worker.user)
    assert denials.filter(object_ref="upload").count() == 2
    assert denials.filter(object_ref="history").count() == 1


def test_signed_out_people_are_sent_to_sign_in(client):
    response = client.get(UPLOAD)
    assert response.status_code == 302 and reverse("accounts:sign-in") in response["Location"]


def test_an_administrator_sees_the_history_newest_first(client, tmp_path):
    admin = StaffFactory(roles=["administrator"], name="Ada Admin")
    client.force_login(admin.user)
    first = RegisterImport.objects.create(source_name="first.zip", ok=True, counts={}, actor=admin.user)
    second = RegisterImport.objects.create(source_name="second.zip", ok=False, error_count=3, via="web")
    html = client.get(HISTORY).content.decode()
    assert html.index(second.source_name) < html.index(first.source_name)
    assert "3 errors, nothing written" in html and "Ada Admin" in html
    assert '<th scope="col" class="govuk-table__header">When</th>' in html


def test_history_is_paginated(qa_client):
    RegisterImport.objects.bulk_create([RegisterImport(source_name=f"r{n}.zip") for n in range(30)])
    first_page = qa_client.get(HISTORY).content.decode()
    assert first_page.count("govuk-tag--red") == 25 and 'rel="next"' in first_page
    second_page = qa_client.get(HISTORY, {"page": 2}).content.decode()
    assert second_page.count("govuk-tag--red") == 5


def test_an_import_that_would_deactivate_most_staff_asks_to_be_confirmed(qa_client, qa):
    tables = _register_with(qa)
    first = [_csv("teams.csv", tables["teams"]), _csv("staff.csv", tables["staff"])]
    assert qa_client.post(UPLOAD, {"register_file": first}).status_code == 302
    only_the_head = [tables["staff"][0]]  # S2..S5 leave; the QA officer importing is never deactivated
    response = qa_client.post(UPLOAD, {"register_file": [_csv("staff.csv", only_the_head)]})
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html and "Nothing was imported" in html
    assert "This import would deactivate 4 of the 6 active staff (and their sign-ins)" in html
    assert 'href="#confirm_removals"' in html and 'id="confirm_removals"' in html
    assert "Yes, deactivate 4 staff and take 0 cases out of the latest import" in html
    assert "Choose the file again as well" in html
    assert 'name="confirmed_staff" value="4"' in html and 'name="confirmed_cases" value="0"' in html
    assert Staff.objects.filter(is_active=True).count() == 6

    confirmed = qa_client.post(
        UPLOAD,
        {
            "register_file": [_csv("staff.csv", only_the_head)],
            "confirm_removals": "on",
            "confirmed_staff": "4",
            "confirmed_cases": "0",
        },
    )
    assert confirmed.status_code == 302
    assert Staff.objects.filter(is_active=True).count() == 2  # the head of service and the QA officer
    result = qa_client.get(confirmed["Location"]).content.decode()
    assert "Staff deactivated, with their sign-ins, because they are not in this import: 4" in result
    assert "Not in this import" in result
    history = qa_client.get(HISTORY).content.decode()
    assert "Staff: 0 created, 0 updated, 1 unchanged, 4 not in this import, 4 deactivated" in history
    assert "Not confirmed: would have deactivated 4 of 6 active staff" in history


def test_a_confirmation_for_fewer_removals_asks_again(qa_client, qa):
    tables = _register_with(qa)
    first = [_csv("teams.csv", tables["teams"]), _csv("staff.csv", tables["staff"])]
    assert qa_client.post(UPLOAD, {"register_file": first}).status_code == 302
    response = qa_client.post(
        UPLOAD,
        {
            "register_file": [_csv("staff.csv", [tables["staff"][0]])],
            "confirm_removals": "on",
            "confirmed_staff": "1",
            "confirmed_cases": "0",
        },
    )
    assert response.status_code == 200
    assert "Yes, deactivate 4 staff" in response.content.decode()
    assert Staff.objects.filter(is_active=True).count() == 6


@override_settings(REGISTER_IMPORT_MAX_UPLOAD_BYTES=100)
def test_an_upload_over_the_size_limit_is_a_clear_field_error(qa_client):
    response = qa_client.post(UPLOAD, {"register_file": [_csv("cases.csv", register_rows()["cases"])]})
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "the most one import takes is 100 bytes" in html
    assert "up to 100 bytes in all" in html  # the hint says so before anyone uploads
    assert not RegisterImport.objects.exists()


def test_a_header_only_file_is_an_error_naming_it(qa_client):
    header_only = SimpleUploadedFile("cases.csv", csv_text(register_rows()["cases"]).splitlines()[0].encode())
    html = qa_client.post(UPLOAD, {"register_file": [header_only]}).content.decode()
    assert "cases.csv: the file has a header but no data rows" in html
