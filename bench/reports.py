"""Stage 3 at scale (issue 12): on PostgreSQL, 200,000 submitted audits with their answers (about
8 million answer rows), section rows, actions, moderations, escalations and family feedback,
spread over eight quarters (the last the busiest):

- the busiest quarter's summary (`report_summary`, as the API counts it) and the dashboard page
  (as a QA officer sees it), time and SQL queries, beside one hand-written SQL statement that
  counts the same figures, in the same run;
- theme suggestion over 20,000 fragments of the labelled set: time, the Python heap's peak
  (tracemalloc, numpy's arrays included) and the adjusted Rand index beside plain TF-IDF +
  k-means;
- the quarterly report's PDF and spreadsheet for the busiest quarter.

`run(...)` works inside a configured, migrated Django with templates loaded; the same code runs at
toy size on SQLite in `make test` (bench/test_bench_reports.py)."""

import argparse
import datetime
import os
import random
import re
import sys
import tempfile
import time
import tracemalloc
from dataclasses import dataclass
from io import StringIO
from typing import Any
from urllib.parse import urlsplit, urlunsplit

GRADES = ("outstanding", "good", "requires_improvement", "inadequate")
SECTIONS = ("assessment", "planning", "intervention", "review", "reflection_supervision")
MEANINGS = ("child_seen", "child_seen_alone", "child_voice")
QUARTERS = [(2025, 1), (2025, 2), (2025, 3), (2025, 4), (2026, 1), (2026, 2), (2026, 3), (2026, 4)]
WEIGHTS = [1, 1, 1, 1, 1, 1, 1, 2]  # the last quarter is the busiest
TODAY = datetime.date(2027, 1, 20)
ANSWERS_PER_AUDIT = 40
BATCH = 5000


@dataclass(frozen=True)
class Timed:
    label: str
    seconds: float
    queries: int


@dataclass(frozen=True)
class ReportFigures:
    audits: int
    answers: int
    actions: int
    quarter_audits: int
    timings: list[Timed]
    themes_seconds: float
    themes_peak_mib: float
    themes_fragments: int
    themes_found: int
    ari_ours: float
    ari_baseline: float
    build_seconds: float
    same_as_sql: bool
    differ: list[str]


def _quarter_dates(rng: random.Random, year: int, number: int) -> datetime.date:
    start = datetime.date(year, 3 * number - 2, 1)
    return start + datetime.timedelta(days=rng.randrange(89))


def _action(rng: random.Random, audit: Any, order: int) -> Any:
    from caseaudit.audits.models import AuditAction

    status = rng.choice(["open", "done", "signed_off", "signed_off"])
    due = audit.audit_date + datetime.timedelta(days=rng.randrange(7, 28))
    done_at = None
    if status != "open":
        done_on = due + datetime.timedelta(days=rng.randrange(-10, 10))
        done_at = datetime.datetime.combine(done_on, datetime.time(10), tzinfo=datetime.UTC)
    return AuditAction(
        audit=audit,
        order=order,
        what="Update the chronology with the school's concerns.",
        owner=audit.practice_manager,
        due_date=due,
        impact="The plan follows from the child's history.",
        status=status,
        done_at=done_at,
    )


