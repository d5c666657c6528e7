"""The case register import (INT-1). See docs/register-import.md."""

from caseaudit.cases.importer.problems import ImportOutcome, ImportProblem, ImportSourceError, ImportTooLarge
from caseaudit.cases.importer.removals import Removals
from caseaudit.cases.importer.service import (
    register_import_from_path,
    register_import_from_uploads,
    register_imports_recent,
)

__all__ = [
    "ImportOutcome",
    "ImportProblem",
    "ImportSourceError",
    "ImportTooLarge",
    "Removals",
    "register_import_from_path",
    "register_import_from_uploads",
    "register_imports_recent",
]
