"""Who may give feedback, record that none was given, and decide a dispute (MOD-3; CONTRACTS §3 and
§9), on the pages: 200 may do it, 403 may see the audit but not do this, 404 may not see it.

Records: `own_team` (SWA's case, PMA their practice manager, audited by GMB), `other_team` (SWB's
case, audited by GMA), `restricted` (SWA2's restricted case, PMA their practice manager, audited
by GMB without access granted). A moderator conducts the `conflicted` audit (of SWA's case)."""

import pytest
from django.test import Client
from django.urls import reverse

from caseaudit.audits.models import Audit
from caseaudit.conftest import Authority
from caseaudit.moderation.tests.helpers import people_added, submitted_audit
from caseaudit.org.models import Staff

ACTORS = ["SWA", "PMA", "SWB", "GMB", "MOD", "QA1", "HQA", "CHAIR"]

# For each permission and record: the answer of each of ACTORS, in order.
EXPECTED: dict[str, dict[str, list[int]]] = {
    "feedback": {
        "own_team": [200, 200, 404, 403, 403, 403, 403, 403],
        "other_team": [404, 404, 200, 403, 403, 403, 403, 403],
        "restricted": [404, 200, 404, 404, 404, 404, 404, 404],
        # the moderator as auditor is still not the worker; GMB has nothing to do with this audit
        "conflicted": [200, 200, 404, 404, 403, 403, 403, 403],
    },
    "no-feedback": {
        "own_team": [403, 403, 404, 200, 403, 200, 200, 403],
        "other_team": [404, 404, 403, 403, 403, 200, 200, 403],
        "restricted": [404, 403, 404, 404, 404, 404, 404, 404],
        "conflicted": [403, 403, 404, 404, 200, 200, 200, 403],
    },
    "head-of-qa-decision": {
        "own_team": [403, 403, 404, 403, 403, 403, 200, 403],
        "other_team": [404, 404, 403, 403, 403, 403, 200, 403],
        "restricted": [404, 403, 404, 404, 404, 404, 404, 404],
        "conflicted": [403, 403, 404, 404, 403, 403, 200, 403],
    },
}


@pytest.fixture
def audits(authority: Authority) -> dict[str, Audit]:
    people_added(authority)
    return {
        "own_team": submitted_audit(authority, "own_team"),
        "other_team": submitted_audit(authority, "other_team", auditor="group_manager_a"),
        "restricted": submitted_audit(authority, "restricted"),
    }


def client(staff_id: str) -> Client:
    person = Staff.objects.get(staff_id=staff_id)
    c = Client()
    c.force_login(person.user)
    return c


@pytest.mark.parametrize("name", list(EXPECTED))
def test_the_permission_matrix(authority: Authority, audits: dict[str, Audit], name: str) -> None:
    got: dict[str, list[int]] = {}
    for record, audit in audits.items():
        url = reverse(f"moderation:{name}", args=[audit.pk])
        got[record] = [client(staff_id).get(url).status_code for staff_id in ACTORS]
    expected = {record: row for record, row in EXPECTED[name].items() if record in audits}
    assert got == expected


@pytest.mark.parametrize("name", list(EXPECTED))
def test_the_conflicted_moderator(authority: Authority, name: str) -> None:
    people_added(authority)
    audit = submitted_audit(authority, "own_team", auditor="moderator")
    url = reverse(f"moderation:{name}", args=[audit.pk])
    got = [client(staff_id).get(url).status_code for staff_id in ACTORS]
    assert got == EXPECTED[name]["conflicted"]


@pytest.mark.parametrize("name", list(EXPECTED))
def test_the_break_glass_account_may(authority: Authority, name: str) -> None:
    audit = submitted_audit(authority)
    c = Client()
    c.force_login(authority.superuser)
    assert c.get(reverse(f"moderation:{name}", args=[audit.pk])).status_code == 200


def test_posting_is_refused_as_getting_is(authority: Authority, audits: dict[str, Audit]) -> None:
    own = audits["own_team"]
    data = {"agreement": "agree"}
    assert client("QA1").post(reverse("moderation:feedback", args=[own.pk]), data).status_code == 403
    assert client("SWB").post(reverse("moderation:feedback", args=[own.pk]), data).status_code == 404
    assert client("SWA").post(reverse("moderation:no-feedback", args=[own.pk])).status_code == 403
    own.refresh_from_db()
    assert own.status == "submitted"