def build(total: int, *, seed: int = 12) -> tuple[dict[str, Any], int, int]:
    """`total` submitted audits and what hangs off them, written in bulk (COPY on PostgreSQL for
    the answers). Returns (people, answers, actions)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from caseaudit.actions.models import ActionEvent, Escalation
    from caseaudit.audits.models import Audit, AuditAction, FamilyRespondent, GradeChange
    from caseaudit.cases.tests.factories import CaseFactory
    from caseaudit.moderation.models import Moderation
    from caseaudit.org.tests.factories import GeographicalAreaFactory, StaffFactory, TeamFactory
    from caseaudit.questionnaires.models import Response, ResponseAnswer, ResponseSection
    from caseaudit.templates_library.selectors import template_spec, template_version_current

    rng = random.Random(seed)
    area = GeographicalAreaFactory(name="Bench area")
    head = StaffFactory(staff_id="RHOS", team=None, roles=["head_of_service"])
    qa = StaffFactory(staff_id="RQA", team=None, roles=["qa_officer"])
    auditors: list[Any] = [
        StaffFactory(staff_id=f"RGM{n}", team=None, line_manager=head, roles=["group_manager"])
        for n in range(10)
    ]
    cases: list[tuple[Any, Any, Any]] = []
    for t in range(20):
        team = TeamFactory(team_id=f"RT{t}", name=f"Bench team {t:02d}", geographical_area=area)
        manager = StaffFactory(
            staff_id=f"RPM{t}", team=team, line_manager=auditors[t % 10], roles=["practice_manager"]
        )
        worker = StaffFactory(staff_id=f"RSW{t}", team=team, line_manager=manager, roles=["social_worker"])
        cases += [
            (CaseFactory(case_id=f"RC{t}-{c}", team=team, allocated_worker=worker), worker, manager)
            for c in range(10)
        ]
    stage1 = template_version_current(ref="stage1_good_practice")
    stage2 = template_version_current(ref="stage2_moderation")
    assert stage1 is not None and stage2 is not None
    refs = [q.ref for q in template_spec(template_version=stage1).questions][:ANSWERS_PER_AUDIT]
    now = timezone.now()
    answers = actions = 0
    postgres = connection.vendor == "postgresql"
    made = 0
    while made < total:
        size = min(BATCH, total - made)
        with transaction.atomic():
            responses = Response.objects.bulk_create([Response(template_version=stage1) for _ in range(size)])
            rows = []
            for response in responses:
                case, worker, manager = rng.choice(cases)
                year, number = rng.choices(QUARTERS, weights=WEIGHTS)[0]
                audit_date = _quarter_dates(rng, year, number)
                overall = rng.choices(GRADES, weights=[1, 5, 4, 1])[0]
                grades = {ref: rng.choice(GRADES) for ref in SECTIONS} | {"overall": overall}
                effective = dict(grades)
                if rng.random() < 0.1:
                    effective["overall"] = rng.choice(GRADES)
                due = audit_date + datetime.timedelta(days=rng.randrange(-5, 20))
                submitted = datetime.datetime.combine(
                    audit_date + datetime.timedelta(days=rng.randrange(0, 15)),
                    datetime.time(12),
                    tzinfo=datetime.UTC,
                )
                rows.append(
                    Audit(
                        case=case,
                        response=response,
                        audit_type="good_practice",
                        auditor=rng.choice(auditors),
                        worker=worker,
                        practice_manager=manager,
                        audit_date=audit_date,
                        due_date=due,
                        status="final",
                        submitted_at=submitted,
                        stage1_grades=grades,
                        effective_grades=effective,
                        judgements={
                            m: rng.choices(["yes", "no", "na"], weights=[8, 1, 1])[0] for m in MEANINGS
                        },
                    )
                )
            audits: list[Any] = Audit.objects.bulk_create(rows)
            answer_rows = [
                (response.pk, ref, rng.choice(["yes", "yes", "no", "na"]), "", now)
                for response in responses
                for ref in refs
            ]
            if postgres:
                columns = "response_id, question_ref, value, reason, updated_at"
                with (
                    connection.cursor() as cursor,
                    cursor.connection.cursor().copy(
                        f"COPY questionnaires_responseanswer ({columns}) FROM STDIN"
                    ) as copy,
                ):
                    for row in answer_rows:
                        copy.write_row(row)
            else:
                ResponseAnswer.objects.bulk_create(
                    [
                        ResponseAnswer(response_id=r, question_ref=q, value=v, reason=x, updated_at=u)
                        for r, q, v, x, u in answer_rows
                    ],
                    batch_size=BATCH,
                )
            answers += len(answer_rows)
            ResponseSection.objects.bulk_create(
                [
                    ResponseSection(
                        response=audit.response, section_ref=ref, grade=audit.stage1_grades[ref], comments=""
                    )
                    for audit in audits
                    for ref in SECTIONS
                ],
                batch_size=BATCH,
            )
            new_actions: list[Any] = AuditAction.objects.bulk_create(
                [_action(rng, audit, n) for audit in audits for n in range(2)], batch_size=BATCH
            )
            actions += len(new_actions)
            ActionEvent.objects.bulk_create(
                [
                    ActionEvent(
                        action=a,
                        kind="done",
                        from_status="open",
                        to_status="done",
                        note="Done.",
                        at=a.done_at,
                    )
                    for a in new_actions
                    if a.done_at is not None
                ],
                batch_size=BATCH,
            )
            moderated = [audit for audit in audits if rng.random() < 0.3]
            moderation_responses = Response.objects.bulk_create(
                [Response(template_version=stage2) for _ in moderated]
            )
            Moderation.objects.bulk_create(
                [
                    Moderation(
                        audit=audit,
                        response=response,
                        due_date=audit.audit_date + datetime.timedelta(days=30),
                        completed_at=datetime.datetime.combine(
                            audit.audit_date + datetime.timedelta(days=rng.randrange(10, 40)),
                            datetime.time(15),
                            tzinfo=datetime.UTC,
                        ),
                    )
                    for audit, response in zip(moderated, moderation_responses, strict=True)
                ]
            )
            Audit.objects.filter(pk__in=[a.pk for a in moderated]).update(
                moderated_grades={"overall": "good"}
            )
            GradeChange.objects.bulk_create(
                [
                    GradeChange(
                        audit=a,
                        stage="stage2",
                        ref="overall",
                        from_grade=a.stage1_grades["overall"],
                        to_grade=a.effective_grades["overall"],
                        reason="Bench.",
                    )
                    for a in audits
                    if a.effective_grades["overall"] != a.stage1_grades["overall"]
                ]
            )
            Escalation.objects.bulk_create(
                [
                    Escalation(
                        audit=a,
                        status=rng.choice(["open", "closed"]),
                        stage="submitted",
                        due_date=a.audit_date + datetime.timedelta(days=7),
                    )
                    for a in audits
                    if a.effective_grades["overall"] == "inadequate" and rng.random() < 0.2
                ]
            )
            FamilyRespondent.objects.bulk_create(
                [FamilyRespondent(audit=a, who="child", consent="yes") for a in audits if rng.random() < 0.1]
            )
        made += size
    return {"qa": qa}, answers, actions


HAND_SQL = """
SELECT * FROM (
  SELECT
    COUNT(*) AS audits,
    {grades},
    {sections},
    {limiting},
    COUNT(*) FILTER (WHERE a.due_date IS NOT NULL AND {submitted_date} <= a.due_date) AS stage1_on_time,
    COUNT(*) FILTER (WHERE a.due_date IS NOT NULL AND {submitted_date} > a.due_date) AS stage1_late,
    COUNT(*) FILTER (WHERE m.due_date IS NOT NULL AND m.completed_at IS NOT NULL
                     AND {completed_date} <= m.due_date) AS stage2_on_time,
    COUNT(*) FILTER (WHERE m.due_date IS NOT NULL AND (({completed_date} > m.due_date)
                     OR (m.completed_at IS NULL AND m.due_date < %(today)s))) AS stage2_late,
    COUNT(*) FILTER (WHERE m.completed_at IS NOT NULL) AS moderated
  FROM audits_audit a LEFT JOIN moderation_moderation m ON m.audit_id = a.id
  WHERE {period_a}
) a, (
  SELECT
    COUNT(*) FILTER (WHERE status = 'open') AS actions_open,
    COUNT(*) FILTER (WHERE status = 'done') AS actions_done,
    COUNT(*) FILTER (WHERE status = 'signed_off') AS actions_signed_off,
    COUNT(*) FILTER (WHERE status = 'cancelled') AS actions_cancelled,
    COUNT(*) FILTER (WHERE status = 'open' AND due_date < %(today)s) AS actions_overdue,
    COUNT(*) FILTER (WHERE status = 'open' AND due_date < %(drift)s) AS actions_drifting,
    COUNT(*) FILTER (WHERE status IN ('done', 'signed_off') AND {done_date} <= due_date)
      AS actions_completed_on_time
  FROM audits_auditaction WHERE audit_id IN (SELECT id FROM audits_audit y WHERE {period_y})
) x, (
  SELECT
    COUNT(*) FILTER (WHERE status = 'open') AS escalations_open,
    COUNT(*) FILTER (WHERE status = 'open' AND due_date < %(today)s) AS escalations_overdue,
    COUNT(*) FILTER (WHERE status = 'closed') AS escalations_closed
  FROM actions_escalation WHERE audit_id IN (SELECT id FROM audits_audit y WHERE {period_y})
) e, (
  SELECT COUNT(DISTINCT audit_id) AS changed,
         COUNT(DISTINCT audit_id) FILTER (WHERE ref = 'overall') AS overall_changed
  FROM audits_gradechange WHERE audit_id IN (SELECT id FROM audits_audit y WHERE {period_y})
) g, (
  SELECT COUNT(DISTINCT audit_id) AS family_audits, COUNT(*) AS family_respondents
  FROM audits_familyrespondent
  WHERE consent = 'yes' AND audit_id IN (SELECT id FROM audits_audit y WHERE {period_y})
) f
"""


def hand_sql(vendor: str, sections: list[str]) -> str:
    """The summary's figures (reports.selectors.report_summary) for QA, by hand, in one statement."""

    def key(field: str, name: str) -> str:
        return f"a.{field} ->> '{name}'" if vendor == "postgresql" else f"json_extract(a.{field}, '$.{name}')"

    statuses = "('submitted','head_of_qa_review','moderation','panel','final')"

    def local_date(column: str) -> str:
        if vendor == "postgresql":
            return f"DATE({column} AT TIME ZONE 'Europe/London')"
        return f"DATE({column})"  # the tests' SQLite runs in UTC

    return HAND_SQL.format(
        grades=", ".join(
            f"COUNT(*) FILTER (WHERE {key('effective_grades', 'overall')} = '{g}') AS overall_{g}"
            for g in GRADES
        ),
        sections=", ".join(
            f"COUNT(*) FILTER (WHERE {key('effective_grades', s)} = '{g}') AS \"section_{s}_{g}\""
            for s in sections
            for g in GRADES
        ),
        limiting=", ".join(
            f"COUNT(*) FILTER (WHERE {key('judgements', m)} = '{v}') AS limiting_{m}_{v}"
            for m in MEANINGS
            for v in ("yes", "no", "na")
        ),
        submitted_date=local_date("a.submitted_at"),
        completed_date=local_date("m.completed_at"),
        done_date=local_date("done_at"),
        period_a=f"a.audit_date >= %(start)s AND a.audit_date <= %(end)s AND a.status IN {statuses}",
        period_y=f"y.audit_date >= %(start)s AND y.audit_date <= %(end)s AND y.status IN {statuses}",
    )


