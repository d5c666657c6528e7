"""What a figure is counted over (CONTRACTS §11): audits whose audit date is in the period, once
Stage 1 is submitted, narrowed by team, service area, audit type and auditor, with each audit's
effective grades or its Stage 1 grades (`stage`). One filter serves the dashboard, the lists behind
its figures, the API and the quarterly report, so that they count the same audits."""

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from django.db.models import Q

from caseaudit.audits.machines import AFTER_STAGE1
from caseaudit.core.calendar import month_label, month_start
from caseaudit.moderation.sampling import Quarter

STAGES = ("effective", "stage1")
MONTH_TOKEN = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class ReportFilter:
    start: datetime.date
    end: datetime.date
    team_id: str = ""
    service_area: str = ""
    audit_type: str = ""
    auditor_id: str = ""
    stage: str = "effective"

    @property
    def grades_field(self) -> str:
        """The audit's field whose grades are counted."""
        return "stage1_grades" if self.stage == "stage1" else "effective_grades"

    def audit_q(self) -> Q:
        """The audits counted, as a filter over Audit (before the person's scope)."""
        q = Q(audit_date__gte=self.start, audit_date__lte=self.end, status__in=AFTER_STAGE1)
        if self.team_id:
            q &= Q(case__team__team_id=self.team_id)
        if self.service_area:
            q &= Q(case__team__service_area__name=self.service_area)
        if self.audit_type:
            q &= Q(audit_type=self.audit_type)
        if self.auditor_id:
            q &= Q(auditor__staff_id=self.auditor_id)
        return q

    def with_period(self, start: datetime.date, end: datetime.date) -> "ReportFilter":
        return replace(self, start=start, end=end)

    @property
    def period_label(self) -> str:
        quarter = Quarter.of(self.start)
        if self.start == quarter.start and self.end == quarter.end:
            return quarter.label
        if self.start == month_start(self.start) and self.end == _month_end(self.start):
            return month_label(self.start)
        return f"{self.start:%-d %B %Y} to {self.end:%-d %B %Y}"

    def params(self, **extra: str) -> dict[str, str]:
        """The filter as query parameters (what the API and the pages take)."""
        found = {
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "team_id": self.team_id,
            "service_area": self.service_area,
            "audit_type": self.audit_type,
            "auditor_id": self.auditor_id,
            "stage": "" if self.stage == "effective" else self.stage,
            **extra,
        }
        return {key: value for key, value in found.items() if value}


def _month_end(month: datetime.date) -> datetime.date:
    following = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return following - datetime.timedelta(days=1)


def period_of(token: str) -> tuple[datetime.date, datetime.date]:
    """ "2026Q4" / "2026-Q4" → that quarter; "2026-11" → that month. ValueError otherwise."""
    match = MONTH_TOKEN.match(token.strip())
    if match is not None:
        start = datetime.date(int(match.group(1)), int(match.group(2)), 1)
        return start, _month_end(start)
    try:
        quarter = Quarter.parse(token)
    except ValueError:
        raise ValueError(
            f"{token!r} is not a period: write a quarter like 2026Q4 or a month like 2026-11"
        ) from None
    return quarter.start, quarter.end


def four_quarters_to(quarter: Quarter) -> list[Quarter]:
    """The quarter and the three before it, oldest first: every trend of Stage 3."""
    quarters = [quarter]
    while len(quarters) < 4:
        quarters.insert(0, quarters[0].previous())
    return quarters


def default_period(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The last complete quarter: what the Steering Group reports on."""
    quarter = Quarter.last_complete(today)
    return quarter.start, quarter.end


def report_filter_parse(
    params: Mapping[str, Any], *, today: datetime.date
) -> tuple[ReportFilter, list[tuple[str, str]]]:
    """A filter from query parameters: `period` (a quarter or month) or `from` and `to`
    (YYYY-MM-DD), and the optional narrowing ones. Returns the filter and [(field, message)]
    for what was not understood (the filter then uses the default for that field)."""
    errors: list[tuple[str, str]] = []
    start, end = default_period(today)
    period = str(params.get("period") or "").strip()
    if period:
        try:
            start, end = period_of(period)
        except ValueError as error:
            errors.append(("period", str(error)))
    else:
        for field in ("from", "to"):
            raw = str(params.get(field) or "").strip()
            if not raw:
                continue
            try:
                day = datetime.date.fromisoformat(raw)
            except ValueError:
                errors.append((field, f"{raw!r} is not a date: write it as YYYY-MM-DD"))
                continue
            if field == "from":
                start = day
            else:
                end = day
        if params.get("from") and not params.get("to"):
            end = max(end, start)
        if end < start:
            errors.append(("to", "must be on or after the start of the period"))
            start, end = default_period(today)
    stage = str(params.get("stage") or "effective").strip()
    if stage not in STAGES:
        errors.append(("stage", f"{stage!r} is not a stage: use stage1 or effective"))
        stage = "effective"
    found = ReportFilter(
        start=start,
        end=end,
        team_id=str(params.get("team_id") or "").strip(),
        service_area=str(params.get("service_area") or "").strip(),
        audit_type=str(params.get("audit_type") or "").strip(),
        auditor_id=str(params.get("auditor_id") or "").strip(),
        stage=stage,
    )
    return found, errors
