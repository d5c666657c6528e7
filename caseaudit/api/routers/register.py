"""Importing the case register over the API (INT-1, INT-3): the same import as the upload page."""

from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest
from ninja import File, Router, Status, UploadedFile

from caseaudit.api.auth import api_auth
from caseaudit.api.problems import ApiProblem, Problem
from caseaudit.api.schemas import ImportProblem, ImportResult
from caseaudit.cases.importer import ImportSourceError, register_import_from_uploads

router = Router(tags=["register"])

ACCEPTED = "one .zip or .xlsx, or up to three CSV files (teams.csv, staff.csv, cases.csv)"


def import_error_ref(error: Mapping[str, Any]) -> str | None:
    """`cases.csv line 12`: the file (or sheet) and spreadsheet line an error is about."""
    file, line = error.get("file"), error.get("line")
    if file and line is not None:
        return f"{file} line {line}"
    if file:
        return str(file)
    return f"line {line}" if line is not None else None


def import_problem(import_errors: list[dict[str, Any]]) -> ApiProblem:
    errors = [
        {"ref": import_error_ref(e), "field": e.get("column"), "message": e.get("message", "")}
        for e in import_errors
    ]
    count = f"{len(errors)} error{'s' if len(errors) != 1 else ''}"
    return ApiProblem(
        422,
        f"The register was not imported: {count} in the data. Nothing was changed.",
        errors=errors,
        extra={"import_errors": import_errors},
    )


@router.post(
    "/register/imports",
    response={201: ImportResult, 400: Problem, 401: Problem, 403: Problem, 422: ImportProblem},
    summary="Import the case register",
    operation_id="register_imports_create",
    auth=api_auth(permission="cases.import_register", doing="import the register"),
    description=(
        f"Upload an export of the case-management system as multipart form data, field `files`: {ACCEPTED}. "
        "Either everything is imported (201, with counts of what was created, updated and unchanged, and "
        "any warnings) or nothing is (422, with every error by file, line and column, including a file that "
        "is not UTF-8). An unusable upload (not a readable .zip or .xlsx, a file not named as a register "
        "table, no register table in it) is 400. "
        "Needs `cases.import_register` (QA and administrators)."
    ),
)
def register_imports_create(request: HttpRequest, files: File[list[UploadedFile]]) -> Status:
    try:
        outcome = register_import_from_uploads(files=list(files), actor=request.user, via="api")
    except ImportSourceError as exc:
        raise ApiProblem(
            400,
            f"The upload could not be read: {exc}. Send {ACCEPTED}.",
            errors=[{"ref": "file", "field": "files", "message": str(exc)}],
        ) from exc
    result = outcome.as_json()
    if not outcome.ok:
        raise import_problem(list(result.get("errors", [])))
    return Status(201, result)
