"""Teams and staff: the organisation as the register describes it (any active member of staff)."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from caseaudit.api.auth import api_auth
from caseaudit.api.pagination import PageParams, page_of
from caseaudit.api.problems import Problem
from caseaudit.api.queries import staff_geographical_area
from caseaudit.api.schemas import StaffFilters, StaffPage, TeamPage
from caseaudit.org.models import Staff, Team
from caseaudit.org.selectors import staff_list, team_list

router = Router(tags=["organisation"])

ERRORS = {400: Problem, 401: Problem, 403: Problem}
# Any active member of staff may read the organisation's structure.
MAY_VIEW = api_auth(permission="org.view_organisation", doing="see the organisation")


def team_out(team: Team) -> dict[str, Any]:
    return {
        "team_id": team.team_id,
        "name": team.name,
        "service_area": team.service_area.name,
        "geographical_area": team.geographical_area.name,
        "eligible_for_audit": team.eligible_for_audit,
        "in_latest_import": team.in_latest_import,
    }


def staff_out(staff: Staff) -> dict[str, Any]:
    return {
        "staff_id": staff.staff_id,
        "name": staff.name,
        "email": staff.email,
        "job_role": staff.job_role,
        "team_id": staff.team.team_id if staff.team is not None else None,
        "line_manager_id": staff.line_manager.staff_id if staff.line_manager is not None else None,
        # Prefetched by staff_list: read from the cache, not one query per person.
        "roles": sorted(r.role for r in staff.roles.all()),
        "geographical_area": staff_geographical_area(staff=staff),
        "is_active": staff.is_active,
    }


@router.get(
    "/teams",
    response={200: TeamPage, **ERRORS},
    summary="List teams",
    operation_id="teams_list",
    auth=MAY_VIEW,
)
def teams_list(request: HttpRequest, paging: Query[PageParams]) -> dict[str, Any]:
    """Every team of the register, by team ID, with its service and geographical area and
    whether its cases may be picked for the monthly audit. Needs `org.view_organisation`
    (any active member of staff)."""
    return page_of(team_list(), params=paging, present=team_out)


@router.get(
    "/staff",
    response={200: StaffPage, **ERRORS},
    summary="List staff",
    operation_id="staff_list",
    auth=MAY_VIEW,
)
def staff_list_endpoint(
    request: HttpRequest, paging: Query[PageParams], filters: Query[StaffFilters]
) -> dict[str, Any]:
    """Everyone in the register, by staff ID, with their team, direct line manager, roles and
    geographical area; leavers are kept with `is_active: false`. Filter by `team_id` or
    `role`. Needs `org.view_organisation` (any active member of staff)."""
    people = staff_list(team_id=filters.team_id, role=filters.role).select_related("team__geographical_area")
    return page_of(people, params=paging, present=staff_out)
