"""Importing the case register over the API (INT-1, INT-3): the same import as the upload page."""

from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest
from ninja import File, Form, Router, Status, UploadedFile

from caseaudit.api.auth import api_auth
from caseaudit.api.problems import ApiProblem, Problem
from caseaudit.api.schemas import ImportProblem, ImportResult
from caseaudit.cases.importer import (
    ImportOutcome,
    ImportSourceError,
    ImportTooLarge,
    register_import_from_uploads,
)
from caseaudit.cases.importer.problems import more_errors_text
from caseaudit.cases.importer.removals import removal_share

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


def _api_errors(import_errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {"ref": import_error_ref(e), "field": e.get("column"), "message": e.get("message", "")}
        for e in import_errors
    ]


def import_problem(import_errors: list[dict[str, Any]], errors_not_listed: int = 0) -> ApiProblem:
    total = len(import_errors) + errors_not_listed
    count = f"{total:,} error{'s' if total != 1 else ''}"
    listed = f" (the first {len(import_errors):,} are listed, {more_errors_text(errors_not_listed)})"
    return ApiProblem(
        422,
        f"The register was not imported: {count} in the data{listed if errors_not_listed else ''}. "
        "Nothing was changed.",
        errors=_api_errors(import_errors),
        extra={"import_errors": import_errors, "errors_not_listed": errors_not_listed},
    )


def _refusal(outcome: ImportOutcome) -> ApiProblem:
    result = outcome.as_json()
    import_errors = list(result.get("errors", []))
    if outcome.confirmation_needed and outcome.removals is not None:
        return ApiProblem(
            422,
            f"The register was not imported. {outcome.removals.message(removal_share())}: if the files are "
            "right, send them again with the form field `confirm_removals=true`.",
            errors=_api_errors(import_errors),
            extra={
                "import_errors": import_errors,
                "confirmation_needed": True,
                "removals": outcome.removals.as_dict(),
            },
        )
    if outcome.register_changed:
        return ApiProblem(
            409,
            f"The register was not imported: {outcome.errors[0].message}.",
            errors=_api_errors(import_errors),
            extra={"import_errors": import_errors},
        )
    return import_problem(import_errors, outcome.errors_not_listed)


@router.post(
    "/register/imports",
    response={
        201: ImportResult,
        400: Problem,
        401: Problem,
        403: Problem,
        409: Problem,
        413: Problem,
        422: ImportProblem,
    },
    summary="Import the case register",
    operation_id="register_imports_create",
    auth=api_auth(permission="cases.import_register", doing="import the register"),
    description=(
        f"Upload an export of the case-management system as multipart form data, field `files`: {ACCEPTED}. "
        "Either everything is imported (201, with counts of what was created, updated and unchanged, what "
        "is no longer in the latest import and which staff were deactivated, and any warnings) or nothing "
        "is (422, with the errors by file, line and column, including a file that is not UTF-8 or a table "
        "with no data rows; the first 1,000 are listed and `errors_not_listed` counts the rest). "
        "An import that would deactivate or take out of the latest import more than the set share "
        "(REGISTER_IMPORT_MAX_REMOVAL_SHARE, 20% by default) of the active staff or of the cases is refused "
        "(422, `confirmation_needed`, with the counts in `removals`) unless the form field "
        "`confirm_removals` is true. Only staff an earlier import created are deactivated, never the person "
        "importing. An unusable upload (not a readable .zip or .xlsx, a file not named as a register "
        "table, no register table in it) is 400; one over the size limits (the upload, a table once "
        "decompressed, lines per table) is 413; 409 when the register changed while the files were "
        "checked (send them again). "
        "Needs `cases.import_register` (QA and administrators)."
    ),
)
def register_imports_create(
    request: HttpRequest, files: File[list[UploadedFile]], confirm_removals: Form[bool] = False
) -> Status:
    try:
        outcome = register_import_from_uploads(
            files=list(files), actor=request.user, via="api", confirm_removals=confirm_removals
        )
    except ImportTooLarge as exc:
        raise ApiProblem(
            413,
            f"The upload is too large to import: {exc}.",
            errors=[{"ref": "file", "field": "files", "message": str(exc)}],
        ) from exc
    except ImportSourceError as exc:
        raise ApiProblem(
            400,
            f"The upload could not be read: {exc}. Send {ACCEPTED}.",
            errors=[{"ref": "file", "field": "files", "message": str(exc)}],
        ) from exc
    if not outcome.ok:
        raise _refusal(outcome)
    return Status(201, outcome.as_json())
