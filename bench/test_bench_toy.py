"""The import benchmark at toy size, so `make test` keeps it working (CONTRACTS §8).

It runs exactly what `make bench` runs — generate, migrate a fresh database, import with
`manage.py import_register` in a child process — on the engine the tests run on: a throwaway
SQLite file, or on PostgreSQL a database named after the test database (so runs with other
DATABASE_URLs don't collide), created and dropped by the benchmark."""

from pathlib import Path

import pytest
from django.conf import settings

from bench.__main__ import main
from bench.import_register import (
    SIZES,
    Database,
    Measurement,
    PostgresDatabase,
    Run,
    SqliteDatabase,
    benchmark_import,
    format_table,
    memory_growth,
)
from bench.traced_import import peak_from
from caseaudit.demo.generator import RegisterSummary

TOY = SIZES["toy"][0]


def database_like_the_tests(tmp_path: Path) -> Database:
    """A throwaway database on the engine the tests run on."""
    default = settings.DATABASES["default"]
    if default["ENGINE"] != "django.db.backends.postgresql":
        return SqliteDatabase(tmp_path / "bench.sqlite3")
    user = default.get("USER") or "postgres"
    host, port = default.get("HOST") or "127.0.0.1", default.get("PORT") or 5432
    # NAME is "demo", or "test_demo" once pytest-django has set up the test database.
    name = str(default["NAME"]).removeprefix("test_")
    return PostgresDatabase(f"postgres://{user}@{host}:{port}/test_{name}_bench")


def test_import_benchmark_at_toy_size(tmp_path: Path) -> None:
    database = database_like_the_tests(tmp_path)

    measurement = benchmark_import(database=database, size=TOY, workdir=tmp_path)

    assert measurement.ok, (measurement.result, measurement.run.stderr[-2000:])
    assert measurement.result["cases"]["created"] == measurement.register.cases
    assert measurement.result["staff"]["created"] == TOY.staff
    assert measurement.run.seconds > 0
    assert measurement.peak_rss_mib > 10
    assert measurement.heap_peak_mib is not None
    assert 0 < measurement.heap_peak_mib < measurement.peak_rss_mib
    table = format_table([measurement])
    assert database.backend in table
    assert "ok" in table.splitlines()[-1]


def measured(backend: str, cases: int, peak_rss_kib: int, heap_peak_bytes: int | None = None) -> Measurement:
    register = RegisterSummary(
        areas=3, teams=17, eligible_teams=13, staff=60, children=cases, cases=cases,
        open_cases=cases, restricted_cases=0, audited_last_quarter=0,
    )  # fmt: skip
    run = Run(returncode=0, stdout="", stderr="", seconds=2.0, peak_rss_kib=peak_rss_kib)
    return Measurement(
        backend=backend,
        size=TOY,
        register=register,
        run=run,
        result={"ok": True},
        heap_peak_bytes=heap_peak_bytes,
    )


def test_memory_growth_is_reported_per_database() -> None:
    notes = memory_growth(
        [
            measured("sqlite", 10_000, 100 * 1024),
            measured("sqlite", 50_000, 102 * 1024),
            measured("pg", 10, 1),
        ]
    )

    assert notes == [
        "sqlite: peak RSS 100 MiB at 10,000 cases, 102 MiB at 50,000 (+51 KiB per 1,000 more cases)"
    ]


def test_the_command_line_runs_at_toy_size(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--size", "toy", "--database", "sqlite", "--no-tracemalloc"]) == 0
    output = capsys.readouterr().out
    assert "rows/s" in output
    assert "sqlite" in output


def test_heap_peak_is_read_from_the_traced_run() -> None:
    assert peak_from("some warning\ntracemalloc peak bytes: 1234\n") == 1234
    assert peak_from("Traceback ...") is None


def test_postgres_database_is_named_by_its_url() -> None:
    assert PostgresDatabase("postgres://postgres@127.0.0.1:5432/caseaudit_bench").name == "caseaudit_bench"