def same_figures(hand: dict[str, Any], summary: dict[str, Any], sections: list[str]) -> list[str]:
    """The figures where the hand-written SQL and report_summary differ (none, it is hoped)."""
    pairs = {
        "audits": summary["audits"],
        **{f"overall_{g}": summary["overall_grades"][g] for g in GRADES},
        **{
            f"section_{s}_{g}": summary["section_grades"].get(s, {}).get(g, 0)
            for s in sections
            for g in GRADES
        },
        **{f"limiting_{m}_{v}": summary["limiting"][m][v] for m in MEANINGS for v in ("yes", "no", "na")},
        **{
            name: summary["timeliness"][name]
            for name in ("stage1_on_time", "stage1_late", "stage2_on_time", "stage2_late")
        },
        "moderated": summary["moderation"]["moderated"],
        "changed": summary["moderation"]["changed"],
        "overall_changed": summary["moderation"]["overall_changed"],
        **{f"actions_{name}": summary["actions"][name] for name in summary["actions"]},
        **{f"escalations_{name}": summary["escalations"][name] for name in ("open", "overdue", "closed")},
        "family_audits": summary["family_feedback"]["audits"],
        "family_respondents": summary["family_feedback"]["respondents"],
    }
    return [name for name, value in pairs.items() if hand.get(name) != value]


