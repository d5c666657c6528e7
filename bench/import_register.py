"""How fast, and in how much memory, a register is imported (INT-1).

A register is generated with the demo generator, then imported by the real command,
`manage.py import_register PATH --format json`, into a fresh, freshly migrated database — on
SQLite and on PostgreSQL. Each step runs in its own process, so the wall time is the whole
command (start-up included) and the peak memory (ru_maxrss from wait4) is that process's
alone. Two register sizes with the same staff show whether memory grows with the number of
case rows; it should not, because the importer streams."""

import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from bench.traced_import import peak_from
from caseaudit.demo.generator import RegisterSummary, write_register

ROOT = Path(__file__).resolve().parents[1]
SETTINGS = "caseaudit.config.settings.local"
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/caseaudit_bench"
SEED = 2026


@dataclass(frozen=True)
class Size:
    label: str
    children: int
    staff: int


# ~4% of children have two cases, so 48,000 children make ~50,000 cases.
SIZES: dict[str, tuple[Size, ...]] = {
    "toy": (Size("toy", 200, 60),),
    "full": (Size("10k cases", 9_600, 2_000), Size("50k cases", 48_000, 2_000)),
}


@dataclass(frozen=True)
class Run:
    """One process: its exit status, output, wall time and peak resident memory."""

    returncode: int
    stdout: str
    stderr: str
    seconds: float
    peak_rss_kib: int


@dataclass
class Measurement:
    backend: str
    size: Size
    register: RegisterSummary
    run: Run
    result: dict[str, Any] = field(default_factory=dict)
    heap_peak_bytes: int | None = None  # tracemalloc's peak, from a separate traced run

    @property
    def ok(self) -> bool:
        return self.run.returncode == 0 and bool(self.result.get("ok"))

    @property
    def rows_per_second(self) -> float:
        return self.register.rows / self.run.seconds

    @property
    def peak_rss_mib(self) -> float:
        return self.run.peak_rss_kib / 1024

    @property
    def heap_peak_mib(self) -> float | None:
        return None if self.heap_peak_bytes is None else self.heap_peak_bytes / 2**20


def run_measured(command: Sequence[str], *, env: dict[str, str], cwd: Path = ROOT) -> Run:
    """Run a command; its own peak RSS comes from wait4, so earlier children don't count."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=err)  # noqa: S603
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Run(
            returncode=process.returncode,
            stdout=out.read().decode("utf-8", "replace"),
            stderr=err.read().decode("utf-8", "replace"),
            seconds=seconds,
            peak_rss_kib=usage.ru_maxrss,  # KiB on Linux
        )


class Database:
    """A database made for one run and dropped after it."""

    backend = ""

    @property
    def url(self) -> str:
        raise NotImplementedError

    def create(self) -> None:
        raise NotImplementedError

    def drop(self) -> None:
        raise NotImplementedError

    def version(self) -> str:
        raise NotImplementedError


class SqliteDatabase(Database):
    backend = "sqlite"

    def __init__(self, path: Path) -> None:
        self.path = path

    @property
    def url(self) -> str:
        return f"sqlite:///{self.path}"

    def _files(self) -> list[Path]:
        return [self.path, *(self.path.with_name(self.path.name + suffix) for suffix in ("-wal", "-shm"))]

    def create(self) -> None:
        self.drop()
        self.path.parent.mkdir(parents=True, exist_ok=True)

    def drop(self) -> None:
        for path in self._files():
            path.unlink(missing_ok=True)

    def version(self) -> str:
        return f"SQLite {sqlite3.sqlite_version}"


class PostgresDatabase(Database):
    backend = "postgresql"

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self.name = parts.path.lstrip("/") or "caseaudit_bench"
        self._url = url
        self._server = urlunsplit(parts._replace(path="/postgres"))

    @property
    def url(self) -> str:
        return self._url

    def _admin(self, *statements: str) -> list[Any]:
        import psycopg
        from psycopg import sql

        rows: list[Any] = []
        with psycopg.connect(self._server, autocommit=True, connect_timeout=5) as connection:
            for statement in statements:
                cursor = connection.execute(sql.SQL(statement).format(name=sql.Identifier(self.name)))
                if cursor.description:
                    rows.extend(cursor.fetchall())
        return rows

    def available(self) -> str | None:
        """None when the server answers, else why not."""
        try:
            self._admin("SELECT 1")
        except Exception as error:
            return str(error).strip().splitlines()[0]
        return None

    def create(self) -> None:
        self._admin("DROP DATABASE IF EXISTS {name} WITH (FORCE)", "CREATE DATABASE {name}")

    def drop(self) -> None:
        self._admin("DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def version(self) -> str:
        return f"PostgreSQL {self._admin('SHOW server_version')[0][0]}"


def django_env(database: Database) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTEST_", "DJANGO_"))}
    env |= {"DJANGO_SETTINGS_MODULE": SETTINGS, "DATABASE_URL": database.url, "DEBUG": "false"}
    env["LOG_LEVEL"] = "WARNING"
    return env


def manage(*arguments: str, database: Database) -> Run:
    return run_measured([sys.executable, str(ROOT / "manage.py"), *arguments], env=django_env(database))


def startup_baseline(database: Database) -> Run:
    """Django's start-up alone (`manage.py check`): the floor under every import's figures."""
    return manage("check", database=database)


def _fresh(database: Database) -> None:
    database.create()
    migrated = manage("migrate", "--noinput", "-v", "0", database=database)
    if migrated.returncode != 0:
        raise RuntimeError(f"migrate failed on {database.backend}:\n{migrated.stderr}")


def benchmark_import(
    *, database: Database, size: Size, workdir: Path, seed: int = SEED, traced: bool = True
) -> Measurement:
    """Generate a register; import it into a fresh migrated database, timed; then, when
    `traced`, again into another fresh database under tracemalloc for the Python heap's peak."""
    folder = workdir / f"register-{size.children}-{size.staff}-{seed}"
    register = write_register(folder, seed=seed, children=size.children, staff=size.staff)
    try:
        _fresh(database)
        run = manage("import_register", str(folder), "--format", "json", database=database)
        heap_peak = None
        if traced:
            _fresh(database)
            traced_run = run_measured(
                [sys.executable, "-m", "bench.traced_import", str(folder)], env=django_env(database)
            )
            heap_peak = peak_from(traced_run.stderr) if traced_run.returncode == 0 else None
    finally:
        database.drop()
    try:
        result = json.loads(run.stdout)
    except json.JSONDecodeError:
        result = {"ok": False, "output": run.stdout[-2000:], "stderr": run.stderr[-2000:]}
    return Measurement(
        backend=database.backend,
        size=size,
        register=register,
        run=run,
        result=result,
        heap_peak_bytes=heap_peak,
    )


