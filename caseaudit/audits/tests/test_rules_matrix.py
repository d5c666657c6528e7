"""SEC-1 extended to audits: person × permission × audit, each cell as CONTRACTS §3 says.

Audits: `own_team` — SWA's case (team A), conducted by GMB, the group manager of the other team;
`restricted` — SWA2's restricted case (team A), also conducted by GMB."""

from typing import Any

import pytest

from caseaudit.audits.models import Audit, ComplianceGap
from caseaudit.audits.services import audit_submit
from caseaudit.audits.services_gaps import compliance_gap_flag
from caseaudit.audits.tests.test_services_helpers import STRENGTHS, audit_of, complete, templates_load
from caseaudit.cases.selectors import Access, case_access, case_scope
from caseaudit.conftest import Authority, user_for
from caseaudit.org.models import Staff

PERMS = ("view", "preview", "edit", "submit", "flag_gap", "address_gap", "download", "record_family")
PERMISSION = {
    "view": "audits.view_audit",
    "preview": "audits.preview_audit",
    "edit": "audits.edit_audit",
    "submit": "audits.submit_audit",
    "flag_gap": "audits.flag_compliance_gap",
    "address_gap": "audits.address_compliance_gap",
    "download": "audits.download_document",
    "record_family": "audits.record_family_feedback",  # FAM-1: the auditor only, at any stage
}
Y, N = True, False
# who → {record: (view, preview, edit, submit, flag_gap, address_gap, download, record_family)}
VIEW_ONLY = (Y, Y, N, N, N, N, Y, N)
NOTHING = (N, N, N, N, N, N, N, N)
CONDUCTS = (Y, Y, Y, Y, Y, N, Y, Y)
ADDRESSES = (Y, Y, N, N, N, Y, Y, N)
EXPECTED: dict[str, dict[str, tuple[bool, ...]]] = {
    # CONTRACTS §3, SEL-6: a restricted audit stays closed to its auditor until access is granted.
    "auditor": {"own_team": CONDUCTS, "restricted": NOTHING},
    "worker": {"own_team": ADDRESSES, "restricted": NOTHING},
    "worker_a2": {"own_team": NOTHING, "restricted": ADDRESSES},
    "practice_manager": {"own_team": ADDRESSES, "restricted": ADDRESSES},
    "group_manager_a": {"own_team": VIEW_ONLY, "restricted": VIEW_ONLY},  # above the workers
    "head_of_service": {"own_team": VIEW_ONLY, "restricted": VIEW_ONLY},
    "other_team": {"own_team": NOTHING, "restricted": NOTHING},
    "qa_officer": {"own_team": VIEW_ONLY, "restricted": NOTHING},
    "head_of_qa": {"own_team": VIEW_ONLY, "restricted": NOTHING},
    "moderator": {"own_team": VIEW_ONLY, "restricted": NOTHING},
    "administrator": {"own_team": NOTHING, "restricted": NOTHING},
    "superuser": {"own_team": (Y,) * 8, "restricted": (Y,) * 8},
}
PEOPLE = {
    "auditor": "group_manager",
    "worker": "social_worker",
    "worker_a2": "social_worker_a2",
}
ROWS = [(who, record) for who in EXPECTED for record in ("own_team", "restricted")]


def person(authority: Authority, who: str) -> Any:
    if who == "other_team":
        return Staff.objects.get(staff_id="SWB").user
    return user_for(authority, PEOPLE.get(who, who))


@pytest.fixture
def audits(authority: Authority) -> dict[str, Audit]:
    templates_load()
    return {record: audit_of(authority, record) for record in ("own_team", "restricted")}


@pytest.mark.parametrize(("who", "record"), ROWS)
def test_audit_permissions(authority: Authority, audits: dict[str, Audit], who: str, record: str) -> None:
    """SEC-1: who may see, preview, conduct and submit an audit, flag and address its gaps."""
    user = person(authority, who)
    audit = audits[record]
    gap = compliance_gap_flag(actor=audit.auditor.user, audit=audit, kind="chronology", note="Update it")
    actual = {
        perm: user.has_perm(PERMISSION[perm], gap if perm == "address_gap" else audit) for perm in PERMS
    }
    assert actual == dict(zip(PERMS, EXPECTED[who][record], strict=True))


