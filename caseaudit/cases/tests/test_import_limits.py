"""What one import reads is bounded (issue 15): a 285-byte zip once made the server report
3.67 million errors at 5 GB of memory, and a 392-byte zip of newlines ran for 15 minutes.
Each is now refused quickly, with a clear message, and nothing is written."""

import io
import struct
import time
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from caseaudit.cases.importer import (
    ImportSourceError,
    ImportTooLarge,
    register_import_from_path,
    register_import_from_uploads,
)
from caseaudit.cases.models import Case, RegisterImport
from caseaudit.cases.tests.test_import_support import CASE_COLUMNS, case, csv_text, register_rows, write_xlsx
from caseaudit.org.models import Team

pytestmark = pytest.mark.django_db
MIB = 1024 * 1024


def _zip(path: Path, members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression=compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def _nothing_written() -> bool:
    return not Case.objects.exists() and not Team.objects.exists()


@override_settings(REGISTER_IMPORT_MAX_TABLE_BYTES=MIB)
def test_a_tiny_zip_bomb_is_refused_fast_and_writes_nothing(tmp_path):
    header = ",".join(CASE_COLUMNS).encode() + b"\n"
    bad_row = b"C1,CH1,Child,2015-01-01,T999,,adoption,2026-01-05,,no,\n"
    bomb = _zip(tmp_path / "bomb.zip", {"cases.csv": header + bad_row * 200_000})  # 11 MiB of errors
    assert bomb.stat().st_size < 40_000

    started = time.monotonic()
    with pytest.raises(ImportTooLarge) as refused:
        register_import_from_path(path=bomb, actor=None)
    elapsed = time.monotonic() - started

    assert str(refused.value) == (
        "cases.csv in bomb.zip (once decompressed) holds more than 1 MB: the most one import reads "
        "from one file is 1 MB"
    )
    assert elapsed < 2
    assert _nothing_written() and not RegisterImport.objects.exists()


def _lie_about_sizes(path: Path, claimed: int) -> None:
    """Rewrite the member's uncompressed size in the local header and the central directory."""
    data = bytearray(path.read_bytes())
    local = data.index(b"PK\x03\x04")
    struct.pack_into("<I", data, local + 22, claimed)
    central = data.index(b"PK\x01\x02")
    struct.pack_into("<I", data, central + 24, claimed)
    path.write_bytes(bytes(data))


def test_a_zip_whose_header_understates_the_size_is_refused(tmp_path):
    rows = csv_text([case(f"C{n}") for n in range(2000)]).encode()
    path = _zip(tmp_path / "liar.zip", {"cases.csv": rows})
    _lie_about_sizes(path, 1000)
    with pytest.raises(ImportSourceError, match=r"cases\.csv could not be read"):
        register_import_from_path(path=path, actor=None)
    assert _nothing_written()


@override_settings(REGISTER_IMPORT_MAX_TABLE_BYTES=100_000)
def test_the_bytes_read_are_counted_whatever_the_source(tmp_path):
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "cases.csv").write_text(csv_text([case(f"C{n}") for n in range(2000)]))
    with pytest.raises(ImportTooLarge, match=r"cases\.csv holds more than 100,000 bytes"):
        register_import_from_path(path=folder, actor=None)
    assert _nothing_written()


def test_a_zip_of_only_newlines_is_refused_fast(tmp_path):
    newlines = _zip(tmp_path / "newlines.zip", {"cases.csv": b"\n" * (20 * MIB)}, zipfile.ZIP_BZIP2)
    assert newlines.stat().st_size < 1000

    started = time.monotonic()
    outcome = register_import_from_path(path=newlines, actor=None)
    elapsed = time.monotonic() - started

    assert [str(e) for e in outcome.errors] == [
        "cases.csv: line 1 is blank: the first line of the file must be its header"
    ]
    assert elapsed < 2
    assert _nothing_written()


@override_settings(REGISTER_IMPORT_MAX_ROWS=1000)
def test_a_header_then_only_newlines_stops_at_the_line_limit(tmp_path):
    text = ",".join(CASE_COLUMNS).encode() + b"\n" + b"\n" * 5000
    newlines = _zip(tmp_path / "newlines.zip", {"cases.csv": text})
    with pytest.raises(ImportTooLarge, match=r"cases\.csv has more than 1,000 lines after its header"):
        register_import_from_path(path=newlines, actor=None)
    assert _nothing_written()


@override_settings(REGISTER_IMPORT_MAX_ROWS=3)
def test_rows_per_table_are_limited_in_a_workbook_too(tmp_path):
    tables = register_rows()
    path = write_xlsx(tmp_path / "register.xlsx", {"cases": tables["cases"]})  # 4 rows
    with pytest.raises(ImportTooLarge, match="Cases has more than 3 lines after its header"):
        register_import_from_path(path=path, actor=None)


@override_settings(REGISTER_IMPORT_MAX_TABLE_BYTES=20_000)
def test_a_workbook_part_larger_than_the_limit_is_refused_before_it_is_read(tmp_path):
    path = write_xlsx(tmp_path / "register.xlsx", {"cases": [case(f"C{n}") for n in range(500)]})
    with pytest.raises(ImportTooLarge, match=r"sheet1\.xml in register\.xlsx \(once decompressed\)"):
        register_import_from_path(path=path, actor=None)


def test_a_line_of_a_million_commas_is_refused(tmp_path):
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "cases.csv").write_text(",".join(CASE_COLUMNS) + "\n" + "," * 1_000_000 + "\n")
    with pytest.raises(ImportTooLarge, match=r"cases\.csv has a line longer than 100,000 characters"):
        register_import_from_path(path=folder, actor=None)


@override_settings(REGISTER_IMPORT_MAX_UPLOAD_BYTES=1000)
def test_an_upload_over_the_limit_is_refused_before_it_is_opened():
    upload = SimpleUploadedFile("cases.csv", csv_text([case(f"C{n}") for n in range(20)]).encode())
    with pytest.raises(
        ImportTooLarge, match=r"The upload is [\d,]+ bytes: the most one import takes is 1,000 bytes"
    ):
        register_import_from_uploads(files=[upload], actor=None)
    assert not RegisterImport.objects.exists()


def test_the_limits_leave_an_ordinary_register_alone(tmp_path):
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zf:
        for name, rows in register_rows().items():
            zf.writestr(f"{name}.csv", csv_text(rows))
    upload = SimpleUploadedFile("register.zip", archive.getvalue())
    assert register_import_from_uploads(files=[upload], actor=None).ok
