"""The QA quarterly report for the Policy and Practice Steering Group (QA-3, CONTRACTS §11): one
set of data, counted by the same selectors as the dashboard and the API, that the page shows,
the PDF prints and the spreadsheet lays out a sheet per table — so every figure in them is the
API's for the same quarter.

It is QA's report: every audit of the quarter is counted (restricted ones included, as QA's
figures are); the quotes (themes, family voice) come only from audits that are not restricted,
and story boards never hold a child's name (checked when they are written)."""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import OuterRef, Subquery
from django.db.models.fields.json import KeyTextTransform

from caseaudit.actions.models import StoryBoard
from caseaudit.audits.models import Audit, FamilyRespondent
from caseaudit.cases.models import Child
from caseaudit.moderation.sampling import Quarter
from caseaudit.org.selectors import authority_name
from caseaudit.questionnaires.models import ResponseAnswer
from caseaudit.reports.filters import ReportFilter, four_quarters_to
from caseaudit.reports.models import QuarterlyReport, Theme
from caseaudit.reports.presenters import JUDGEMENT_LABELS, VALUE_LABELS, good_or_better
from caseaudit.reports.selectors import (
    grade_scale,
    graded_sections,
    report_audits,
    report_breakdown,
    report_grades,
    report_summary,
    report_trend,
)
from caseaudit.reports.selectors_agreement import agreement_report
from caseaudit.reports.selectors_themes import period_themes, theme_samples

QUOTE_LENGTH = 220
REAUDITED_PRINTED = 20
FAMILY_QUOTES = 6
WHO = dict(FamilyRespondent.Who.choices)


@dataclass(frozen=True)
class Sheet:
    """One table of the report: a sheet of the spreadsheet, a table of the PDF and the page."""

    name: str  # the sheet's name (at most 31 characters)
    title: str
    headers: list[str]
    rows: list[list[Any]]
    chart_columns: list[int] = field(default_factory=list)  # the columns a chart of it draws
    note: str = ""
    pdf_rows: int | None = None  # the PDF prints at most this many rows (the spreadsheet has all)

    @property
    def printed_rows(self) -> list[list[Any]]:
        return self.rows if self.pdf_rows is None else self.rows[: self.pdf_rows]

    @property
    def not_printed(self) -> int:
        return len(self.rows) - len(self.printed_rows)


@dataclass(frozen=True)
class QuotedTheme:
    label: str
    kind: str
    fragments: int
    audits: int
    terms: list[str]
    quotes: list[str]


@dataclass(frozen=True)
class QuarterlyData:
    authority: str
    quarter: Quarter
    made_on: datetime.date
    headline: list[tuple[str, str]]
    sheets: list[Sheet]
    themes: list[QuotedTheme]
    family_quotes: list[tuple[str, str]]  # (who, words)
    story_boards: list[dict[str, str]]
    next_steps: str
    summary: dict[str, Any]

    def sheet(self, name: str) -> Sheet:
        return next(sheet for sheet in self.sheets if sheet.name == name)


def _percent(value: int, total: int) -> str:
    return f"{round(100 * value / total)}%" if total else "–"


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= QUOTE_LENGTH else text[: QUOTE_LENGTH - 1].rsplit(" ", 1)[0] + "…"


def next_steps_of(quarter: Quarter) -> str:
    found = QuarterlyReport.objects.filter(quarter_start=quarter.start).first()
    return found.next_steps if found else ""


