"""Reminders (issue 11, ACT-3): `send_reminders` over 100,000 open actions — time and SQL queries
of the first run ever (no reminder sent before: every overdue action is owed one at once), of a
second run the same day (must send nothing), and of the next working day (a normal day).

The actions are due from 40 days before to 40 days after the first day, spread over 20,000
submitted audits and 100 owners (each with a line manager, copied in on the repeats). Mail goes
through the outbox as in production, delivered after each commit, to Django's dummy mail backend
(so the figures include the outbox's work but no mail server).

`run(...)` works inside a configured, migrated Django with templates loaded; the same code runs at
toy size in `make test` (bench/test_bench_reminders.py)."""

import argparse
import datetime
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from io import StringIO
from typing import Any
from urllib.parse import urlsplit, urlunsplit

FIRST_DAY = datetime.date(2027, 1, 13)  # a Wednesday
NEXT_DAY = datetime.date(2027, 1, 14)
SPREAD_DAYS = 40
OWNERS = 100
ACTIONS_PER_AUDIT = 5


@dataclass(frozen=True)
class RunFigures:
    label: str
    day: datetime.date
    seconds: float
    queries: int
    sent: dict[str, int]
    skipped: int

    @property
    def total(self) -> int:
        return sum(self.sent.values())


@contextmanager
def counted_queries() -> Iterator[list[int]]:
    """Count the SQL statements run (without keeping them: there are hundreds of thousands)."""
    from django.db import connection

    count = [0]

    def counter(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        count[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        yield count


def build(total: int) -> int:
    """`total` open actions of submitted audits, written in bulk; returns how many there are."""
    from django.db import transaction

    from bench.audit_pages import _authority, _filled_audit
    from bench.moderation import add_queued_audits
    from caseaudit.audits.models import Audit, AuditAction
    from caseaudit.audits.services import audit_submit
    from caseaudit.org.tests.factories import StaffFactory

    people = _authority()
    first = audit_submit(actor=people["auditor"].user, audit=_filled_audit(people))
    worker = people["worker"]
    group = worker.line_manager.line_manager
    owners: list[Any] = [
        StaffFactory(
            staff_id=f"BRPM{n:03d}", team=worker.team, line_manager=group, roles=["practice_manager"]
        )
        for n in range(OWNERS)
    ]
    made = AuditAction.objects.filter(status="open").count()
    audits_needed = max(0, (total - made) // ACTIONS_PER_AUDIT)
    add_queued_audits(template_audit=first, total=audits_needed, status="submitted")
    audit_ids = list(Audit.objects.exclude(pk=first.pk).values_list("pk", flat=True)) or [first.pk]
    batch, n = 5000, 0
    with transaction.atomic():
        while made < total:
            size = min(batch, total - made)
            AuditAction.objects.bulk_create(
                [
                    AuditAction(
                        audit_id=audit_ids[(n + i) // ACTIONS_PER_AUDIT % len(audit_ids)],
                        order=(n + i) % ACTIONS_PER_AUDIT,
                        what="Update the chronology with the family",
                        owner=owners[(n + i) % len(owners)],
                        due_date=FIRST_DAY
                        + datetime.timedelta(days=(n + i) % (2 * SPREAD_DAYS + 1) - SPREAD_DAYS),
                        impact="The plan follows from the child's history.",
                    )
                    for i in range(size)
                ]
            )
            n += size
            made += size
    return AuditAction.objects.filter(status="open").count()


def measure(label: str, day: datetime.date) -> RunFigures:
    from caseaudit.actions.reminders import reminders_send

    with counted_queries() as queries:
        start = time.perf_counter()
        run = reminders_send(today=day)
        seconds = time.perf_counter() - start
    return RunFigures(label, day, seconds, queries[0], dict(run.sent), run.skipped)


def run(total: int) -> tuple[int, list[RunFigures]]:
    actions = build(total)
    figures = [
        measure("first run ever", FIRST_DAY),
        measure("again, same day", FIRST_DAY),
        measure("next working day", NEXT_DAY),
    ]
    return actions, figures


def format_figures(actions: int, figures: list[RunFigures], backend: str) -> str:
    lines = [
        f"send_reminders over {actions:,} open actions ({backend}; outbox delivered to a dummy mail backend)",
        "run              | day        |  seconds |   queries | due soon | overdue | still overdue | skipped"
        " | queries/reminder",
    ]
    for f in figures:
        per = f"{f.queries / f.total:.1f}" if f.total else "-"
        lines.append(
            f"{f.label:<16} | {f.day.isoformat()} | {f.seconds:>8.2f} | {f.queries:>9,} | "
            f"{f.sent['due_soon']:>8,} | {f.sent['overdue']:>7,} | {f.sent['still_overdue']:>13,} | "
            f"{f.skipped:>7,} | {per:>16}"
        )
    return "\n".join(lines)


def _setup(database_url: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "caseaudit.config.settings.test"
    os.environ["DATABASE_URL"] = database_url
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
    call_command("migrate", verbosity=0)
    call_command("load_templates", stdout=StringIO())


def main(argv: list[str] | None = None) -> int:
    """On a fresh embedded SQLite database, or a PostgreSQL one made for it (--postgres-url)."""
    parser = argparse.ArgumentParser(prog="python -m bench.reminders", description=__doc__)
    parser.add_argument("--size", choices=("toy", "full"), default="full")
    parser.add_argument("--postgres-url", default=None, help="a database to create, use and drop")
    options = parser.parse_args(argv)
    total = 300 if options.size == "toy" else 100_000
    with tempfile.TemporaryDirectory(prefix="caseaudit-bench-reminders-") as folder:
        postgres: Any = None
        if options.postgres_url:
            from bench.import_register import PostgresDatabase

            # its own database, so that it never meets the import benchmark's
            parts = urlsplit(options.postgres_url)
            name = (parts.path.lstrip("/") or "caseaudit_bench") + "_reminders"
            postgres = PostgresDatabase(urlunsplit(parts._replace(path=f"/{name}")))
            why_not = postgres.available()
            if why_not is not None:
                print(f"PostgreSQL skipped: {why_not}", file=sys.stderr)
                return 0
            postgres.create()
        try:
            _setup(postgres.url if postgres else f"sqlite:///{folder}/bench.sqlite3")
            build_start = time.perf_counter()
            actions, figures = run(total)
            backend = postgres.version() if postgres else "SQLite"
        finally:
            if postgres is not None:
                from django.db import connections

                connections.close_all()
                postgres.drop()
    print(format_figures(actions, figures, backend))
    building = time.perf_counter() - build_start - sum(f.seconds for f in figures)
    print(f"(building the data took {building:.0f} s)")
    again = figures[1]
    return 0 if again.total == 0 and figures[0].total > 0 and figures[2].total > 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
