"""Where the register comes from: a folder, a .zip, an .xlsx workbook or uploaded files.

Every table can be read twice (validate, then write) and is streamed row by row, so memory
stays flat however long the register is. What is read is bounded (issue 15): the upload's
size, each table's bytes once decompressed (counted as they are read, not taken from the zip
header), each line's length and each table's number of lines."""

import contextlib
import csv
import functools
import io
import zipfile
import zlib
from collections.abc import Callable, Generator, Iterator
from contextlib import AbstractContextManager, ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.core.files.uploadedfile import UploadedFile

from caseaudit.cases.importer.limits import MAX_LINE_CHARACTERS, MAX_SHEET_COLUMNS, ImportLimits, size_text
from caseaudit.cases.importer.parsing import TABLE_SPECS, TableSpec
from caseaudit.cases.importer.problems import ImportSourceError, ImportTooLarge

Row = tuple[int, list[Any]]  # (spreadsheet line, cells)
_CSV_NAMES = {spec.file_name: spec for spec in TABLE_SPECS}
_SHEET_NAMES = {spec.sheet_name.lower(): spec for spec in TABLE_SPECS}
_ARCHIVE_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, KeyError, ValueError)


@dataclass
class Table:
    """One register table: a CSV file or a workbook sheet. `label` names it in messages."""

    spec: TableSpec
    label: str
    kind: str  # "file" or "sheet"
    _open_rows: Callable[[], AbstractContextManager[Iterator[list[Any]]]]

    @contextlib.contextmanager
    def rows(self) -> Iterator[Iterator[Row]]:
        """The rows with their spreadsheet line numbers (header = line 1). A file that is not
        UTF-8 raises UnicodeDecodeError while iterating; a broken archive ImportSourceError."""
        with self._open_rows() as raw_rows:
            yield self._numbered(raw_rows)

    def _numbered(self, raw_rows: Iterator[list[Any]]) -> Iterator[Row]:
        rows = ImportLimits.current().rows
        line = 0
        try:
            for cells in raw_rows:
                line += 1
                if line > rows + 1:  # the header, then at most `rows` lines (blank ones too)
                    raise ImportTooLarge(
                        f"{self.label} has more than {rows:,} lines after its header: the most one "
                        f"import reads from a {self.kind} is {rows:,} (blank lines count)"
                    )
                yield line, list(cells)
        except (UnicodeDecodeError, ImportSourceError):
            raise
        except Exception as error:  # a corrupt archive member or sheet: the source is unusable
            raise ImportSourceError(f"{self.label} could not be read: {error}") from error


@dataclass
class RegisterSource:
    """The tables found in one source, with whatever must stay open while they are read."""

    name: str
    tables: dict[str, Table] = field(default_factory=dict)
    _stack: ExitStack = field(default_factory=ExitStack)

    def __enter__(self) -> "RegisterSource":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stack.close()


class _CountedReader(io.RawIOBase):
    """The bytes of one table, refused once more than `limit` have been read. A zip header
    can say anything; this counts what the decompressor actually produces."""

    def __init__(self, binary: IO[bytes], *, limit: int, what: str) -> None:
        super().__init__()
        self._binary = binary
        self._limit = limit
        self._what = what
        self._read = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._binary.read(len(buffer))
        size = len(data)
        self._read += size
        if self._read > self._limit:
            raise ImportTooLarge(_too_large(self._what, self._limit))
        buffer[:size] = data
        return size

    def close(self) -> None:  # the caller owns (and closes) the binary stream
        super().close()


def _too_large(what: str, limit: int) -> str:
    size = size_text(limit)
    return f"{what} holds more than {size}: the most one import reads from one file is {size}"


def _bounded_lines(text: IO[str], what: str) -> Iterator[str]:
    while line := text.readline(MAX_LINE_CHARACTERS + 1):
        if len(line) > MAX_LINE_CHARACTERS:
            raise ImportTooLarge(f"{what} has a line longer than {MAX_LINE_CHARACTERS:,} characters")
        yield line


