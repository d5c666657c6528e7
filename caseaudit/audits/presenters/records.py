"""The audit's records shaped for pages and the PDF: its actions, compliance gaps, status history
and documents."""

from dataclasses import dataclass
from typing import Any

from django.template.defaultfilters import filesizeformat

from caseaudit.audits.machines import status_label
from caseaudit.audits.models import AuditAction, AuditDocument, AuditStatusChange, ComplianceGap
from caseaudit.core.calendar import clock_time, long_date, long_datetime  # noqa: F401  (re-exported)


def person_name(user: Any) -> str:
    """The staff name of an account (the break-glass account has none)."""
    if user is None:
        return "Unknown"
    staff = getattr(user, "staff", None)
    try:
        return staff.name if staff is not None else (user.get_full_name() or user.get_username())
    except Exception:  # RelatedObjectDoesNotExist
        return user.get_full_name() or user.get_username()


# --- actions, gaps, history ----------------------------------------------------------------


@dataclass(frozen=True)
class ActionView:
    number: int
    what: str
    owner: str
    due_date: str
    impact: str
    status: str
    due_reason: str = ""  # why it is due more than 4 weeks after the audit date (ACT-2)


def action_views(actions: list[AuditAction]) -> list[ActionView]:
    views = []
    for number, action in enumerate(actions, start=1):
        owner = action.owner.name if action.owner else "Not set"
        if action.owner is not None and action.owner_is_fallback:
            owner += " (line manager)"
        views.append(
            ActionView(
                number=number,
                what=action.what,
                owner=owner,
                due_date=long_date(action.due_date),
                impact=action.impact,
                status=action.get_status_display(),
                due_reason=action.due_reason,
            )
        )
    return views


@dataclass(frozen=True)
class GapView:
    id: int
    kind: str
    note: str
    flagged: str
    addressed: bool
    addressed_text: str
    addressed_note: str


def gap_views(gaps: list[ComplianceGap]) -> list[GapView]:
    return [
        GapView(
            id=gap.pk,
            kind=gap.get_kind_display(),
            note=gap.note,
            flagged=f"{person_name(gap.flagged_by)}, {long_datetime(gap.flagged_at)}",
            addressed=gap.addressed_at is not None,
            addressed_text=(
                f"{person_name(gap.addressed_by)}, {long_datetime(gap.addressed_at)}"
                if gap.addressed_at
                else ""
            ),
            addressed_note=gap.addressed_note,
        )
        for gap in gaps
    ]


@dataclass(frozen=True)
class HistoryView:
    change: str
    by: str
    at: str


def history_views(changes: list[AuditStatusChange]) -> list[HistoryView]:
    return [
        HistoryView(
            change=(
                f"{status_label(change.from_status)} to {status_label(change.to_status)}"
                if change.from_status
                else f"Started: {status_label(change.to_status)}"
            ),
            by=person_name(change.by),
            at=long_datetime(change.at),
        )
        for change in changes
    ]


@dataclass(frozen=True)
class DocumentView:
    label: str
    made: str
    latest: bool


def document_views(documents: list[AuditDocument]) -> list[DocumentView]:
    """The audit's documents, newest first; the download link serves the newest."""
    ordered = sorted(documents, key=lambda d: (d.created_at, d.pk), reverse=True)
    return [
        DocumentView(
            label=f"{stage_label(document.stage)} audit document (PDF, {filesizeformat(document.size)})",
            made=long_datetime(document.created_at),
            latest=index == 0,
        )
        for index, document in enumerate(ordered)
    ]


def stage_label(stage: str) -> str:
    return stage.replace("stage", "Stage ") if stage.startswith("stage") else stage