def _best_of(label: str, repeats: int, work: Any) -> tuple[Timed, Any]:
    from bench.reminders import counted_queries

    best, result, queries = float("inf"), None, 0
    for _ in range(repeats):
        with counted_queries() as counted:
            start = time.perf_counter()
            result = work()
            seconds = time.perf_counter() - start
        if seconds < best:
            best, queries = seconds, counted[0]
    return Timed(label, best, queries), result


def run(*, total: int, fragments: int, repeats: int = 3) -> ReportFigures:
    from django.db import connection
    from django.test import Client
    from sklearn.metrics import adjusted_rand_score

    from caseaudit.core.calendar import long_date  # noqa: F401  (Django is set up)
    from caseaudit.demo.history_text import labelled_set
    from caseaudit.moderation.sampling import Quarter
    from caseaudit.reports.figures import DRIFT_DAYS
    from caseaudit.reports.filters import ReportFilter
    from caseaudit.reports.quarterly import quarterly_data
    from caseaudit.reports.quarterly_documents import quarterly_pdf, quarterly_xlsx
    from caseaudit.reports.selectors import graded_sections, report_audits, report_summary
    from caseaudit.reports.themes import baseline_labels, suggest_themes, theme_labels

    start = time.perf_counter()
    people, answers, actions = build(total)
    build_seconds = time.perf_counter() - start
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # as autovacuum would have by now (a test's transaction allows ANALYZE alone)
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
    qa = people["qa"].user
    quarter = Quarter(2026, 4)
    report = ReportFilter(start=quarter.start, end=quarter.end)
    timings: list[Timed] = []
    summary_timed, summary = _best_of(
        "quarter's summary (report_summary)",
        repeats,
        lambda: report_summary(user=qa, report=report, today=TODAY),
    )
    timings.append(summary_timed)
    sections = [ref for ref, _ in graded_sections()]
    params = {
        "start": quarter.start,
        "end": quarter.end,
        "today": TODAY,
        "drift": TODAY - datetime.timedelta(days=DRIFT_DAYS),
    }
    sql = hand_sql(connection.vendor, sections)
    if connection.vendor != "postgresql":
        sql = re.sub(r"%\((\w+)\)s", r":\1", sql)

    def by_hand() -> dict[str, Any]:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            names = [column[0] for column in cursor.description]
            return dict(zip(names, cursor.fetchone(), strict=True))

    hand_timed, hand = _best_of("one hand-written SQL statement of the same figures", repeats, by_hand)
    timings.append(hand_timed)
    client = Client()
    client.force_login(qa)
    page_timed, response = _best_of(
        "dashboard page (QA officer)", repeats, lambda: client.get("/reports/", {"period": "2026Q4"})
    )
    assert response.status_code == 200
    timings.append(page_timed)
    differ = same_figures(hand, summary, sections)
    data_timed, data = _best_of(
        "quarterly report: its data", 1, lambda: quarterly_data(quarter=quarter, user=qa, today=TODAY)
    )
    timings.append(data_timed)
    pdf_timed, _ = _best_of("quarterly report: PDF", 1, lambda: quarterly_pdf(data))
    timings.append(pdf_timed)
    xlsx_timed, _ = _best_of("quarterly report: spreadsheet", 1, lambda: quarterly_xlsx(data))
    timings.append(xlsx_timed)

    labelled = labelled_set(random.Random(20), fragments)
    texts = [fragment.text for fragment in labelled]
    tracemalloc.start()
    themes_start = time.perf_counter()
    themes = suggest_themes(texts)
    themes_seconds = time.perf_counter() - themes_start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    truth = [f"{fragment.area}/{fragment.kind}" for fragment in labelled]
    ours = adjusted_rand_score(truth, theme_labels(texts, themes))
    baseline = adjusted_rand_score(truth, baseline_labels(texts, 22))
    return ReportFigures(
        audits=total,
        answers=answers,
        actions=actions,
        quarter_audits=report_audits(user=qa, report=report).count(),
        timings=timings,
        themes_seconds=themes_seconds,
        themes_peak_mib=peak / 2**20,
        themes_fragments=len(texts),
        themes_found=len(themes),
        ari_ours=ours,
        ari_baseline=baseline,
        build_seconds=build_seconds,
        same_as_sql=not differ,
        differ=differ,
    )