def _reaudited(user: Any, report: ReportFilter, index: dict[str, int]) -> Sheet:
    """Children audited this quarter who had a final audit before: their latest grade before this
    quarter and their latest this quarter (effective grades); never a restricted case (the report
    lists case IDs). Two queries: the quarter's audits, then one row per child with its latest
    earlier audit found by a subquery (per child, not per audit: a child may have many)."""
    grade = KeyTextTransform("overall", "effective_grades")
    now_audits = report_audits(user=user, report=report).filter(case__restricted=False)
    latest_now: dict[int, tuple[str, Any, str]] = {}
    for child_id, case_id, audit_date, grade_now in (
        now_audits.annotate(grade_now=grade)
        .order_by("audit_date", "pk")
        .values_list("case__child_id", "case__case_id", "audit_date", "grade_now")
    ):
        latest_now[child_id] = (case_id, audit_date, grade_now)  # oldest first: the latest stays
    before = Audit.objects.filter(
        case__child_id=OuterRef("pk"),
        case__restricted=False,
        audit_date__lt=report.start,
        status__in=[Audit.Status.FINAL, Audit.Status.PANEL],
    ).order_by("-audit_date", "-pk")
    earlier = {
        child_id: (date_before, grade_before)
        for child_id, date_before, grade_before in Child.objects.filter(
            pk__in=now_audits.values("case__child_id")
        )
        .annotate(
            date_before=Subquery(before.values("audit_date")[:1]),
            grade_before=Subquery(before.annotate(g=grade).values("g")[:1]),
        )
        .filter(date_before__isnull=False)
        .values_list("pk", "date_before", "grade_before")
    }
    labels = dict(grade_scale())
    rows: list[list[Any]] = []
    better = same = worse = 0
    for child_id, (case_id, audit_date, grade_now) in sorted(
        latest_now.items(), key=lambda item: (item[1][1], item[1][0])
    ):
        if child_id not in earlier:
            continue
        date_before, grade_before = earlier[child_id]
        if grade_before not in index or grade_now not in index:
            continue
        change = index[grade_before] - index[grade_now]
        better += change > 0
        same += change == 0
        worse += change < 0
        rows.append(
            [
                case_id,
                date_before.isoformat(),
                labels.get(grade_before, grade_before),
                audit_date.isoformat(),
                labels.get(grade_now, grade_now),
                "Better" if change > 0 else ("Worse" if change < 0 else "The same"),
            ]
        )
    note = f"{better} better, {same} the same, {worse} worse than at their audit before." if rows else ""
    return Sheet(
        "Re-audited children",
        "Children audited again: their grade before and now",
        ["Case", "Audited before", "Grade before", "Audited now", "Grade now", "Change"],
        rows,
        note=note,
        pdf_rows=REAUDITED_PRINTED,
    )


