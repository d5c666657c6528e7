"""A small synthetic authority shared by the permission tests of every app."""

from dataclasses import dataclass
from typing import Any

import pytest

from caseaudit.cases.models import Case
from caseaudit.cases.tests.factories import CaseFactory
from caseaudit.org.models import Staff
from caseaudit.org.tests.factories import GeographicalAreaFactory, StaffFactory, TeamFactory


@dataclass
class Authority:
    people: dict[str, Staff]
    cases: dict[str, Case]
    superuser: Any


@pytest.fixture
def authority(db: Any, django_user_model: Any) -> Authority:
    """Two teams in two areas under one head of service, QA, a moderator, an administrator.

    Records: `own_team` (a case of sw_a, team A), `other_team` (a case of sw_b, team B),
    `restricted` (a restricted case of sw_a2, team A)."""
    north = GeographicalAreaFactory(name="North")
    south = GeographicalAreaFactory(name="South")
    team_a = TeamFactory(team_id="TA", name="Assessment North", geographical_area=north)
    team_b = TeamFactory(team_id="TB", name="Assessment South", geographical_area=south)
    hos = StaffFactory(staff_id="HOS", team=None, roles=["head_of_service"], job_role="Head of service")
    gm_a = StaffFactory(staff_id="GMA", team=None, line_manager=hos, roles=["group_manager"])
    gm_b = StaffFactory(staff_id="GMB", team=None, line_manager=hos, roles=["group_manager"])
    pm_a = StaffFactory(staff_id="PMA", team=team_a, line_manager=gm_a, roles=["practice_manager"])
    pm_b = StaffFactory(staff_id="PMB", team=team_b, line_manager=gm_b, roles=["practice_manager"])
    sw_a = StaffFactory(staff_id="SWA", team=team_a, line_manager=pm_a, roles=["social_worker"])
    sw_a2 = StaffFactory(staff_id="SWA2", team=team_a, line_manager=pm_a, roles=["social_worker"])
    sw_b = StaffFactory(staff_id="SWB", team=team_b, line_manager=pm_b, roles=["social_worker"])
    head_qa = StaffFactory(staff_id="HQA", team=None, roles=["head_of_qa"])
    qa = StaffFactory(staff_id="QA1", team=None, line_manager=head_qa, roles=["qa_officer"])
    moderator = StaffFactory(staff_id="MOD", team=None, roles=["moderator"])
    admin = StaffFactory(staff_id="ADM", team=None, roles=["administrator"])
    cases = {
        "own_team": CaseFactory(case_id="C-OWN", team=team_a, allocated_worker=sw_a),
        "other_team": CaseFactory(case_id="C-OTHER", team=team_b, allocated_worker=sw_b),
        "restricted": CaseFactory(
            case_id="C-RESTRICTED", team=team_a, allocated_worker=sw_a2, restricted=True
        ),
    }
    superuser = django_user_model.objects.create_superuser(
        username="breakglass@example.test", email="breakglass@example.test", password="break-glass-password-1"
    )
    people = {
        "head_of_service": hos,
        "group_manager": gm_b,
        "group_manager_a": gm_a,
        "practice_manager": pm_a,
        "social_worker": sw_a,
        "social_worker_a2": sw_a2,
        "qa_officer": qa,
        "head_of_qa": head_qa,
        "moderator": moderator,
        "administrator": admin,
    }
    return Authority(people=people, cases=cases, superuser=superuser)


def user_for(authority: Authority, who: str) -> Any:
    return authority.superuser if who == "superuser" else authority.people[who].user
