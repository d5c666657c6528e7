"""What the Stage 3 pages show, built from the selectors' figures: tables of cells, each number a
link to the list of what it counts (QA-1), and the charts of those tables."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils.http import urlencode

from caseaudit.reports.charts import BarChart, bar_chart
from caseaudit.reports.filters import ReportFilter

JUDGEMENT_LABELS = {
    "child_seen": "Child seen",
    "child_seen_alone": "Child seen alone",
    "child_voice": "Child's voice and lived experience",
}
VALUE_LABELS = {"yes": "Yes", "no": "No", "na": "Not applicable"}


@dataclass(frozen=True)
class Cell:
    text: str
    href: str = ""
    numeric: bool = True


@dataclass(frozen=True)
class Row:
    label: str
    cells: list[Cell]


@dataclass(frozen=True)
class Table:
    id: str
    caption: str
    headers: list[str]
    rows: list[Row]
    chart: BarChart | None = None
    note: str = ""
    first_header: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def lines(self) -> list[tuple[str, list[tuple[Cell, str]]]]:
        """Each row with each cell's column header (the link's words for a screen reader)."""
        return [(row.label, list(zip(row.cells, self.headers, strict=False))) for row in self.rows]


def figure_href(report: ReportFilter, key: str, **changes: str) -> str:
    return reverse("reports:figure") + "?" + urlencode(report.params(figure=key, **changes))


def percent(value: int, total: int) -> str:
    return f"{round(100 * value / total)}%" if total else "–"


def _count(
    report: ReportFilter,
    key: str,
    value: int,
    total: int | None = None,
    changes: dict[str, str] | None = None,
) -> Cell:
    text = str(value) if total is None else f"{value} ({percent(value, total)})"
    return Cell(text, figure_href(report, key, **(changes or {})) if value else "")


def grades_table(
    report: ReportFilter,
    grades: dict[str, dict[str, Any]],
    scale: Sequence[tuple[str, str]],
    audits: int,
) -> Table:
    rows = [
        Row(
            label,
            [
                _count(
                    report,
                    f"overall:{token}",
                    grades["stage1"]["overall"][token],
                    audits,
                    changes={"stage": "stage1"},
                ),
                _count(
                    report,
                    f"overall:{token}",
                    grades["effective"]["overall"][token],
                    audits,
                    changes={"stage": ""},
                ),
            ],
        )
        for token, label in scale
    ]
    labels = [label for _, label in scale]
    chart = bar_chart(
        id="chart-overall",
        title="Overall grades: Stage 1 and effective",
        description="For each grade, the number of audits graded so at Stage 1 and after moderation.",
        labels=labels,
        series=[
            ("Stage 1", [grades["stage1"]["overall"][t] for t, _ in scale]),
            ("Effective", [grades["effective"]["overall"][t] for t, _ in scale]),
        ],
        totals=[audits, audits],
    )
    return Table("overall", "Overall grades", ["Stage 1", "Effective (after moderation)"], rows, chart)


def section_grades_table(
    report: ReportFilter,
    grades: dict[str, dict[str, Any]],
    scale: Sequence[tuple[str, str]],
    sections: Sequence[tuple[str, str]],
) -> Table:
    headers = [label for _, label in scale]
    rows = []
    for ref, title in sections:
        stage1 = grades["stage1"]["sections"].get(ref, {})
        effective = grades["effective"]["sections"].get(ref, {})
        if not any(stage1.values()) and not any(effective.values()):
            continue
        rows.append(
            Row(
                title,
                [
                    Cell(
                        f"{effective.get(token, 0)} (Stage 1: {stage1.get(token, 0)})",
                        figure_href(report, f"section:{ref}:{token}", stage="")
                        if effective.get(token)
                        else "",
                    )
                    for token, _ in scale
                ],
            )
        )
    return Table(
        "sections",
        "Section grades (effective, with Stage 1's in brackets)",
        headers,
        rows,
        first_header="Section",
    )


def limiting_table(report: ReportFilter, limiting: dict[str, dict[str, int]], audits: int) -> Table:
    rows = [
        Row(
            JUDGEMENT_LABELS[meaning],
            [_count(report, f"limiting:{meaning}:{value}", counts[value], audits) for value in VALUE_LABELS],
        )
        for meaning, counts in limiting.items()
    ]
    chart = bar_chart(
        id="chart-limiting",
        title="Limiting judgements not met",
        description="For each limiting judgement, the number of audits where it was answered No.",
        labels=[JUDGEMENT_LABELS[meaning] for meaning in limiting],
        series=[("Not met (No)", [counts["no"] for counts in limiting.values()])],
        totals=[audits],
    )
    return Table(
        "limiting", "Limiting judgements", list(VALUE_LABELS.values()), rows, chart, first_header="Judgement"
    )


def _simple(
    report: ReportFilter,
    id: str,
    caption: str,
    items: Sequence[tuple[str, str, int]],
    total: int | None = None,
) -> Table:
    rows = [Row(label, [_count(report, key, value, total)]) for label, key, value in items]
    return Table(id, caption, ["Number"], rows)


def timeliness_table(report: ReportFilter, timeliness: dict[str, int]) -> Table:
    stage1 = timeliness["stage1_on_time"] + timeliness["stage1_late"]
    stage2 = timeliness["stage2_on_time"] + timeliness["stage2_late"]
    rows = [
        Row(
            "Stage 1 submitted on time",
            [_count(report, "timeliness:stage1_on_time", timeliness["stage1_on_time"], stage1)],
        ),
        Row(
            "Stage 1 submitted late",
            [_count(report, "timeliness:stage1_late", timeliness["stage1_late"], stage1)],
        ),
        Row(
            "Stage 2 completed on time",
            [_count(report, "timeliness:stage2_on_time", timeliness["stage2_on_time"], stage2)],
        ),
        Row(
            "Stage 2 late (completed late or overdue)",
            [_count(report, "timeliness:stage2_late", timeliness["stage2_late"], stage2)],
        ),
    ]
    return Table("timeliness", "Timeliness", ["Audits"], rows)


def actions_table(report: ReportFilter, actions: dict[str, int]) -> Table:
    items = [
        ("Open", "actions:open", actions["open"]),
        ("Overdue", "actions:overdue", actions["overdue"]),
        ("Drifting (more than 4 weeks overdue)", "actions:drifting", actions["drifting"]),
        ("Done, waiting for sign-off", "actions:done", actions["done"]),
        ("Signed off", "actions:signed_off", actions["signed_off"]),
        ("Cancelled", "actions:cancelled", actions["cancelled"]),
        ("Completed on time", "actions:completed_on_time", actions["completed_on_time"]),
    ]
    return _simple(report, "actions", "Actions raised by these audits", items)


def escalations_table(report: ReportFilter, escalations: dict[str, Any]) -> Table:
    items = [
        ("Open", "escalations:open", escalations["open"]),
        ("Overdue", "escalations:overdue", escalations["overdue"]),
        ("Closed", "escalations:closed", escalations["closed"]),
    ]
    oldest = escalations.get("oldest_open_days")
    note = (
        f"The oldest open escalation has been open {oldest} day{'s' if oldest != 1 else ''}."
        if oldest is not None
        else ""
    )
    table = _simple(report, "escalations", "Escalations (a child may be unsafe)", items)
    return Table(table.id, table.caption, table.headers, table.rows, note=note)


def moderation_table(report: ReportFilter, moderation: dict[str, int], audits: int) -> Table:
    items = [
        ("Moderated at Stage 2", "moderation:moderated", moderation["moderated"]),
        ("Any grade changed after Stage 1", "moderation:changed", moderation["changed"]),
        ("Overall grade changed after Stage 1", "moderation:overall_changed", moderation["overall_changed"]),
    ]
    return _simple(report, "moderation", "Moderation changes", items, audits)


def family_table(report: ReportFilter, family: dict[str, int]) -> Table:
    rows = [
        Row("Audits with family feedback", [_count(report, "family:audits", family["audits"])]),
        Row(
            "People who gave feedback",
            [
                Cell(
                    str(family["respondents"]),
                    figure_href(report, "family:audits") if family["respondents"] else "",
                )
            ],
        ),
    ]
    return Table("family", "Family feedback", ["Number"], rows)


def good_or_better(scale: Sequence[tuple[str, str]]) -> list[str]:
    tokens = [token for token, _ in scale]
    return tokens[: tokens.index("good") + 1] if "good" in tokens else tokens[:1]


def trend_table(
    report: ReportFilter,
    trend: list[tuple[str, ReportFilter, dict[str, Any]]],
    scale: Sequence[tuple[str, str]],
) -> Table:
    best = good_or_better(scale)
    rows = []
    for label, period, summary in trend:
        audits = summary["audits"]
        good = sum(summary["overall_grades"].get(token, 0) for token in best)
        seen_no = summary["limiting"]["child_seen"]["no"]
        timely = summary["timeliness"]
        on_time = timely["stage1_on_time"]
        rows.append(
            Row(
                label,
                [
                    _count(period, "audits", audits),
                    _count(period, "overall:" + "+".join(best), good, audits),
                    _count(period, "limiting:child_seen:no", seen_no, audits),
                    Cell(percent(on_time, on_time + timely["stage1_late"])),
                    _count(period, "actions:overdue", summary["actions"]["overdue"]),
                ],
            )
        )
    chart = bar_chart(
        id="chart-trend",
        title="Audits by overall grade, last four quarters",
        description="For each quarter, the number of audits with each effective overall grade.",
        labels=[label for label, _, _ in trend],
        series=[
            (glabel, [summary["overall_grades"].get(token, 0) for _, _, summary in trend])
            for token, glabel in scale
        ],
    )
    headers = ["Audits", "Good or better", "Child not seen", "Stage 1 on time", "Actions overdue"]
    return Table("trend", "The last four quarters", headers, rows, chart, first_header="Quarter")


def breakdown_table(
    report: ReportFilter,
    by: str,
    by_label: str,
    rows_in: list[dict[str, Any]],
    scale: Sequence[tuple[str, str]],
) -> Table:
    param = {
        "team": "team_id",
        "service_area": "service_area",
        "audit_type": "audit_type",
        "auditor": "auditor_id",
    }[by]
    rows = []
    for row in rows_in:
        counts = row["counts"]
        narrowed = {param: str(row["key"])}
        label = str(row["label"]).replace("_", " ").capitalize() if by == "audit_type" else str(row["label"])
        rows.append(
            Row(
                label,
                [
                    _count(report, "audits", counts["audits"], changes=narrowed),
                    *[
                        _count(report, f"overall:{token}", counts[f"overall:{token}"], changes=narrowed)
                        for token, _ in scale
                    ],
                    _count(
                        report, "limiting:child_seen:no", counts["limiting:child_seen:no"], changes=narrowed
                    ),
                    _count(
                        report, "limiting:child_voice:no", counts["limiting:child_voice:no"], changes=narrowed
                    ),
                    _count(
                        report, "timeliness:stage1_late", counts["timeliness:stage1_late"], changes=narrowed
                    ),
                ],
            )
        )
    headers = [
        "Audits",
        *[label for _, label in scale],
        "Child not seen",
        "Voice not captured",
        "Stage 1 late",
    ]
    return Table("breakdown", f"By {by_label.lower()}", headers, rows, first_header=by_label)