def format_figures(f: ReportFigures, backend: str) -> str:
    lines = [
        f"Stage 3 over {f.audits:,} submitted audits ({f.answers:,} answer rows, {f.actions:,} actions) "
        f"on {backend}; the busiest quarter (2026 Q4) holds {f.quarter_audits:,} audits "
        "(best of 3 where repeated)",
        "what                                               |  seconds | queries",
    ]
    for t in f.timings:
        lines.append(f"{t.label:<50} | {t.seconds:>8.3f} | {t.queries:>7}")
    summary, hand, page = f.timings[0], f.timings[1], f.timings[2]
    lines.append(
        f"summary / hand-written SQL: {summary.seconds / hand.seconds:.2f}×; "
        f"dashboard page / hand-written SQL: {page.seconds / hand.seconds:.2f}×; "
        "the same figures as the hand-written SQL: "
        + ("yes" if f.same_as_sql else "NO: " + ", ".join(f.differ))
    )
    lines.append(
        f"themes over {f.themes_fragments:,} fragments: {f.themes_seconds:.1f} s, "
        f"Python heap peak {f.themes_peak_mib:.0f} MiB, {f.themes_found} themes; "
        f"adjusted Rand index against the labelled areas and kinds: {f.ari_ours:.3f} "
        f"(plain TF-IDF + k-means, 22 clusters, same run: {f.ari_baseline:.3f})"
    )
    lines.append(f"(building the data took {f.build_seconds:.0f} s)")
    return "\n".join(lines)