@pytest.mark.parametrize("who", ["auditor", "worker", "qa_officer", "superuser"])
def test_a_submitted_audit_is_read_only_for_everyone_but_still_visible(
    authority: Authority, who: str
) -> None:
    templates_load()
    audit = complete(audit_of(authority), comments={"comments_actions": STRENGTHS})
    gap = compliance_gap_flag(actor=audit.auditor.user, audit=audit, kind="visits", note="Visit records")
    audit = audit_submit(actor=audit.auditor.user, audit=audit)
    user = person(authority, who)
    assert user.has_perm("audits.view_audit", audit)
    if who != "superuser":  # Django lets a superuser pass every check; the services still refuse
        assert not user.has_perm("audits.edit_audit", audit)
        assert not user.has_perm("audits.submit_audit", audit)
        assert not user.has_perm("audits.flag_compliance_gap", audit)
    # FAM-1: the family may be reached after submission; the auditor still records their voice.
    assert user.has_perm("audits.record_family_feedback", audit) is (who in ("auditor", "superuser"))
    # The worker still records how a gap flagged before submission was addressed (AUD-3).
    assert user.has_perm("audits.address_compliance_gap", gap) is (who in ("worker", "superuser"))


@pytest.mark.parametrize(
    ("who", "record", "expected"),
    [
        ("group_manager", "own_team", True),  # GMB can see the case only once auditing it; here not yet
        ("group_manager_a", "own_team", True),  # their line
        ("group_manager_a", "other_team", False),
        ("qa_officer", "own_team", True),
        ("qa_officer", "restricted", False),  # summary only
        ("head_of_qa", "other_team", True),
        ("social_worker", "own_team", False),  # no role to start audits
        ("practice_manager", "own_team", False),
        ("moderator", "own_team", False),
        ("administrator", "own_team", False),
        ("superuser", "restricted", True),
    ],
)
def test_start_audit(authority: Authority, who: str, record: str, expected: bool) -> None:
    """Group managers and QA start audits of cases they may see in full."""
    templates_load()
    case = authority.cases[record]
    if who == "group_manager":
        assert not user_for(authority, who).has_perm("audits.start_audit", case)
        audit_of(authority, record)  # allocated to GMB by QA: now GMB sees it in full
        user = user_for(authority, who)
        user._caseaudit_case_scope = None
        assert case_access(user=user, case=case) is Access.FULL
    assert user_for(authority, who).has_perm("audits.start_audit", case) is expected


def test_auditor_sees_the_audited_case_and_child_in_full(authority: Authority) -> None:
    """CONTRACTS §3: an auditor also sees the cases allocated to them for audit; a restricted one
    only as its summary until their access request is granted (SEL-6, tested with allocation)."""
    from caseaudit.cases.models import Child

    templates_load()
    gmb = user_for(authority, "group_manager")
    own, restricted = authority.cases["own_team"], authority.cases["restricted"]
    assert case_access(user=gmb, case=own) is Access.NONE
    assert case_access(user=gmb, case=restricted) is Access.NONE
    audit_of(authority, "own_team")
    audit_of(authority, "restricted")
    gmb = user_for(authority, "group_manager")
    gmb._caseaudit_case_scope = None
    assert case_access(user=gmb, case=own) is Access.FULL
    assert case_access(user=gmb, case=restricted) is Access.SUMMARY
    scope = case_scope(user=gmb)
    assert Child.objects.filter(scope.child_details_q(prefix=""), pk=own.child_id).exists()
    assert not Child.objects.filter(scope.child_details_q(prefix=""), pk=restricted.child_id).exists()


def test_moderators_see_cases_of_audits_not_restricted(authority: Authority) -> None:
    templates_load()
    moderator = user_for(authority, "moderator")
    own, restricted = authority.cases["own_team"], authority.cases["restricted"]
    assert case_access(user=moderator, case=own) is Access.NONE
    audit_of(authority, "own_team")
    audit_of(authority, "restricted")
    assert case_access(user=moderator, case=own) is Access.FULL
    assert case_access(user=moderator, case=restricted) is Access.NONE
    assert case_access(user=moderator, case=authority.cases["other_team"]) is Access.NONE


def test_gap_objects_and_audits_agree(authority: Authority) -> None:
    """The gap permission reads the gap's audit; an unknown object is refused, not an error."""
    templates_load()
    audit = audit_of(authority)
    gap = compliance_gap_flag(actor=audit.auditor.user, audit=audit, kind="supervision", note="Monthly")
    worker = user_for(authority, "social_worker")
    assert worker.has_perm("audits.address_compliance_gap", gap)
    assert worker.has_perm("audits.address_compliance_gap", audit)
    assert not worker.has_perm("audits.view_audit", None)
    assert not worker.has_perm("audits.view_audit", ComplianceGap())
