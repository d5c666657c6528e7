"""Actions (issue 11): SQL queries per page and render time of "My actions" (the practice manager
who owns the actions) and the QA actions list, beside Stage 1's audit page in the same run, with
few and with many (100,000) actions in the database — the query counts must not grow.

`run(...)` works inside a configured, migrated Django with templates loaded; the same code runs at
toy size in `make test` (bench/test_bench_action_pages.py)."""

import datetime
import os
import sys
import tempfile
from dataclasses import dataclass
from io import StringIO
from typing import Any

PAGES = ("mine", "list", "stage1")


@dataclass(frozen=True)
class ActionPageFigures:
    actions: int
    queries: dict[str, int]
    render_ms: dict[str, float]


def add_actions(*, template_audit: Any, owner: Any, total: int, per_audit: int = 4) -> None:
    """`total` more open actions, `per_audit` to each of new submitted audits like `template_audit`,
    owned by `owner`, due over the coming and the past weeks (some overdue). Written in bulk."""
    from bench.moderation import add_queued_audits
    from caseaudit.audits.models import Audit, AuditAction

    audits_needed = -(-total // per_audit)
    before = set(Audit.objects.values_list("pk", flat=True))
    add_queued_audits(template_audit=template_audit, total=audits_needed, status="submitted")
    new = [pk for pk in Audit.objects.order_by("pk").values_list("pk", flat=True) if pk not in before]
    today = datetime.date(2026, 12, 2)
    rows = []
    for index in range(total):
        rows.append(
            AuditAction(
                audit_id=new[index // per_audit],
                order=index % per_audit,
                what="Update the chronology with the school's concerns.",
                owner=owner,
                due_date=today + datetime.timedelta(days=(index % 60) - 20),
                impact="The plan follows from the child's history.",
            )
        )
        if len(rows) == 5000:
            AuditAction.objects.bulk_create(rows)
            rows = []
    AuditAction.objects.bulk_create(rows)


def measure(*, people: dict[str, Any], stage1: Any, repeats: int) -> ActionPageFigures:
    from django.test import Client
    from django.urls import reverse

    from bench.moderation import page_queries_and_times
    from caseaudit.audits.models import AuditAction

    owner, qa, auditor = Client(), Client(), Client()
    owner.force_login(people["practice_manager"].user)
    qa.force_login(people["qa"].user)
    auditor.force_login(people["auditor"].user)
    pages = {
        "mine": (owner, reverse("actions:mine")),
        "list": (qa, reverse("actions:list")),
        "stage1": (auditor, reverse("audits:overview", args=[stage1.pk])),
    }
    queries, render_ms = page_queries_and_times(pages, repeats=repeats)
    return ActionPageFigures(actions=AuditAction.objects.count(), queries=queries, render_ms=render_ms)


def run_pages(sizes: tuple[int, ...], repeats: int = 5) -> list[ActionPageFigures]:
    from bench.audit_pages import _filled_audit
    from bench.moderation import _moderated_audit, _people
    from caseaudit.audits.models import AuditAction

    people = _people()
    moderated = _moderated_audit(people)
    stage1 = _filled_audit(people)
    owner = moderated.practice_manager
    people["practice_manager"] = owner
    figures = []
    for total in sizes:
        more = max(0, total - AuditAction.objects.count())
        add_actions(template_audit=moderated, owner=owner, total=more)
        figures.append(measure(people=people, stage1=stage1, repeats=repeats))
    return figures


def format_pages(figures: list[ActionPageFigures]) -> str:
    lines = ["actions in db | queries mine/list/stage1 | render ms mine/list/stage1"]
    for f in figures:
        q = "/".join(str(f.queries[p]) for p in PAGES)
        r = "/".join(f"{f.render_ms[p]:.0f}" for p in PAGES)
        lines.append(f"{f.actions:>13,} | {q:>23} | {r:>26}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """On a fresh embedded SQLite database: the pages at 100 and at 100,000 actions."""
    toy = "--size" in (argv or []) and "toy" in (argv or [])
    sizes = (40, 200) if toy else (100, 100_000)
    with tempfile.TemporaryDirectory(prefix="caseaudit-bench-actions-") as folder:
        os.environ["DJANGO_SETTINGS_MODULE"] = "caseaudit.config.settings.test"
        os.environ.setdefault("DATABASE_URL", f"sqlite:///{folder}/bench.sqlite3")
        import django

        django.setup()
        from django.core.management import call_command
        from django.test.utils import setup_test_environment

        setup_test_environment()
        call_command("migrate", verbosity=0)
        call_command("load_templates", stdout=StringIO())
        figures = run_pages(sizes, repeats=3 if toy else 5)
    print("Action pages (Django test client, SQLite; My actions as their owner, the list as QA)")
    print(format_pages(figures))
    grew = {p: figures[-1].queries[p] - figures[0].queries[p] for p in PAGES}
    print("change in queries per page: " + ", ".join(f"{p} {n:+d}" for p, n in grew.items()))
    return 0 if not any(grew.values()) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
