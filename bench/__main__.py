"""`make bench` (python -m bench): the benchmarks, at full size unless told otherwise."""

import argparse
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.import_register import (
    DEFAULT_POSTGRES,
    SIZES,
    Database,
    Measurement,
    PostgresDatabase,
    SqliteDatabase,
    benchmark_import,
    format_table,
    memory_growth,
    startup_baseline,
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "--size", choices=sorted(SIZES), default="full", help="toy: a quick check (default full)"
    )
    parser.add_argument("--database", choices=("all", "sqlite", "postgresql"), default="all")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES),
        help="a database the bench may create and drop (default %(default)s)",
    )
    parser.add_argument(
        "--no-tracemalloc",
        action="store_true",
        help="skip the second, traced import of each register that measures the Python heap's peak",
    )
    options = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="caseaudit-bench-") as folder:
        workdir = Path(folder)
        databases: list[Database] = []
        if options.database in ("all", "sqlite"):
            databases.append(SqliteDatabase(workdir / "bench.sqlite3"))
        if options.database in ("all", "postgresql"):
            postgres = PostgresDatabase(options.postgres_url)
            why_not = postgres.available()
            if why_not is None:
                databases.append(postgres)
            else:
                print(f"PostgreSQL skipped: {why_not}", file=sys.stderr)
        print(
            f"Register import (manage.py import_register, each run in a fresh process and database) "
            f"on {os.cpu_count()} CPUs, Python {platform.python_version()}, "
            + ", ".join(database.version() for database in databases)
            + f"; load average {os.getloadavg()[0]:.1f} at start"
        )
        if databases:
            baseline = startup_baseline(databases[0])
            print(
                f"  Django start-up alone (manage.py check): {baseline.seconds:.1f} s, "
                f"{baseline.peak_rss_kib / 1024:.0f} MiB peak RSS"
            )
        measurements: list[Measurement] = []
        for database in databases:
            for size in SIZES[options.size]:
                measurement = benchmark_import(
                    database=database, size=size, workdir=workdir, traced=not options.no_tracemalloc
                )
                measurements.append(measurement)
                print(f"  {database.backend}, {size.label}: {measurement.run.seconds:.1f} s", flush=True)
        print()
        print(format_table(measurements))
        for note in memory_growth(measurements):
            print(note)
        for failed in (m for m in measurements if not m.ok):
            print(f"\n{failed.backend} {failed.size.label} failed:\n{failed.result}")
            print(failed.run.stderr[-2000:])
    imported_ok = bool(measurements) and all(m.ok for m in measurements)

    print()
    from bench import allocation

    toy_allocation = ["--cases", "300", "--auditors", "20"] if options.size == "toy" else []
    allocation_ok = allocation.main(toy_allocation) == 0

    print(flush=True)
    # In its own process: it configures Django on a throw-away SQLite database.
    pages = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "bench.audit_pages", *(["--size", "toy"] if options.size == "toy" else [])],
        check=False,
        cwd=Path(__file__).resolve().parents[1],
        env={k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}},
    )
    pages_ok = pages.returncode == 0

    print(flush=True)
    moderation = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "bench.moderation", *(["--size", "toy"] if options.size == "toy" else [])],
        check=False,
        cwd=Path(__file__).resolve().parents[1],
        env={k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}},
    )
    pages_ok = pages_ok and moderation.returncode == 0

    print(flush=True)
    action_pages = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "bench.action_pages", *(["--size", "toy"] if options.size == "toy" else [])],
        check=False,
        cwd=Path(__file__).resolve().parents[1],
        env={k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}},
    )
    pages_ok = pages_ok and action_pages.returncode == 0

    # Stage 3 over 200,000 audits (issue 12): on PostgreSQL when it answers (SQLite at toy size).
    print(flush=True)
    # At full size on PostgreSQL (it skips, saying so, when PostgreSQL does not answer); SQLite: toy.
    on_postgres = options.database in ("all", "postgresql") and options.size != "toy"
    report_args = ["--postgres-url", options.postgres_url] if on_postgres else ["--size", "toy"]
    reports = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "bench.reports", *report_args],
        check=False,
        cwd=Path(__file__).resolve().parents[1],
        env={k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}},
    )
    pages_ok = pages_ok and reports.returncode == 0

    # send_reminders over 100,000 open actions (issue 11): SQLite, then PostgreSQL when it answers.
    reminders_ok = True
    reminder_databases: list[list[str]] = []
    if options.database in ("all", "sqlite"):
        reminder_databases.append([])
    if options.database in ("all", "postgresql"):
        reminder_databases.append(["--postgres-url", options.postgres_url])
    for database_args in reminder_databases:
        print(flush=True)
        reminders = subprocess.run(  # noqa: S603
            [
                sys.executable,
                "-m",
                "bench.reminders",
                *database_args,
                *(["--size", "toy"] if options.size == "toy" else []),
            ],
            check=False,
            cwd=Path(__file__).resolve().parents[1],
            env={k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}},
        )
        reminders_ok = reminders_ok and reminders.returncode == 0
    return 0 if imported_ok and allocation_ok and pages_ok and reminders_ok else 1


if __name__ == "__main__":
    sys.exit(main())
