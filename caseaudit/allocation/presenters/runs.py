"""Shape allocation runs for the pages and the API, hiding what the person may not see: a
restricted case they may not open is its case ID, team and "Restricted" (CONTRACTS §3), and the
reasons about it lose their dates and names (only the stable codes stay).

The pages speak English: they show the reasons' messages and a name for each code, never the
codes themselves, which are the API's (CONTRACTS §6)."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils import timezone

from caseaudit.allocation.models import AllocationItem, AllocationRun
from caseaudit.core.calendar import long_date, month_label
from caseaudit.core.mail_text import display_name

HIDDEN = "restricted record: details not shown"
RULE_NAMES = {"same_area": "Same area", "spread": "One case per worker"}
# What the passed-over codes of the engine and of a change on review mean, for the pages.
PASSED_OVER_NAMES = {
    "already_allocated": "Already allocated this month",
    "team_not_eligible": "Team's cases not audited",
    "closed_too_long_ago": "Closed too long ago",
    "audited_recently": "Audited recently",
    "no_allocated_worker": "No allocated worker",
    "no_possible_auditor": "No auditor may audit it",
    "not_picked": "Not picked",
    "replaced": "Replaced on review",
}


def passed_over_name(code: str) -> str:
    """The page's name of a passed-over code; a code added later reads as its words."""
    return PASSED_OVER_NAMES.get(code) or code.replace("_", " ").capitalize()


def messages_of(entries: list[dict[str, str]]) -> list[str]:
    """The messages to show, each once (a hidden case's are all the same words)."""
    return list(dict.fromkeys(entry["message"] for entry in entries))


def redact(entries: list[dict[str, Any]], hidden: set[str], *, text_key: str) -> list[dict[str, Any]]:
    """Entries about a hidden case keep their codes; their wording becomes HIDDEN."""
    return [{**entry, text_key: HIDDEN} if entry.get("case_id") in hidden else entry for entry in entries]


def redacted_reasons(reasons: list[dict[str, str]], *, hidden: bool) -> list[dict[str, str]]:
    return [{**reason, "message": HIDDEN} for reason in reasons] if hidden else list(reasons)


@dataclass(frozen=True)
class AllocationRow:
    item_id: int
    case_id: str
    team_id: str
    team_name: str
    area: str
    hidden: bool  # restricted, and the person may not see it in full
    restricted: bool
    worker_name: str
    auditor_id: str
    auditor_name: str
    same_area: bool
    adjusted: bool
    adjustment_reason: str
    reasons: list[dict[str, str]]
    warnings: list[dict[str, str]]
    audit_id: int | None

    @property
    def reason_lines(self) -> list[str]:
        return messages_of(self.reasons)

    @property
    def warning_lines(self) -> list[str]:
        return messages_of(self.warnings)

    @property
    def flags(self) -> set[str]:
        flags = set()
        if self.restricted:
            flags.add("restricted")
        if not self.same_area:
            flags.add("out_of_area")
        if self.adjusted:
            flags.add("adjusted")
        if self.warnings:
            flags.add("warnings")
        return flags


def allocation_row(item: AllocationItem, *, hidden: set[str]) -> AllocationRow:
    case = item.case
    is_hidden = case.case_id in hidden
    worker = case.allocated_worker
    return AllocationRow(
        item_id=item.pk,
        case_id=case.case_id,
        team_id=case.team.team_id,
        team_name=case.team.name,
        area=case.team.geographical_area.name,
        hidden=is_hidden,
        restricted=case.restricted,
        worker_name="" if is_hidden else (worker.name if worker is not None else "Unallocated"),
        auditor_id=item.auditor.staff_id,
        auditor_name=item.auditor.name,
        same_area=item.same_area,
        adjusted=item.adjusted,
        adjustment_reason="" if is_hidden else item.adjustment_reason,
        reasons=redacted_reasons(item.reasons, hidden=is_hidden),
        warnings=redacted_reasons(item.warnings, hidden=is_hidden),
        audit_id=item.audit_id,
    )


def rows_filtered(rows: list[AllocationRow], filters: dict[str, str]) -> list[AllocationRow]:
    search = filters.get("search", "").strip().lower()
    return [
        row
        for row in rows
        if (not search or search in row.case_id.lower())
        and (not filters.get("team") or row.team_id == filters["team"])
        and (not filters.get("area") or row.area == filters["area"])
        and (not filters.get("auditor") or row.auditor_id == filters["auditor"])
        and (not filters.get("flag") or filters["flag"] in row.flags)
    ]


@dataclass(frozen=True)
class RunSummary:
    run_id: int
    month: str
    status: str
    status_value: str
    seed: int
    per_auditor: int
    allocated: int
    auditors: int
    same_area: int
    relaxed: dict[str, int]
    passed_over: int
    passed_over_by_code: list[tuple[str, str, int]]  # code, its name, how many
    created: str
    confirmed: str
    due: str = ""
    rows: list[Any] = field(default_factory=list)

    @property
    def same_area_share(self) -> str:
        if not self.allocated:
            return "none allocated"
        return f"{self.same_area} of {self.allocated} ({round(100 * self.same_area / self.allocated)}%)"

    @property
    def summary_list(self) -> dict[str, Any]:
        relaxed = ", ".join(f"{RULE_NAMES.get(rule, rule)}: {n}" for rule, n in sorted(self.relaxed.items()))
        items = [
            ("Month", self.month),
            ("Status", self.status),
            ("Cases allocated", str(self.allocated)),
            (
                "Auditors",
                f"{self.auditors}, {self.per_auditor} case{'s' if self.per_auditor != 1 else ''} each",
            ),
            ("In the auditor's area", self.same_area_share),
            ("Rules relaxed", relaxed or "none"),
            ("Passed over", f"{self.passed_over:,} case{'' if self.passed_over == 1 else 's'}"),
            ("Seed", str(self.seed)),
            ("Drafted", self.created),
        ]
        if self.confirmed:
            items.append(("Confirmed", self.confirmed))
        if self.due:
            items.append(("Stage 1 due", self.due))
        return {
            "rows": [{"key": {"text": key}, "value": {"text": value}} for key, value in items],
            "classes": "govuk-!-margin-bottom-9",
        }


def run_summary(run: AllocationRun, *, due: date | None = None) -> RunSummary:
    data = run.result or {}
    allocations = data.get("allocations", [])
    passed = data.get("passed_over", [])
    return RunSummary(
        run_id=run.pk,
        month=month_label(run.month),
        status=run.get_status_display(),
        status_value=run.status,
        seed=run.seed,
        per_auditor=run.per_auditor,
        allocated=len(allocations),
        auditors=len(data.get("auditor_load", {})),
        same_area=sum(1 for pair in allocations if pair.get("same_area")),
        relaxed=dict(Counter(entry["rule"] for entry in data.get("relaxed", []))),
        passed_over=len(passed),
        passed_over_by_code=[
            (code, passed_over_name(code), count)
            for code, count in sorted(Counter(entry["code"] for entry in passed).items())
        ],
        created=run_created(run),
        confirmed=f"{long_date(timezone.localdate(run.confirmed_at))} by {display_name(run.confirmed_by)}"
        if run.confirmed_at
        else "",
        due=long_date(due) if due else "",
    )


def run_created(run: AllocationRun) -> str:
    return f"{long_date(timezone.localdate(run.created_at))} by {display_name(run.created_by)}"


def status_tag(status: str) -> dict[str, str]:
    colour = {"draft": "govuk-tag--blue", "confirmed": "govuk-tag--green", "discarded": "govuk-tag--grey"}
    return {"text": status.capitalize(), "classes": colour.get(status, "")}