def _csv_rows(binary: IO[bytes], what: str) -> Generator[list[str], None, None]:
    counted = io.BufferedReader(_CountedReader(binary, limit=ImportLimits.current().table_bytes, what=what))
    # utf-8-sig: Excel's "CSV UTF-8" starts with a byte-order mark (CONTRACTS §2).
    text = io.TextIOWrapper(counted, encoding="utf-8-sig", newline="")
    try:
        yield from csv.reader(_bounded_lines(text, what))
    finally:
        text.detach()  # the caller owns (and closes) the binary stream


def _csv_opener(
    open_binary: Callable[[], IO[bytes]], what: str
) -> Callable[[], AbstractContextManager[Iterator[Any]]]:
    @contextlib.contextmanager
    def opener() -> Iterator[Iterator[list[str]]]:
        binary = open_binary()
        rows = _csv_rows(binary, what)
        try:
            yield rows
        finally:
            rows.close()
            binary.close()

    return opener


def _upload_file(upload: UploadedFile) -> IO[bytes]:
    if upload.file is None:
        raise ImportSourceError(f"{upload.name} could not be read")
    return upload.file


def _upload_opener(upload: UploadedFile) -> Callable[[], AbstractContextManager[Iterator[Any]]]:
    @contextlib.contextmanager
    def opener() -> Iterator[Iterator[list[str]]]:
        binary = _upload_file(upload)
        binary.seek(0)
        rows = _csv_rows(binary, str(upload.name))
        try:
            yield rows
        finally:
            rows.close()

    return opener


def _file_opener(path: Path) -> Callable[[], IO[bytes]]:
    def open_binary() -> IO[bytes]:
        return path.open("rb")

    return open_binary


def _csv_table(spec: TableSpec, opener: Callable[[], AbstractContextManager[Iterator[Any]]]) -> Table:
    return Table(spec=spec, label=spec.file_name, kind="file", _open_rows=opener)


def _add_table(source: RegisterSource, spec: TableSpec, table: Table, where: str) -> None:
    if spec.key in source.tables:
        raise ImportSourceError(f"{where} holds more than one {spec.file_name}")
    source.tables[spec.key] = table


@contextlib.contextmanager
def _closed_on_error(source: RegisterSource) -> Iterator[None]:
    try:
        yield
    except BaseException:
        source._stack.close()
        raise


def _require_tables(source: RegisterSource, where: str) -> RegisterSource:
    if not source.tables:
        names = ", ".join(spec.file_name for spec in TABLE_SPECS)
        raise ImportSourceError(f"{where} holds none of {names} (or the sheets Teams, Staff, Cases)")
    return source


def _folder_source(path: Path) -> RegisterSource:
    source = RegisterSource(name=str(path))
    for entry in sorted(path.iterdir()):
        spec = _CSV_NAMES.get(entry.name.lower())
        if spec is not None and entry.is_file():
            opener = _csv_opener(_file_opener(entry), entry.name)
            _add_table(source, spec, _csv_table(spec, opener), str(path))
    return _require_tables(source, f"The folder {path}")


def _zip_source(name: str, file: Any) -> RegisterSource:
    source = RegisterSource(name=name)
    limit = ImportLimits.current().table_bytes
    try:
        archive = zipfile.ZipFile(file)
        members = archive.infolist()
    except _ARCHIVE_ERRORS as error:
        raise ImportSourceError(f"{name} is not a readable .zip file ({error})") from error
    source._stack.enter_context(archive)
    with _closed_on_error(source):
        for member in members:
            base = member.filename.rsplit("/", 1)[-1]
            if member.is_dir() or member.filename.startswith("__MACOSX/") or base.startswith("._"):
                continue
            spec = _CSV_NAMES.get(base.lower())
            if spec is not None:
                what = f"{member.filename} in {Path(name).name}"
                if member.file_size > limit:  # refused at once when the header is honest
                    raise ImportTooLarge(_too_large(f"{what} (once decompressed)", limit))
                opener = _csv_opener(functools.partial(archive.open, member), f"{what} (once decompressed)")
                _add_table(source, spec, _csv_table(spec, opener), name)
        return _require_tables(source, name)