def _setup(database_url: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "caseaudit.config.settings.test"
    os.environ["DATABASE_URL"] = database_url
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()
    call_command("migrate", verbosity=0)
    call_command("load_templates", stdout=StringIO())


def main(argv: list[str] | None = None) -> int:
    """On a PostgreSQL database made for it (--postgres-url); on SQLite at toy size."""
    parser = argparse.ArgumentParser(prog="python -m bench.reports", description=__doc__)
    parser.add_argument("--size", choices=("toy", "full"), default="full")
    parser.add_argument("--postgres-url", default=None, help="a database to create, use and drop")
    options = parser.parse_args(argv)
    total, fragments = (600, 600) if options.size == "toy" else (200_000, 20_000)
    with tempfile.TemporaryDirectory(prefix="caseaudit-bench-reports-") as folder:
        postgres: Any = None
        if options.postgres_url:
            from bench.import_register import PostgresDatabase

            parts = urlsplit(options.postgres_url)
            name = (parts.path.lstrip("/") or "caseaudit_bench") + "_reports"
            postgres = PostgresDatabase(urlunsplit(parts._replace(path=f"/{name}")))
            why_not = postgres.available()
            if why_not is not None:
                print(f"PostgreSQL skipped: {why_not}", file=sys.stderr)
                return 0
            postgres.create()
        try:
            _setup(postgres.url if postgres else f"sqlite:///{folder}/bench.sqlite3")
            figures = run(total=total, fragments=fragments)
            backend = postgres.version() if postgres else "SQLite"
        finally:
            if postgres is not None:
                from django.db import connections

                connections.close_all()
                postgres.drop()
    print(format_figures(figures, backend))
    return 0 if figures.same_as_sql else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
