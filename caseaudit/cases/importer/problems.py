"""What an import reports back: problems found in the files and the outcome (INT-1)."""

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from caseaudit.cases.models import RegisterImport

TABLES = ("teams", "staff", "children", "cases")


class ImportSourceError(Exception):
    """The source itself is unusable: no such path, a corrupt archive, no register file in it.
    The command exits 2 and the upload page shows the message; nothing is recorded."""


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


def empty_counts() -> dict[str, dict[str, int]]:
    return {table: {"created": 0, "updated": 0, "unchanged": 0} for table in TABLES}


@dataclass
class ImportOutcome:
    ok: bool
    counts: dict[str, dict[str, int]]
    warnings: list[ImportProblem]
    errors: list[ImportProblem]
    register_import: "RegisterImport | None"
    # Rows kept from earlier imports but missing from this one, per table (not in the JSON).
    not_in_latest: dict[str, int] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        """The `--format json` object of CONTRACTS §2."""
        if not self.ok:
            return {"ok": False, "errors": [error.as_dict() for error in self.errors]}
        result: dict[str, Any] = {"ok": True}
        for table in TABLES:
            result[table] = dict(self.counts.get(table, {"created": 0, "updated": 0, "unchanged": 0}))
        result["warnings"] = [warning.as_dict() for warning in self.warnings]
        return result
