"""Reads over the organisation. Line management is walkable both ways (CONTRACTS §1)."""

from django.db.models import QuerySet

from caseaudit.accounts.roles import Role
from caseaudit.core.calendar import WorkingCalendar
from caseaudit.org.models import ClosureDay, LineManagementLink, Staff, Team


def staff_above(*, staff: Staff) -> QuerySet[Staff]:
    """Everyone anywhere up `staff`'s line-management chain, nearest first."""
    return Staff.objects.filter(report_links__report=staff).order_by("report_links__depth")


def staff_below(*, staff: Staff) -> QuerySet[Staff]:
    """Everyone anywhere below `staff` in line management."""
    return Staff.objects.filter(manager_links__manager=staff)


def staff_is_above(*, manager_pk: int, report_pk: int) -> bool:
    return LineManagementLink.objects.filter(manager_id=manager_pk, report_id=report_pk).exists()


def nearest_above_with_role(*, staff: Staff, role: Role) -> tuple[Staff | None, bool]:
    """The nearest person above `staff` holding `role`; else the direct line manager.
    Returns (person, is_fallback) so the fallback can be shown where it matters."""
    person = staff_above(staff=staff).filter(roles__role=role).first()
    if person is not None:
        return person, False
    return staff.line_manager, staff.line_manager is not None


def geographical_area_of(*, own: str | None, team_area: str | None, managed_areas: set[str]) -> str | None:
    """CONTRACTS §1: a person's own area, else their team's, else the one area every team they
    manage (people below them sit in) lies in; else none."""
    if own is not None:
        return own
    if team_area is not None:
        return team_area
    return next(iter(managed_areas)) if len(managed_areas) == 1 else None


def staff_geographical_area(*, staff: Staff) -> str | None:
    """A person's geographical area (CONTRACTS §1)."""
    own = staff.geographical_area.name if staff.geographical_area is not None else None
    team_area = staff.team.geographical_area.name if staff.team is not None else None
    managed: set[str] = set()
    if own is None and team_area is None:
        managed = set(
            staff_below(staff=staff)
            .filter(team__isnull=False)
            .values_list("team__geographical_area__name", flat=True)
            .distinct()
        )
    return geographical_area_of(own=own, team_area=team_area, managed_areas=managed)


def staff_list(*, team_id: str | None = None, role: str | None = None) -> QuerySet[Staff]:
    qs = Staff.objects.select_related("team", "line_manager", "geographical_area").prefetch_related("roles")
    if team_id:
        qs = qs.filter(team__team_id=team_id)
    if role:
        qs = qs.filter(roles__role=role)
    return qs.order_by("staff_id")


def team_list() -> QuerySet[Team]:
    return Team.objects.select_related("service_area", "geographical_area").order_by("team_id")


def authority_name() -> str:
    from caseaudit.org.models import Authority

    authority = Authority.objects.only("name").first()
    return authority.name if authority is not None else "caseaudit"


def authority_nation() -> str:
    """The nation whose bank holidays make the working days (England when no authority is set)."""
    from caseaudit.org.models import Authority

    nation = Authority.objects.order_by("pk").values_list("nation", flat=True).first()
    return nation or Authority.Nation.ENGLAND.value


def closure_days() -> QuerySet[ClosureDay]:
    return ClosureDay.objects.order_by("day")


def working_calendar() -> WorkingCalendar:
    """The authority's working days (CONTRACTS §7, ACT-2): its nation's bank holidays and its own
    closure days, read in two queries; every deadline is counted on it (core.calendar)."""
    return WorkingCalendar.of(authority_nation(), closure_days().values_list("day", flat=True))


def team_choices() -> list[tuple[str, str]]:
    return list(Team.objects.order_by("name").values_list("team_id", "name"))


def service_area_names() -> list[str]:
    from caseaudit.org.models import ServiceArea

    return list(ServiceArea.objects.order_by("name").values_list("name", flat=True))


def area_names() -> list[str]:
    from caseaudit.org.models import GeographicalArea

    return list(GeographicalArea.objects.order_by("name").values_list("name", flat=True))


def team_get(*, team_id: str) -> Team | None:
    return Team.objects.select_related("service_area", "geographical_area").filter(team_id=team_id).first()


def team_members(*, team: Team) -> "QuerySet[Staff]":
    return staff_list(team_id=team.team_id).order_by("name")