def quarterly_data(*, quarter: Quarter, user: Any = None, today: datetime.date) -> QuarterlyData:
    """Everything the report holds for the quarter (`user` None: counted as QA counts, all audits)."""
    report = ReportFilter(start=quarter.start, end=quarter.end)
    summary = report_summary(user=user, report=report, today=today)
    grades = report_grades(user=user, report=report, summary=summary)
    scale = grade_scale()
    labels = dict(scale)
    index = {token: position for position, (token, _) in enumerate(scale)}
    audits = summary["audits"]
    best = good_or_better(scale)
    good = sum(summary["overall_grades"].get(token, 0) for token in best)
    timely = summary["timeliness"]
    actions = summary["actions"]
    done = actions["done"] + actions["signed_off"]
    headline = [
        ("Audits", str(audits)),
        ("Good or better (effective)", _percent(good, audits)),
        ("Child seen", _percent(summary["limiting"]["child_seen"]["yes"], audits)),
        (
            "Stage 1 on time",
            _percent(timely["stage1_on_time"], timely["stage1_on_time"] + timely["stage1_late"]),
        ),
        ("Actions completed on time", f"{actions['completed_on_time']} of {done}"),
        ("Escalations", f"{summary['escalations']['open'] + summary['escalations']['closed']}"),
    ]
    sections = graded_sections()
    agreement = agreement_report(user=user, report=report, by="team")
    overall = agreement.overall
    quarters = four_quarters_to(quarter)
    trend = report_trend(user=user, report=report, periods=[(q.start, q.end) for q in quarters], today=today)
    trend_rows: list[list[Any]] = [
        [
            f"{each.year} Q{each.number}",
            found["audits"],
            *[found["overall_grades"].get(token, 0) for token, _ in scale],
            found["limiting"]["child_seen"]["no"],
            found["timeliness"]["stage1_on_time"],
            found["timeliness"]["stage1_late"],
            found["actions"]["overdue"],
        ]
        for each, found in zip(quarters, trend, strict=True)
    ]
    sheets = [
        Sheet(
            "Summary",
            "Summary",
            ["Figure", "Value"],
            [[label, value] for label, value in headline],
        ),
        Sheet(
            "Overall grades",
            "Overall grades, at Stage 1 and effective (after moderation)",
            ["Grade", "Stage 1", "Effective"],
            [
                [labels[t], grades["stage1"]["overall"][t], grades["effective"]["overall"][t]]
                for t, _ in scale
            ],
            chart_columns=[1, 2],
        ),
        Sheet(
            "Section grades",
            "Section grades (effective)",
            ["Section", *[label for _, label in scale]],
            [
                [title, *[grades["effective"]["sections"].get(ref, {}).get(t, 0) for t, _ in scale]]
                for ref, title in sections
                if any(grades["effective"]["sections"].get(ref, {}).values())
            ],
        ),
        Sheet(
            "Limiting judgements",
            "Limiting judgements",
            ["Judgement", *VALUE_LABELS.values()],
            [
                [JUDGEMENT_LABELS[meaning], *[counts[value] for value in VALUE_LABELS]]
                for meaning, counts in summary["limiting"].items()
            ],
            chart_columns=[2],
        ),
        Sheet(
            "Timeliness",
            "Timeliness",
            ["Stage", "On time", "Late"],
            [
                ["Stage 1 submitted", timely["stage1_on_time"], timely["stage1_late"]],
                ["Stage 2 completed", timely["stage2_on_time"], timely["stage2_late"]],
            ],
        ),
        Sheet(
            "Moderation",
            "Moderation",
            ["Figure", "Audits"],
            [
                ["Moderated at Stage 2", summary["moderation"]["moderated"]],
                ["Any grade changed after Stage 1", summary["moderation"]["changed"]],
                ["Overall grade changed after Stage 1", summary["moderation"]["overall_changed"]],
            ],
        ),
        Sheet(
            "Moderation agreement",
            "Moderation agreement by team (Cohen's weighted kappa, quadratic)",
            ["Team", "Pairs", "Changed", "Mean shift", "Weighted kappa"],
            [
                [
                    group.label,
                    group.result.pairs,
                    group.result.changed,
                    round(group.result.mean_shift, 2) if group.result.mean_shift is not None else None,
                    round(group.result.weighted_kappa, 2)
                    if group.result.weighted_kappa is not None
                    else None,
                ]
                for group in agreement.groups
            ],
            note=(
                f"All moderated audits: {overall.pairs} pairs, {overall.changed} overall grades changed, "
                + (
                    f"weighted kappa {overall.weighted_kappa:.2f}"
                    if overall.weighted_kappa is not None
                    else "kappa –"
                )
                + (
                    f" (95% interval {overall.kappa_ci95[0]:.2f} to {overall.kappa_ci95[1]:.2f}, bootstrap)."
                    if overall.kappa_ci95
                    else "."
                )
            ),
        ),
        Sheet(
            "Actions",
            "Actions raised by these audits",
            ["Actions", "Number"],
            [
                ["Open", actions["open"]],
                ["Overdue", actions["overdue"]],
                ["Drifting (more than 4 weeks overdue)", actions["drifting"]],
                ["Done, waiting for sign-off", actions["done"]],
                ["Signed off", actions["signed_off"]],
                ["Cancelled", actions["cancelled"]],
                ["Completed on time", actions["completed_on_time"]],
            ],
        ),
        Sheet(
            "Escalations",
            "Escalations (a child may be unsafe)",
            ["Escalations", "Number"],
            [
                ["Open", summary["escalations"]["open"]],
                ["Overdue", summary["escalations"]["overdue"]],
                ["Closed", summary["escalations"]["closed"]],
            ],
        ),
        _family_sheet(user, report, summary),
        _reaudited(user, report, index),
        Sheet(
            "By team",
            "By team",
            ["Team", "Audits", *[label for _, label in scale], "Child not seen", "Stage 1 late"],
            [
                [
                    row["label"],
                    row["counts"]["audits"],
                    *[row["counts"][f"overall:{t}"] for t, _ in scale],
                    row["counts"]["limiting:child_seen:no"],
                    row["counts"]["timeliness:stage1_late"],
                ]
                for row in report_breakdown(user=user, report=report, by="team", today=today)
            ],
        ),
        Sheet(
            "Last four quarters",
            "The last four quarters",
            [
                "Quarter",
                "Audits",
                *[label for _, label in scale],
                "Child not seen",
                "Stage 1 on time",
                "Stage 1 late",
                "Actions overdue",
            ],
            trend_rows,
            chart_columns=list(range(2, 2 + len(scale))),
        ),
    ]
    themes = _themes(quarter)
    sheets.append(
        Sheet(
            "Themes",
            "Confirmed themes",
            ["Theme", "Kind", "Fragments", "Audits", "Key terms", "Quotes"],
            [
                [t.label, t.kind, t.fragments, t.audits, ", ".join(t.terms), " | ".join(t.quotes)]
                for t in themes
            ],
        )
    )
    boards = [
        {
            "title": board.title,
            "what_changed": board.what_changed,
            "what_others_can_learn": board.what_others_can_learn,
        }
        for board in StoryBoard.objects.filter(
            status=StoryBoard.Status.PUBLISHED,
            published_at__date__gte=quarter.start,
            published_at__date__lte=quarter.end,
        ).order_by("published_at", "pk")
    ]
    sheets.append(
        Sheet(
            "Story boards",
            "Story boards published",
            ["Title", "What changed for the child", "What others can learn"],
            [[b["title"], b["what_changed"], b["what_others_can_learn"]] for b in boards],
        )
    )
    return QuarterlyData(
        authority=authority_name(),
        quarter=quarter,
        made_on=today,
        headline=headline,
        sheets=sheets,
        themes=themes,
        family_quotes=_family_quotes(report),
        story_boards=boards,
        next_steps=next_steps_of(quarter),
        summary=summary,
    )


