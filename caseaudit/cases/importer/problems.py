"""What an import reports back: problems found in the files and the outcome (INT-1)."""

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from caseaudit.cases.importer.removals import Removals
    from caseaudit.cases.models import RegisterImport

TABLES = ("teams", "staff", "children", "cases")
# Issue 15: a broken export once produced 3.67 million errors (a 900 MB reply). The first
# ones are kept and listed; the rest are only counted, so memory stays flat.
ERRORS_KEPT = 1000


class ImportSourceError(Exception):
    """The source itself is unusable: no such path, a corrupt archive, no register file in it.
    The command exits 2 and the upload page shows the message; nothing is recorded."""


class ImportTooLarge(ImportSourceError):
    """The upload, a table once decompressed, or a table's number of lines is over its limit
    (settings REGISTER_IMPORT_MAX_*). Refused before anything is written; 413 in the API."""


@dataclass(frozen=True)
class ImportProblem:
    """An error or warning about one place in the files. `line` is the spreadsheet line
    (header = line 1); `file` is the file name, or the sheet name for an .xlsx workbook."""

    file: str
    line: int | None
    column: str | None
    message: str
    # "file" or "sheet": an .xlsx problem says it is about a sheet (CONTRACTS §2).
    kind: str = field(default="file", compare=False)

    def as_dict(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "column": self.column, "message": self.message}

    def __str__(self) -> str:
        place = f"{self.file} sheet" if self.kind == "sheet" else self.file
        if self.line is not None:
            place += f" line {self.line}"
        if self.column:
            place += f", column {self.column}"
        return f"{place}: {self.message}"


def table_counts(table: str) -> dict[str, int]:
    """Every count a table reports (CONTRACTS §2, plus what issue 15 added)."""
    counts = {"created": 0, "updated": 0, "unchanged": 0, "not_in_latest_import": 0}
    if table == "staff":
        counts["deactivated"] = 0
    return counts


def empty_counts() -> dict[str, dict[str, int]]:
    return {table: table_counts(table) for table in TABLES}


def more_errors_text(count: int) -> str:
    return f"and {count:,} more error{'s' if count != 1 else ''}"


@dataclass
class ImportOutcome:
    ok: bool
    counts: dict[str, dict[str, int]]
    warnings: list[ImportProblem]
    errors: list[ImportProblem]
    register_import: "RegisterImport | None"
    # Rows kept from earlier imports but missing from this one, per table (also in `counts`).
    not_in_latest: dict[str, int] = field(default_factory=dict)
    # Errors found beyond the first ERRORS_KEPT: counted, not listed.
    errors_not_listed: int = 0
    # Refused only because it would deactivate or un-list too much without confirmation.
    removals: "Removals | None" = None
    confirmation_needed: bool = False
    # Refused because the register changed while the files were being checked.
    register_changed: bool = False

    @property
    def error_count(self) -> int:
        return len(self.errors) + self.errors_not_listed

    def as_json(self) -> dict[str, Any]:
        """The `--format json` object of CONTRACTS §2."""
        if not self.ok:
            refused: dict[str, Any] = {"ok": False, "errors": [error.as_dict() for error in self.errors]}
            if self.errors_not_listed:
                refused["errors_not_listed"] = self.errors_not_listed
            if self.confirmation_needed and self.removals is not None:
                refused["confirmation_needed"] = True
                refused["removals"] = self.removals.as_dict()
            if self.register_changed:
                refused["register_changed"] = True
            return refused
        result: dict[str, Any] = {"ok": True}
        for table in TABLES:
            result[table] = table_counts(table) | self.counts.get(table, {})
        result["warnings"] = [warning.as_dict() for warning in self.warnings]
        return result
