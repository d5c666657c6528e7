"""Audit pages and the audit PDF (issue 3): how long the form and the PDF take to render for
an audit with every answer filled, and how many SQL queries each audit page makes with few
and with many audits in the database (the count must not grow with the number of audits).

`measure(background_audits=N)` runs inside a configured Django with templates loaded; the
same code runs at toy size in `make test` (bench/test_bench_audit_pages.py)."""

import datetime
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from io import StringIO
from typing import Any

PAGES = ("overview", "section", "check")


@dataclass(frozen=True)
class PageFigures:
    background_audits: int
    queries: dict[str, int]
    render_ms: dict[str, float]
    pdf_ms: float
    pdf_bytes: int


def _authority() -> dict[str, Any]:
    """A worker, their practice manager and group manager, an auditor from another line."""
    from caseaudit.cases.tests.factories import CaseFactory
    from caseaudit.org.tests.factories import GeographicalAreaFactory, StaffFactory, TeamFactory

    area = GeographicalAreaFactory(name="Bench area")
    team = TeamFactory(team_id="BT1", name="Bench team", geographical_area=area)
    other = TeamFactory(team_id="BT2", name="Bench other team", geographical_area=area)
    head = StaffFactory(staff_id="BHOS", team=None, roles=["head_of_service"])
    group = StaffFactory(staff_id="BGM", team=None, line_manager=head, roles=["group_manager"])
    practice = StaffFactory(staff_id="BPM", team=team, line_manager=group, roles=["practice_manager"])
    worker = StaffFactory(staff_id="BSW", team=team, line_manager=practice, roles=["social_worker"])
    auditor = StaffFactory(
        staff_id="BAUD", team=other, line_manager=head, roles=["group_manager", "qa_officer"]
    )
    case = CaseFactory(case_id="BC1", team=team, allocated_worker=worker)
    background = CaseFactory(case_id="BC2", team=team, allocated_worker=worker)
    return {"auditor": auditor, "case": case, "background": background, "worker": worker}


def _filled_audit(people: dict[str, Any]) -> Any:
    from caseaudit.audits.services import audit_save, audit_start
    from caseaudit.templates_library.selectors import template_spec

    auditor = people["auditor"]
    audit = audit_start(
        actor=auditor.user,
        case=people["case"],
        audit_type="good_practice",
        audit_date=datetime.date(2026, 12, 2),
        auditor=auditor,
    )
    spec = template_spec(template_version=audit.template_version)
    answers: dict[str, Any] = {}
    for question in spec.questions:
        if question.answer_type == "yes_no_na":
            answers[question.ref] = "yes"
        elif question.answer_type == "date":
            answers[question.ref] = "2026-10-01"
        elif question.answer_type == "text":
            answers[question.ref] = "The worker knows the child well. " * 8
    return audit_save(
        actor=auditor.user,
        audit=audit,
        answers=answers,
        comments={
            section.ref: "Discussed with the worker; evidence on file. " * 5 for section in spec.sections
        },
        section_grades={section.ref: "good" for section in spec.graded_sections},
        overall_grade="good",
        actions=[
            {
                "what": f"Action {n}: update the plan with the family",
                "due_date": "2026-12-23",
                "impact": "The child knows what will happen next.",
            }
            for n in range(1, 4)
        ],
    )


def add_background_audits(*, people: dict[str, Any], template_audit: Any, total: int) -> None:
    """Make the database hold `total` other audits (each with its response and its sections),
    written in bulk."""
    from caseaudit.audits.models import Audit
    from caseaudit.questionnaires.models import Response, ResponseSection

    have = Audit.objects.exclude(pk=template_audit.pk).count()
    sections = list(template_audit.response.sections.values_list("section_ref", flat=True))
    batch = 1000
    while have < total:
        size = min(batch, total - have)
        responses = Response.objects.bulk_create(
            [
                Response(template_version=template_audit.template_version, overall_grade="good")
                for _ in range(size)
            ]
        )
        Audit.objects.bulk_create(
            [
                Audit(
                    case=people["background"],
                    response=response,
                    audit_type="good_practice",
                    auditor=people["auditor"],
                    worker=people["worker"],
                    status=Audit.Status.SUBMITTED,
                )
                for response in responses
            ]
        )
        ResponseSection.objects.bulk_create(
            [
                ResponseSection(response=response, section_ref=ref, grade="good")
                for response in responses
                for ref in sections
            ]
        )
        have += size


