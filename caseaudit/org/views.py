"""The organisation as staff see it: teams, who is in them and who manages whom."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from caseaudit.core.denials import denied
from caseaudit.org.selectors import staff_above, team_get, team_list, team_members


def _require_view(request: HttpRequest) -> None:
    if not request.user.has_perm("org.view_organisation"):
        raise denied(request, object_type="organisation", object_ref="teams")


@login_required
def team_list_view(request: HttpRequest) -> HttpResponse:
    _require_view(request)
    teams = team_list().annotate(member_count=Count("members")).order_by("geographical_area__name", "name")
    return render(request, "org/team_list.html", {"teams": teams})


@login_required
def team_detail_view(request: HttpRequest, team_id: str) -> HttpResponse:
    _require_view(request)
    team = team_get(team_id=team_id)
    if team is None:
        raise Http404("no such team")
    members = list(team_members(team=team))
    managers = {}
    if members:
        # The chain above the team's first member, for "who manages this team".
        managers = {m.pk: m for m in staff_above(staff=members[0])}
    return render(
        request,
        "org/team_detail.html",
        {"team": team, "members": members, "chain": list(managers.values())},
    )