def _family_sheet(user: Any, report: ReportFilter, summary: dict[str, Any]) -> Sheet:
    respondents = FamilyRespondent.objects.filter(
        audit__in=report_audits(user=user, report=report).values("pk")
    )
    rows = []
    for who, label in FamilyRespondent.Who.choices:
        mine = respondents.filter(who=who)
        rows.append(
            [
                label,
                *[mine.filter(consent=consent).count() for consent, _ in FamilyRespondent.Consent.choices],
            ]
        )
    family = summary["family_feedback"]
    return Sheet(
        "Family feedback",
        "Family feedback: who was asked, and whether they agreed",
        ["Who", *[label for _, label in FamilyRespondent.Consent.choices]],
        rows,
        note=f"{family['respondents']} people gave feedback on {family['audits']} audits.",
    )


def _family_quotes(report: ReportFilter) -> list[tuple[str, str]]:
    """A few of the family's own words (consented, not restricted), the shortest first."""
    audits = Audit.objects.filter(report.audit_q(), case__restricted=False).values("pk")
    answers = (
        ResponseAnswer.objects.filter(
            response__family_respondent__audit__in=audits, response__family_respondent__consent="yes"
        )
        .exclude(value="")
        .values_list("response__family_respondent__who", "value")
    )
    seen: set[str] = set()
    found: list[tuple[str, str]] = []
    for who, value in sorted(answers, key=lambda item: (len(item[1]), item[1])):
        if value not in seen and len(value) > 20:
            seen.add(value)
            found.append((WHO.get(who, who), _short(value)))
    return found[:FAMILY_QUOTES]


def _themes(quarter: Quarter) -> list[QuotedTheme]:
    themes = list(period_themes(start=quarter.start, end=quarter.end, statuses=(Theme.Status.CONFIRMED,)))
    order = {"strength": 0, "barrier": 1, "mixed": 2}
    samples = theme_samples(themes=themes, per_theme=2)
    return [
        QuotedTheme(
            label=theme.label,
            kind=theme.get_kind_display(),
            fragments=theme.fragment_count,  # type: ignore[attr-defined]
            audits=theme.audit_count,  # type: ignore[attr-defined]
            terms=list(theme.terms)[:5],
            quotes=[_short(fragment.text) for fragment in samples.get(theme.pk, [])],
        )
        for theme in sorted(themes, key=lambda t: (order.get(t.kind, 3), -t.fragment_count))  # type: ignore[attr-defined]
    ]