def _sheet_opener(sheet: Any) -> Callable[[], AbstractContextManager[Iterator[Any]]]:
    @contextlib.contextmanager
    def opener() -> Iterator[Iterator[Any]]:
        columns = min(sheet.max_column or MAX_SHEET_COLUMNS, MAX_SHEET_COLUMNS)
        yield sheet.iter_rows(values_only=True, max_col=columns)

    return opener


def _check_workbook_parts(name: str, file: Any) -> None:
    """An .xlsx is a zip too: refuse any part (a sheet, the shared strings) that would
    decompress to more than the limit before openpyxl reads it. Python's zipfile never
    returns more than a part's header size (a lying header fails its CRC check instead)."""
    limit = ImportLimits.current().table_bytes
    try:
        with zipfile.ZipFile(file) as archive:
            parts = archive.infolist()
    except _ARCHIVE_ERRORS as error:
        raise ImportSourceError(f"{name} is not a readable .xlsx workbook ({error})") from error
    finally:
        if hasattr(file, "seek"):
            file.seek(0)
    for part in parts:
        if part.file_size > limit:
            raise ImportTooLarge(
                _too_large(f"{part.filename} in {Path(name).name} (once decompressed)", limit)
            )


def _workbook_source(name: str, file: Any) -> RegisterSource:
    import openpyxl  # only needed for workbooks

    _check_workbook_parts(name, file)
    source = RegisterSource(name=name)
    try:
        workbook = openpyxl.load_workbook(file, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a corrupt or foreign file
        raise ImportSourceError(f"{name} is not a readable .xlsx workbook ({error})") from error
    source._stack.callback(workbook.close)
    with _closed_on_error(source):
        for sheet in workbook.worksheets:
            spec = _SHEET_NAMES.get(sheet.title.strip().lower())
            if spec is not None:
                table = Table(spec=spec, label=spec.sheet_name, kind="sheet", _open_rows=_sheet_opener(sheet))
                _add_table(source, spec, table, name)
        return _require_tables(source, name)


def open_path(path: Path) -> RegisterSource:
    """A folder of CSV files, a .zip of them, an .xlsx workbook, or one CSV file."""
    if not path.exists():
        raise ImportSourceError(f"There is no file or folder {path}")
    if path.is_dir():
        return _folder_source(path)
    suffix = path.suffix.lower()
    if suffix == ".zip":
        return _zip_source(str(path), path)
    if suffix == ".xlsx":
        return _workbook_source(str(path), path)
    spec = _CSV_NAMES.get(path.name.lower())
    if spec is not None:
        source = RegisterSource(name=str(path))
        source.tables[spec.key] = _csv_table(spec, _csv_opener(_file_opener(path), path.name))
        return source
    raise ImportSourceError(f"{path} is not a folder, .zip, .xlsx or one of teams.csv, staff.csv, cases.csv")


def open_uploads(files: list[UploadedFile]) -> RegisterSource:
    """A single .zip or .xlsx, or one to three CSV files named teams.csv, staff.csv, cases.csv."""
    if not files:
        raise ImportSourceError("Choose a .zip, .xlsx or CSV file to import")
    names = [str(upload.name or "") for upload in files]
    suffixes = [Path(name).suffix.lower() for name in names]
    limit = ImportLimits.current().upload_bytes
    size = sum(upload.size or 0 for upload in files)
    if size > limit:
        raise ImportTooLarge(
            f"The upload is {size_text(size)}: the most one import takes is {size_text(limit)}. "
            "Upload the register as a .zip, or fewer files at a time"
        )
    if len(files) == 1 and suffixes[0] in {".zip", ".xlsx"}:
        binary = _upload_file(files[0])
        binary.seek(0)
        if suffixes[0] == ".zip":
            return _zip_source(names[0], binary)
        return _workbook_source(names[0], binary)
    source = RegisterSource(name=", ".join(names))
    for upload, name in zip(files, names, strict=True):
        spec = _CSV_NAMES.get(Path(name).name.lower())
        if spec is None:
            raise ImportSourceError(
                f"{name} is not a register file: upload one .zip or .xlsx, or CSV files named "
                "teams.csv, staff.csv and cases.csv"
            )
        if spec.key in source.tables:
            raise ImportSourceError(f"More than one file is named {spec.file_name}")
        source.tables[spec.key] = _csv_table(spec, _upload_opener(upload))
    return source