def measure(*, people: dict[str, Any], audit: Any, repeats: int = 5) -> PageFigures:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from caseaudit.audits.documents import audit_document_html, audit_pdf_bytes
    from caseaudit.audits.models import Audit

    client = Client()
    client.force_login(people["auditor"].user)
    urls = {
        "overview": reverse("audits:overview", args=[audit.pk]),
        "section": reverse("audits:section", args=[audit.pk, "assessment"]),
        "check": reverse("audits:check", args=[audit.pk]),
    }
    queries: dict[str, int] = {}
    render_ms: dict[str, float] = {}
    for name, url in urls.items():
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
    pdf_times = []
    size = 0
    for _ in range(max(1, repeats // 2)):
        start = time.perf_counter()
        size = len(audit_pdf_bytes(audit_document_html(audit=audit)))
        pdf_times.append((time.perf_counter() - start) * 1000)
    return PageFigures(
        background_audits=Audit.objects.count() - 1,
        queries=queries,
        render_ms=render_ms,
        pdf_ms=statistics.median(pdf_times),
        pdf_bytes=size,
    )


def run(sizes: tuple[int, ...], repeats: int = 5) -> list[PageFigures]:
    """Inside a configured, migrated Django with templates loaded: measure at each size."""
    people = _authority()
    audit = _filled_audit(people)
    figures = []
    for total in sizes:
        add_background_audits(people=people, template_audit=audit, total=total)
        figures.append(measure(people=people, audit=audit, repeats=repeats))
    return figures


def format_figures(figures: list[PageFigures]) -> str:
    lines = [
        "audits in db | queries overview/section/check | render ms overview/section/check | PDF ms | PDF KiB",
    ]
    for f in figures:
        q = "/".join(str(f.queries[p]) for p in PAGES)
        r = "/".join(f"{f.render_ms[p]:.0f}" for p in PAGES)
        lines.append(
            f"{f.background_audits + 1:>12} | {q:>30} | {r:>33} | "
            f"{f.pdf_ms:>6.0f} | {f.pdf_bytes / 1024:>7.0f}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run on a fresh embedded SQLite database (the default engine), 10 then 10,000 audits."""
    toy = "--size" in (argv or []) and "toy" in (argv or [])
    sizes = (10, 50) if toy else (10, 10_000)
    with tempfile.TemporaryDirectory(prefix="caseaudit-bench-audits-") as folder:
        os.environ["DJANGO_SETTINGS_MODULE"] = "caseaudit.config.settings.test"
        os.environ.setdefault("DATABASE_URL", f"sqlite:///{folder}/bench.sqlite3")
        import django

        django.setup()
        from django.core.management import call_command
        from django.test.utils import setup_test_environment

        setup_test_environment()
        call_command("migrate", verbosity=0)
        call_command("load_templates", stdout=StringIO())
        figures = run(sizes, repeats=3 if toy else 5)
    print("Audit pages and PDF (one audit with every answer filled; Django test client, SQLite)")
    print(format_figures(figures))
    grew = {p: figures[-1].queries[p] - figures[0].queries[p] for p in PAGES}
    sizes_seen = f"{figures[0].background_audits + 1:,} to {figures[-1].background_audits + 1:,} audits"
    print(
        f"change in queries per page from {sizes_seen}: " + ", ".join(f"{p} {n:+d}" for p, n in grew.items())
    )
    return 0 if not any(grew.values()) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
