"""Stage 2 moderation (issue 10): SQL queries per page and render time of the moderation queue and
of a moderated audit's overview page, beside Stage 1's audit page in the same run, with few and
with many (100,000) audits in the database (the query counts must not grow); and the time to
balance a month's queue of 2,000 audits across 60 moderators (plan and confirm).

`run(...)` works inside a configured, migrated Django with templates loaded; the same code runs at
toy size in `make test` (bench/test_bench_moderation.py)."""

import datetime
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from io import StringIO
from typing import Any

PAGES = ("queue", "moderated", "stage1")
MONTH = datetime.date(2026, 11, 1)


@dataclass(frozen=True)
class PageFigures:
    audits: int
    queued: int
    queries: dict[str, int]
    render_ms: dict[str, float]


@dataclass(frozen=True)
class BalanceFigures:
    audits: int
    moderators: int
    plan_ms: float
    confirm_ms: float
    assigned: int
    spread: int  # most loaded less least loaded, after


def add_queued_audits(
    *, template_audit: Any, total: int, status: str = "moderation", month: Any = None
) -> None:
    """Make the database hold `total` more audits like `template_audit` (its case, people, type
    and template), in `status`; those in Stage 2 with an unassigned Moderation (its own response to
    the Stage 2 template). Written in bulk."""
    from caseaudit.audits.models import Audit
    from caseaudit.moderation.models import Moderation
    from caseaudit.questionnaires.models import Response
    from caseaudit.templates_library.selectors import template_version_current

    stage2 = template_version_current(ref="stage2_moderation")
    assert stage2 is not None
    batch = 2000
    made = 0
    while made < total:
        size = min(batch, total - made)
        responses = Response.objects.bulk_create(
            [Response(template_version=template_audit.response.template_version) for _ in range(size)]
        )
        audits = Audit.objects.bulk_create(
            [
                Audit(
                    case=template_audit.case,
                    response=response,
                    audit_type=template_audit.audit_type,
                    auditor=template_audit.auditor,
                    worker=template_audit.worker,
                    practice_manager=template_audit.practice_manager,
                    status=status,
                    allocation_month=month,
                    stage1_grades=template_audit.stage1_grades,
                    effective_grades=template_audit.effective_grades,
                )
                for response in responses
            ]
        )
        if status == "moderation":
            moderation_responses = Response.objects.bulk_create(
                [Response(template_version=stage2) for _ in audits]
            )
            Moderation.objects.bulk_create(
                [
                    Moderation(audit=audit, response=response, due_date=datetime.date(2026, 12, 21))
                    for audit, response in zip(audits, moderation_responses, strict=True)
                ]
            )
        made += size


def _people() -> dict[str, Any]:
    from bench.audit_pages import _authority
    from caseaudit.org.tests.factories import StaffFactory

    people = _authority()
    people["moderator"] = StaffFactory(staff_id="BMOD", team=None, roles=["moderator"])
    people["qa"] = StaffFactory(staff_id="BQA", team=None, roles=["qa_officer"])
    return people


def _moderated_audit(people: dict[str, Any]) -> Any:
    """An audit taken through Stage 1, the worker's say and Stage 2 by the real services."""
    from django.db import transaction

    from bench.audit_pages import _filled_audit
    from caseaudit.audits.services import audit_submit
    from caseaudit.audits.services_grades import grade_refs
    from caseaudit.moderation.services.lifecycle import audit_lock, audit_move_on
    from caseaudit.moderation.services.stage2 import (
        GradeInput,
        moderation_assign,
        moderation_complete,
        moderation_save,
    )
    from caseaudit.templates_library.selectors import template_spec

    audit = audit_submit(
        actor=people["auditor"].user, audit=_filled_audit({**people, "case": people["background"]})
    )
    with transaction.atomic():
        audit_lock(audit)
        audit_move_on(actor=people["auditor"].user, audit=audit, event="feedback_given")
    moderator = people["moderator"]
    moderation_assign(actor=people["qa"].user, audit=audit, moderator=moderator)
    refs = grade_refs(template_spec(template_version=audit.template_version))
    grades = {ref: GradeInput(True) for ref in refs}
    grades["planning"] = GradeInput(False, "requires_improvement", "The plan has no SMART outcomes.")
    moderation_save(
        actor=moderator.user,
        audit=audit,
        answers={
            "discussion.date": "2027-01-12",
            "discussion.attendees": ["moderator", "group_manager", "practice_manager", "social_worker"],
            "discussion.record": "We discussed the plan and the strengths of the work. " * 6,
            "difference.made_a_difference": "partly",
        },
        grades=grades,
    )
    moderation_complete(actor=moderator.user, audit=audit)
    audit.refresh_from_db()
    return audit


