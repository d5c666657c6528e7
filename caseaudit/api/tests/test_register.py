"""POST /api/register/imports: the importer's outcome as 201, 422 or 400 (INT-1, INT-3).

These tests stand in for the importer to check the API's side of the contract; the
end-to-end import is in test_register_import.py."""

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from caseaudit.api.tests.conftest import assert_problem
from caseaudit.cases.importer import ImportOutcome, ImportProblem, ImportSourceError
from caseaudit.cases.importer.problems import empty_counts
from caseaudit.conftest import Authority, user_for

URL = "/api/register/imports"


class FakeImporter:
    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []
        self.outcome: ImportOutcome | Exception = ImportOutcome(
            ok=True, counts=empty_counts(), warnings=[], errors=[], register_import=None
        )

    def __call__(
        self, *, files: list[Any], actor: Any, via: str, confirm_removals: bool = False
    ) -> ImportOutcome:
        self.calls.append(
            {
                "names": [f.name for f in files],
                "actor": actor,
                "via": via,
                "confirm_removals": confirm_removals,
            }
        )
        if isinstance(self.outcome, Exception):
            raise self.outcome
        return self.outcome


@pytest.fixture
def importer(monkeypatch: pytest.MonkeyPatch) -> FakeImporter:
    fake = FakeImporter()
    monkeypatch.setattr("caseaudit.api.routers.register.register_import_from_uploads", fake)
    return fake


@pytest.fixture
def qa_api(authority: Authority, token_client: Callable[[Any], Client]) -> Client:
    return token_client(user_for(authority, "qa_officer"))


def csv_files(*names: str) -> list[SimpleUploadedFile]:
    return [SimpleUploadedFile(name, b"header\n", content_type="text/csv") for name in names]


def test_success_is_201_with_the_importers_json(
    qa_api: Client, authority: Authority, importer: FakeImporter
) -> None:
    counts = empty_counts()
    counts["cases"] = {"created": 3, "updated": 1, "unchanged": 7}
    warning = ImportProblem(file="cases.csv", line=None, column="colour", message="unknown column, ignored")
    importer.outcome = ImportOutcome(
        ok=True, counts=counts, warnings=[warning], errors=[], register_import=None
    )
    response = qa_api.post(URL, {"files": csv_files("teams.csv", "staff.csv", "cases.csv")})
    assert response.status_code == 201, response.content
    assert response.json() == importer.outcome.as_json()
    assert importer.calls == [
        {
            "names": ["teams.csv", "staff.csv", "cases.csv"],
            "actor": user_for(authority, "qa_officer"),
            "via": "api",
            "confirm_removals": False,
        }
    ]


def test_refusal_is_422_with_every_error(qa_api: Client, importer: FakeImporter) -> None:
    errors = [
        ImportProblem(file="cases.csv", line=12, column="team_id", message='no team "T999" in teams.csv'),
        ImportProblem(file="staff.csv", line=None, column="roles", message="the column roles is missing"),
        ImportProblem(file="Cases", line=4, column=None, message="a line-management cycle", kind="sheet"),
    ]
    importer.outcome = ImportOutcome(ok=False, counts={}, warnings=[], errors=errors, register_import=None)
    body = assert_problem(qa_api.post(URL, {"files": csv_files("cases.csv")}), 422)
    assert body["type"].endswith("/refused")
    assert body["errors"] == [
        {"ref": "cases.csv line 12", "field": "team_id", "message": 'no team "T999" in teams.csv'},
        {"ref": "staff.csv", "field": "roles", "message": "the column roles is missing"},
        {"ref": "Cases line 4", "field": None, "message": "a line-management cycle"},
    ]
    assert body["import_errors"] == [e.as_dict() for e in errors]
    assert "3 errors" in body["detail"]


def test_unusable_upload_is_400(qa_api: Client, importer: FakeImporter) -> None:
    importer.outcome = ImportSourceError("register.zip is not a readable .zip file")
    body = assert_problem(qa_api.post(URL, {"files": csv_files("register.zip")}), 400)
    assert "register.zip is not a readable .zip file" in body["detail"]
    assert body["errors"] == [
        {"ref": "file", "field": "files", "message": "register.zip is not a readable .zip file"}
    ]


def test_no_files_is_400(qa_api: Client, importer: FakeImporter) -> None:
    body = assert_problem(qa_api.post(URL, {}), 400)
    assert body["errors"][0]["field"] == "files"
    assert importer.calls == []


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("social_worker", 403),
        ("practice_manager", 403),
        ("head_of_service", 403),
        ("moderator", 403),
        ("qa_officer", 201),
        ("head_of_qa", 201),
        ("administrator", 201),
        ("superuser", 201),
    ],
)
def test_who_may_import(
    authority: Authority, token_client: Callable[[Any], Client], importer: FakeImporter, who: str, status: int
) -> None:
    api = token_client(user_for(authority, who))
    response = api.post(URL, {"files": csv_files("cases.csv")})
    if status == 403:
        # The permission is checked before the upload is looked at.
        assert_problem(api.post(URL, {}), 403)
        body = assert_problem(response, 403)
        assert "import" in body["detail"]
        assert importer.calls == []
    else:
        assert response.status_code == status
