"""How much one import may read (issue 15): the upload, each table once decompressed, and the
lines of each table. Read from settings each time, so a council can change them."""

from dataclasses import dataclass

from django.conf import settings

# One line of a CSV file (physical line, in characters). A register row is a few hundred
# characters; a line of a million commas would otherwise be read whole into memory.
MAX_LINE_CHARACTERS = 100_000
# Columns read from a workbook sheet: a sheet can claim 16,384 columns in one tiny cell reference.
MAX_SHEET_COLUMNS = 500


@dataclass(frozen=True)
class ImportLimits:
    upload_bytes: int
    table_bytes: int
    rows: int

    @classmethod
    def current(cls) -> "ImportLimits":
        return cls(
            upload_bytes=settings.REGISTER_IMPORT_MAX_UPLOAD_BYTES,
            table_bytes=settings.REGISTER_IMPORT_MAX_TABLE_BYTES,
            rows=settings.REGISTER_IMPORT_MAX_ROWS,
        )


def size_text(size: int) -> str:
    """1,572,864 → "1.5 MB"; small sizes in bytes."""
    if size < 1024 * 1024:
        return f"{size:,} bytes"
    megabytes = f"{size / (1024 * 1024):,.1f}".removesuffix(".0")
    return f"{megabytes} MB"