def format_table(measurements: Sequence[Measurement]) -> str:
    header = (
        f"{'database':<11}{'size':<11}{'cases':>8}{'staff':>7}{'rows':>8}"
        f"{'wall s':>9}{'rows/s':>9}{'cases/s':>9}{'peak RSS':>11}{'heap peak':>12}  result"
    )
    lines = [header, "-" * len(header)]
    for m in measurements:
        lines.append(
            f"{m.backend:<11}{m.size.label:<11}{m.register.cases:>8,}{m.register.staff:>7,}{m.register.rows:>8,}"
            f"{m.run.seconds:>9.1f}{m.rows_per_second:>9,.0f}{m.register.cases / m.run.seconds:>9,.0f}"
            f"{m.peak_rss_mib:>7.0f} MiB"
            + (f"{m.heap_peak_mib:>8.1f} MiB" if m.heap_peak_mib is not None else f"{'-':>12}")
            + f"  {'ok' if m.ok else 'FAILED'}"
        )
    return "\n".join(lines)


def memory_growth(measurements: Sequence[Measurement]) -> list[str]:
    """Per database: how much the peak grew from the smallest register to the largest."""
    notes = []
    for backend in dict.fromkeys(m.backend for m in measurements):
        runs = sorted((m for m in measurements if m.backend == backend), key=lambda m: m.register.cases)
        if len(runs) < 2:
            continue
        small, large = runs[0], runs[-1]
        per_thousand = 1000 / (large.register.cases - small.register.cases)
        rss_growth = (large.run.peak_rss_kib - small.run.peak_rss_kib) * per_thousand
        note = (
            f"{backend}: peak RSS {small.peak_rss_mib:.0f} MiB at {small.register.cases:,} cases, "
            f"{large.peak_rss_mib:.0f} MiB at {large.register.cases:,} "
            f"({rss_growth:+.0f} KiB per 1,000 more cases)"
        )
        if small.heap_peak_bytes is not None and large.heap_peak_bytes is not None:
            heap_growth = (large.heap_peak_bytes - small.heap_peak_bytes) / 1024 * per_thousand
            note += f"; Python heap peak {heap_growth:+.0f} KiB per 1,000 more cases"
        notes.append(note)
    return notes