def page_queries_and_times(
    pages: dict[str, tuple[Any, str]], *, repeats: int
) -> tuple[dict[str, int], dict[str, float]]:
    """For each page {name: (signed-in client, url)}: its SQL queries (after a warming request) and
    its median render time in ms over `repeats` requests. Shared by the page benches."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    queries: dict[str, int] = {}
    render_ms: dict[str, float] = {}
    for name, (client, url) in pages.items():
        client.get(url)  # warm
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
        queries[name] = len(captured.captured_queries)
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        render_ms[name] = statistics.median(times)
    return queries, render_ms


def measure(*, people: dict[str, Any], stage1: Any, moderated: Any, repeats: int) -> PageFigures:
    from django.test import Client
    from django.urls import reverse

    from caseaudit.audits.models import Audit

    qa, auditor = Client(), Client()
    qa.force_login(people["qa"].user)
    auditor.force_login(people["auditor"].user)
    pages = {
        "queue": (qa, reverse("moderation:queue")),
        "moderated": (qa, reverse("audits:overview", args=[moderated.pk])),
        "stage1": (auditor, reverse("audits:overview", args=[stage1.pk])),
    }
    queries, render_ms = page_queries_and_times(pages, repeats=repeats)
    return PageFigures(
        audits=Audit.objects.count(),
        queued=Audit.objects.filter(status="moderation").count(),
        queries=queries,
        render_ms=render_ms,
    )


def run_pages(sizes: tuple[int, ...], repeats: int = 5) -> tuple[list[PageFigures], dict[str, Any], Any]:
    """At each total of audits (a twentieth of them in Stage 2, the rest submitted or final)."""
    from caseaudit.audits.models import Audit

    people = _people()
    moderated = _moderated_audit(people)
    from bench.audit_pages import _filled_audit

    stage1 = _filled_audit(people)
    figures = []
    for total in sizes:
        have = Audit.objects.count()
        more = max(0, total - have)
        queued = more // 20
        add_queued_audits(template_audit=moderated, total=queued, month=MONTH)
        add_queued_audits(template_audit=moderated, total=(more - queued) // 2, status="submitted")
        add_queued_audits(
            template_audit=moderated, total=more - queued - (more - queued) // 2, status="final"
        )
        figures.append(measure(people=people, stage1=stage1, moderated=moderated, repeats=repeats))
    return figures, people, moderated


def run_balance(*, template_audit: Any, qa: Any, audits: int, moderators: int) -> BalanceFigures:
    """A month's queue of `audits` unassigned audits like `template_audit` shared by `qa` across
    `moderators` more moderators."""
    from caseaudit.moderation.services.balance import moderation_balance_confirm, moderation_balance_preview
    from caseaudit.org.tests.factories import StaffFactory

    month = datetime.date(2026, 10, 1)
    add_queued_audits(template_audit=template_audit, total=audits, month=month)
    for n in range(moderators):
        StaffFactory(staff_id=f"BMOD{n:03d}", team=None, roles=["moderator"])
    start = time.perf_counter()
    preview = moderation_balance_preview(user=qa, month=month)
    plan_ms = (time.perf_counter() - start) * 1000
    start = time.perf_counter()
    plan = moderation_balance_confirm(actor=qa, month=month, fingerprint=preview.plan.fingerprint())
    confirm_ms = (time.perf_counter() - start) * 1000
    loads = list(plan.loads_after.values())
    return BalanceFigures(
        audits=audits,
        moderators=len(loads),
        plan_ms=plan_ms,
        confirm_ms=confirm_ms,
        assigned=len(plan.assignments),
        spread=max(loads) - min(loads),
    )


def format_pages(figures: list[PageFigures]) -> str:
    lines = ["audits in db | in Stage 2 | queries queue/moderated/stage1 | render ms queue/moderated/stage1"]
    for f in figures:
        q = "/".join(str(f.queries[p]) for p in PAGES)
        r = "/".join(f"{f.render_ms[p]:.0f}" for p in PAGES)
        lines.append(f"{f.audits:>12,} | {f.queued:>10,} | {q:>31} | {r:>32}")
    return "\n".join(lines)


def format_balance(b: BalanceFigures) -> str:
    return (
        f"Balancing {b.audits:,} audits across {b.moderators} moderators: plan {b.plan_ms:.0f} ms, "
        f"confirm {b.confirm_ms:.0f} ms; {b.assigned:,} assigned, loads differ by {b.spread}"
    )


def main(argv: list[str] | None = None) -> int:
    """On a fresh embedded SQLite database: pages at 100 and 100,000 audits, then the balance."""
    toy = "--size" in (argv or []) and "toy" in (argv or [])
    sizes = (30, 120) if toy else (100, 100_000)
    balance = (40, 6) if toy else (2_000, 60)
    with tempfile.TemporaryDirectory(prefix="caseaudit-bench-moderation-") as folder:
        os.environ["DJANGO_SETTINGS_MODULE"] = "caseaudit.config.settings.test"
        os.environ.setdefault("DATABASE_URL", f"sqlite:///{folder}/bench.sqlite3")
        import django

        django.setup()
        from django.core.management import call_command
        from django.test.utils import setup_test_environment

        setup_test_environment()
        call_command("migrate", verbosity=0)
        call_command("load_templates", stdout=StringIO())
        figures, people, moderated = run_pages(sizes, repeats=3 if toy else 5)
        balanced = run_balance(
            template_audit=moderated, qa=people["qa"].user, audits=balance[0], moderators=balance[1]
        )
    print("Stage 2 moderation pages (Django test client, SQLite; queue and moderated audit as QA)")
    print(format_pages(figures))
    grew = {p: figures[-1].queries[p] - figures[0].queries[p] for p in PAGES}
    print("change in queries per page: " + ", ".join(f"{p} {n:+d}" for p, n in grew.items()))
    print(format_balance(balanced))
    return 0 if not any(grew.values()) and balanced.spread <= 1 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
