"""SEC-1 for actions and escalations: person × permission × record, as CONTRACTS §3 and §10 say.

Records: `own_team` — an action of the audit of SWA's case (team A), owned by PMA (the default
owner, the worker's practice manager), signed off by GMA (PMA's line manager, as PMA owns it);
`restricted` — the same for SWA2's restricted case. Both audited by GMB, the other team's group
manager. Whether the status allows a step now is the services' check, not the rule's."""

from typing import Any

import pytest

from caseaudit.actions.models import Escalation
from caseaudit.actions.tests.helpers import audit_with_actions, first_action
from caseaudit.conftest import Authority, user_for
from caseaudit.org.models import Staff

pytestmark = pytest.mark.django_db

PERMS = ("view", "work", "sign_off", "cancel")
PERMISSION = {
    "view": "actions.view_action",
    "work": "actions.work_action",
    "sign_off": "actions.sign_off_action",
    "cancel": "actions.cancel_action",
}
Y, N = True, False
NOTHING = (N, N, N, N)
SEES = (Y, N, N, N)
OWNS = (Y, Y, N, N)
SIGNS = (Y, N, Y, Y)
QA = (Y, N, N, Y)
EXPECTED: dict[str, dict[str, tuple[bool, ...]]] = {
    "owner": {"own_team": OWNS, "restricted": OWNS},
    "signer": {"own_team": SIGNS, "restricted": SIGNS},
    "worker": {"own_team": SEES, "restricted": NOTHING},
    "worker_a2": {"own_team": NOTHING, "restricted": SEES},
    "other_team": {"own_team": NOTHING, "restricted": NOTHING},
    "auditor": {"own_team": SEES, "restricted": NOTHING},  # restricted: closed until access is granted
    "head_of_service": {"own_team": SEES, "restricted": SEES},
    "qa_officer": {"own_team": QA, "restricted": NOTHING},
    "head_of_qa": {"own_team": QA, "restricted": NOTHING},
    "moderator": {"own_team": SEES, "restricted": NOTHING},
    "administrator": {"own_team": NOTHING, "restricted": NOTHING},
    "superuser": {"own_team": (Y,) * 4, "restricted": (Y,) * 4},
}
PEOPLE = {
    "owner": "practice_manager",
    "signer": "group_manager_a",
    "worker": "social_worker",
    "worker_a2": "social_worker_a2",
    "auditor": "group_manager",
}
ROWS = [(who, record) for who in EXPECTED for record in ("own_team", "restricted")]


def person(authority: Authority, who: str) -> Any:
    if who == "other_team":
        return Staff.objects.get(staff_id="SWB").user
    return user_for(authority, PEOPLE.get(who, who))


@pytest.mark.parametrize(("who", "record"), ROWS)
def test_action_permissions(authority: Authority, who: str, record: str) -> None:
    action = first_action(audit_with_actions(authority, record))
    user = person(authority, who)
    actual = tuple(user.has_perm(PERMISSION[perm], action) for perm in PERMS)
    assert dict(zip(PERMS, actual, strict=True)) == dict(zip(PERMS, EXPECTED[who][record], strict=True))


# who → (view, close) of the escalation of an Inadequate audit of SWA's case
ESCALATION = {
    "owner": (Y, Y),  # PMA: above the worker
    "signer": (Y, Y),  # GMA
    "head_of_service": (Y, Y),
    "worker": (Y, N),
    "worker_a2": (N, N),
    "other_team": (N, N),
    "auditor": (Y, N),
    "qa_officer": (Y, Y),
    "head_of_qa": (Y, Y),
    "moderator": (Y, N),
    "administrator": (N, N),
    "superuser": (Y, Y),
}


@pytest.mark.parametrize("who", list(ESCALATION))
def test_escalation_permissions(authority: Authority, who: str) -> None:
    escalation = Escalation.objects.get(audit=audit_with_actions(authority, grade="inadequate"))
    user = person(authority, who)
    actual = (
        user.has_perm("actions.view_escalation", escalation),
        user.has_perm("actions.close_escalation", escalation),
    )
    assert actual == ESCALATION[who]
