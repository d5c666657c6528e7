"""What an import would take away: staff deactivated, cases no longer in the latest import.

Issue 15: a staff.csv with only its header deactivated everyone, the importing QA officer
included, and a header-only cases.csv left the next allocation nothing to pick. So an
import that would deactivate or un-list more than a share of what exists (setting
REGISTER_IMPORT_MAX_REMOVAL_SHARE) must be confirmed, and only staff an import created
are ever deactivated by one, never the person importing."""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, Max, Q

from caseaudit.cases.importer.sources import RegisterSource
from caseaudit.cases.importer.validation import RegisterState
from caseaudit.cases.importer.writing import BATCH
from caseaudit.cases.models import Case, RegisterImport
from caseaudit.org.models import Staff, Team


def _plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}" if count == 1 else f"{count:,} {noun}s"


def staff_who_may_leave(*, actor: Any) -> Any:
    """Active staff a staff import deactivates when the file leaves them out: those an import
    created, but never the person importing."""
    leavers = Staff.objects.filter(created_by_import=True, is_active=True)
    actor_pk = getattr(actor, "pk", None)
    if actor_pk is not None:
        leavers = leavers.exclude(user_id=actor_pk)
    return leavers


@dataclass(frozen=True)
class Removals:
    """How many this import would deactivate or un-list, of how many there are now."""

    staff_deactivated: int = 0
    staff_active: int = 0
    cases_unlisted: int = 0
    cases_listed: int = 0

    def staff_over(self, share: float) -> bool:
        return self.staff_active > 0 and self.staff_deactivated / self.staff_active > share

    def cases_over(self, share: float) -> bool:
        return self.cases_listed > 0 and self.cases_unlisted / self.cases_listed > share

    def share_over(self, share: float) -> bool:
        return self.staff_over(share) or self.cases_over(share)

    def covered_by(self, confirmed: "Removals") -> bool:
        """A confirmation given for these numbers or more covers this import."""
        return (
            self.staff_deactivated <= confirmed.staff_deactivated
            and self.cases_unlisted <= confirmed.cases_unlisted
        )

    def message(self, share: float) -> str:
        """Exactly what would go, of how much, in one sentence."""
        return (
            f"This import would deactivate {self.staff_deactivated:,} of the {self.staff_active:,} active "
            f"staff (and their sign-ins) and take {self.cases_unlisted:,} of the "
            f"{_plural(self.cases_listed, 'case')} out of the latest import (so they could no longer be "
            f"picked for audit). That is more than {share:.0%} of the staff or of the cases, so it must "
            "be confirmed"
        )

    def as_dict(self) -> dict[str, dict[str, int]]:
        return {
            "staff": {"deactivated": self.staff_deactivated, "active": self.staff_active},
            "cases": {"not_in_latest_import": self.cases_unlisted, "in_latest_import": self.cases_listed},
        }


def removal_share() -> float:
    return float(settings.REGISTER_IMPORT_MAX_REMOVAL_SHARE)


def removals_planned(*, source: RegisterSource, state: RegisterState, actor: Any) -> Removals:
    """Read only: what writing this (valid) source would deactivate and un-list."""
    staff_deactivated = cases_unlisted = 0
    if "staff" in source.tables:
        present = state.staff_lines
        leavers = staff_who_may_leave(actor=actor).order_by().values_list("staff_id", flat=True)
        staff_deactivated = sum(
            1 for staff_id in leavers.iterator(chunk_size=BATCH) if staff_id not in present
        )
    if "cases" in source.tables:
        present = state.case_lines
        listed = Case.objects.filter(in_latest_import=True).order_by().values_list("case_id", flat=True)
        cases_unlisted = sum(1 for case_id in listed.iterator(chunk_size=BATCH) if case_id not in present)
    return Removals(
        staff_deactivated=staff_deactivated,
        staff_active=Staff.objects.filter(is_active=True).count(),
        cases_unlisted=cases_unlisted,
        cases_listed=Case.objects.filter(in_latest_import=True).count(),
    )


def register_fingerprint() -> tuple[Any, ...]:
    """Cheap signs that the register changed: another import, teams or staff added or
    removed, staff (de)activated, cases added or un-listed. Compared inside the write
    transaction with what they were when validation began."""
    latest_import = RegisterImport.objects.filter(ok=True).aggregate(latest=Max("pk"))["latest"]
    teams = Team.objects.aggregate(count=Count("pk"), latest=Max("pk"))
    staff = Staff.objects.aggregate(
        count=Count("pk"), latest=Max("pk"), active=Count("pk", filter=Q(is_active=True))
    )
    cases = Case.objects.aggregate(
        count=Count("pk"), latest=Max("pk"), listed=Count("pk", filter=Q(in_latest_import=True))
    )
    return (
        latest_import,
        teams["count"],
        teams["latest"],
        staff["count"],
        staff["latest"],
        staff["active"],
        cases["count"],
        cases["latest"],
        cases["listed"],
    )
