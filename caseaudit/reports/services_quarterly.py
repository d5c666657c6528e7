"""What QA writes for the quarter's report (QA-3): "what we will do next", one text per quarter,
each save atomic with its audit-history row (REC-3)."""

from typing import Any

from django.db import transaction
from django.utils import timezone

from caseaudit.core.problems import Problem, Refused
from caseaudit.core.services import audit_event_record, user_or_none
from caseaudit.moderation.sampling import Quarter
from caseaudit.reports.models import QuarterlyReport

NEXT_STEPS_MAX = 10_000


class QuarterlyRefused(Refused):
    pass


def next_steps_save(*, actor: Any, quarter: Quarter, text: str) -> QuarterlyReport:
    text = (text or "").strip()
    if len(text) > NEXT_STEPS_MAX:
        raise QuarterlyRefused(
            [
                Problem(
                    "report", "next_steps", f"Write at most {NEXT_STEPS_MAX:,} characters ({len(text):,} now)"
                )
            ]
        )
    with transaction.atomic():
        report, _ = QuarterlyReport.objects.select_for_update().get_or_create(quarter_start=quarter.start)
        before = report.next_steps
        report.next_steps = text
        report.updated_at = timezone.now()
        report.updated_by = user_or_none(actor)
        report.save(update_fields=["next_steps", "updated_at", "updated_by"])
        audit_event_record(
            actor=actor,
            action="quarterly_report.next_steps_saved",
            object_type="quarterly_report",
            object_ref=quarter.token,
            summary=f"What we will do next, {quarter.label}: saved ({len(text)} characters)",
            changes={"next_steps": [before, text]},
        )
    return report
