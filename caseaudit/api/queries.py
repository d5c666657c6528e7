"""Reads the API needs that the domain apps' selectors do not answer directly yet.
Built only from those selectors, so the scoping stays where it is (SEC-1)."""

from caseaudit.org.models import Staff
from caseaudit.org.selectors import staff_below


def staff_geographical_area(*, staff: Staff) -> str | None:
    """A person's area (CONTRACTS §1): their own, else their team's, else the one area every
    team they manage lies in; else none."""
    if staff.geographical_area is not None:
        return staff.geographical_area.name
    if staff.team is not None:
        return staff.team.geographical_area.name
    areas = set(
        staff_below(staff=staff)
        .filter(team__isnull=False)
        .values_list("team__geographical_area__name", flat=True)
        .distinct()
    )
    return areas.pop() if len(areas) == 1 else None
