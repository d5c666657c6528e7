"""Shape register rows for templates, hiding what the person may not see (CONTRACTS §3)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from caseaudit.cases.models import Case
from caseaudit.core.calendar import long_date

RESTRICTED = "Restricted"


@dataclass(frozen=True)
class CaseRow:
    case_id: str
    team_name: str
    team_id: str
    area: str
    restricted: bool
    details_visible: bool
    child_visible: bool
    child_id: str | None
    child_name: str
    case_type: str
    status: str
    worker_name: str
    start_date: str
    closed_date: str
    last_audited_on: str


def case_row(case: Case) -> CaseRow:
    details = bool(getattr(case, "details_visible", False))
    child = bool(getattr(case, "child_visible", False)) and details
    return CaseRow(
        case_id=case.case_id,
        team_name=case.team.name,
        team_id=case.team.team_id,
        area=case.team.geographical_area.name,
        restricted=case.restricted,
        details_visible=details,
        child_visible=child,
        child_id=case.child.child_id if child else None,
        child_name=case.child.name if child else RESTRICTED,
        case_type=case.get_case_type_display() if details else "",
        status=case.get_status_display() if details else "",
        worker_name=(case.allocated_worker.name if case.allocated_worker else "Unallocated")
        if details
        else "",
        start_date=long_date(case.start_date) if details else "",
        closed_date=long_date(case.closed_date) if details else "",
        last_audited_on=long_date(case.last_audited_on) if details else "",
    )


def age_on(born: date | None, today: date) -> int | None:
    if born is None:
        return None
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


@dataclass(frozen=True)
class CasePanel:
    """A part of the restricted case page that a higher app adds (the access requests, SEL-6): its
    template and that template's context, read through that app's scoped selectors."""

    template: str
    context: dict[str, Any]


CasePanelProvider = Callable[..., CasePanel | None]
_panel_providers: list[CasePanelProvider] = []


def restricted_case_panel_provider(provider: CasePanelProvider) -> CasePanelProvider:
    """Register `provider(user=, case=)` (a decorator; idempotent)."""
    if provider not in _panel_providers:
        _panel_providers.append(provider)
    return provider


def restricted_case_panels(*, user: Any, case: Case) -> list[CasePanel]:
    return [panel for provider in _panel_providers if (panel := provider(user=user, case=case)) is not None]
