"""SEL-6: access to restricted records. The auditor of a restricted case asks with a reason; the
named approver (the head of service above the case's worker by default) grants or refuses with a
reason; until granted the child page and the audit stay closed (CONTRACTS §3); every request and
decision is kept.

The authority: restricted case C-RESTRICTED of SWA2 (team A) → PMA → GMA → HOS (head of service);
its audit is allocated to GMB, group manager of team B, who is not above SWA2."""

from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import transaction

from caseaudit.access.models import AccessRequest
from caseaudit.access.selectors import (
    access_approver_for,
    access_requests_for_case,
    access_requests_to_decide,
    approver_is_fallback,
)
from caseaudit.access.services import AccessRefused, access_request_create, access_request_decide
from caseaudit.access.tests.helpers import REASON, ask, decide, fresh, restricted_audit
from caseaudit.allocation.models import AllocationSettings
from caseaudit.audits.models import Audit
from caseaudit.audits.selectors import audit_get
from caseaudit.cases.selectors import Access, case_access, child_get
from caseaudit.cases.tests.factories import CaseFactory
from caseaudit.conftest import Authority
from caseaudit.core.models import AuditEvent, OutboxMessage
from caseaudit.org.tests.factories import StaffFactory

__all__ = ["restricted_audit"]  # the fixture, used below

pytestmark = pytest.mark.usefixtures("restricted_audit")


def problems(refused: Any) -> set[tuple[str | None, str]]:
    return {(p.field, p.message) for p in refused.value.problems}


# --- asking -----------------------------------------------------------------------------------


def test_the_auditor_asks_and_the_head_of_service_is_emailed_after_commit(
    authority: Authority, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        request = ask(authority)
    assert request.status == AccessRequest.Status.PENDING
    assert (request.requester.staff_id, request.approver.staff_id) == ("GMB", "HOS")
    assert request.reason == REASON
    event = AuditEvent.objects.get(action="access_requested", object_ref=str(request.pk))
    assert event.changes["case_id"] == "C-RESTRICTED" and event.changes["approver_is_fallback"] is False
    [message] = mail.outbox
    assert message.to == [authority.people["head_of_service"].email]
    assert "C-RESTRICTED" in message.subject and f"/access-requests/{request.pk}/" in message.body
    assert REASON in message.body
    child = authority.cases["restricted"].child
    assert child.name not in f"{message.body} {message.subject}"  # mail may be forwarded


def test_no_mail_when_the_request_rolls_back(
    authority: Authority, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        ask(authority)
        raise RuntimeError("the surrounding change failed")
    assert not AccessRequest.objects.exists() and not OutboxMessage.objects.exists()
    assert mail.outbox == []


@pytest.mark.parametrize("reason", ["", "   \n "])
def test_a_reason_is_required(authority: Authority, reason: str) -> None:
    with pytest.raises(AccessRefused) as refused:
        ask(authority, reason=reason)
    assert problems(refused) == {("reason", "Enter why you need to open this record")}
    assert not AccessRequest.objects.exists()


def test_a_second_request_while_one_waits_is_refused(authority: Authority) -> None:
    ask(authority)
    with pytest.raises(AccessRefused) as refused:
        ask(authority, reason="Asking again")
    [(field, message)] = problems(refused)
    assert field is None and "wait for" in message
    assert AccessRequest.objects.count() == 1


def test_after_a_refusal_the_auditor_may_ask_again(authority: Authority) -> None:
    decide(authority, ask(authority), grant=False)
    again = ask(authority, reason="The audit is due on 21 December; I need the record.")
    assert again.status == AccessRequest.Status.PENDING
    assert AccessRequest.objects.count() == 2


def test_qa_may_ask(authority: Authority) -> None:
    assert ask(authority, "qa_officer").approver.staff_id == "HOS"


@pytest.mark.parametrize("who", ["moderator", "social_worker", "administrator", "group_manager_a"])
def test_who_may_not_ask(authority: Authority, who: str) -> None:
    """Those who cannot see the case at all may not ask; those above the worker already open it."""
    if who == "group_manager_a":
        with pytest.raises(AccessRefused, match="You can already open case C-RESTRICTED"):
            ask(authority, who)
    else:
        with pytest.raises(PermissionDenied):
            ask(authority, who)
    assert not AccessRequest.objects.exists()


def test_a_case_that_is_not_restricted_needs_no_request(authority: Authority) -> None:
    with pytest.raises(AccessRefused, match="not restricted"):
        access_request_create(
            actor=fresh(authority, "qa_officer"), case=authority.cases["own_team"], reason="x"
        )


# --- the approver -----------------------------------------------------------------------------


def test_the_approver_role_is_a_setting(authority: Authority) -> None:
    AllocationSettings.objects.update_or_create(pk=1, defaults={"access_approver_role": "group_manager"})
    approver = access_approver_for(case=authority.cases["restricted"])
    assert approver.person is not None and approver.person.staff_id == "GMA" and not approver.is_fallback
    assert ask(authority).approver.staff_id == "GMA"


def test_without_a_holder_above_the_worker_the_line_manager_decides_and_it_is_shown(
    authority: Authority, django_capture_on_commit_callbacks: Any
) -> None:
    AllocationSettings.objects.update_or_create(pk=1, defaults={"access_approver_role": "panel_chair"})
    with django_capture_on_commit_callbacks(execute=True):
        request = ask(authority)
    assert request.approver.staff_id == "PMA"  # SWA2's direct line manager
    assert approver_is_fallback(request)
    assert AuditEvent.objects.get(action="access_requested").changes["approver_is_fallback"] is True
    assert "line manager of the case's worker" in mail.outbox[0].body


def test_an_inactive_head_of_service_is_passed_over(authority: Authority) -> None:
    hos = authority.people["head_of_service"]
    type(hos).objects.filter(pk=hos.pk).update(is_active=False)
    approver = access_approver_for(case=authority.cases["restricted"])
    assert approver.person is not None and approver.person.staff_id == "PMA" and approver.is_fallback


def test_nobody_to_decide_is_refused(authority: Authority) -> None:
    loner = StaffFactory(staff_id="LONE", team=authority.cases["restricted"].team, line_manager=None)
    case = CaseFactory(case_id="C-LONE", team=loner.team, allocated_worker=loner, restricted=True)
    with pytest.raises(AccessRefused, match="Nobody above"):
        access_request_create(actor=fresh(authority, "qa_officer"), case=case, reason=REASON)


# --- deciding ---------------------------------------------------------------------------------


def test_the_named_approver_grants_and_the_requester_is_emailed(
    authority: Authority, django_capture_on_commit_callbacks: Any
) -> None:
    request = ask(authority)
    with django_capture_on_commit_callbacks(execute=True):
        decided = decide(authority, request, grant=True)
    assert decided.status == AccessRequest.Status.GRANTED
    assert decided.decided_by == authority.people["head_of_service"].user and decided.decided_at is not None
    assert decided.decision_reason == "Needed for the audit."
    assert AuditEvent.objects.filter(action="access_granted", object_ref=str(request.pk)).exists()
    [message] = mail.outbox
    assert message.to == [authority.people["group_manager"].email]
    assert "granted" in message.subject and "/cases/C-RESTRICTED/" in message.body


@pytest.mark.parametrize("who", ["group_manager", "practice_manager", "group_manager_a", "qa_officer"])
def test_only_the_named_approver_decides(authority: Authority, who: str) -> None:
    """The requester, and even people above the worker who are not the named approver, may not."""
    request = ask(authority)
    with pytest.raises(PermissionDenied):
        decide(authority, request, grant=True, who=who)
    request.refresh_from_db()
    assert request.status == AccessRequest.Status.PENDING


def test_the_superuser_may_decide(authority: Authority) -> None:
    assert decide(authority, ask(authority), grant=False, who="superuser").status == "refused"


@pytest.mark.parametrize("grant", [True, False])
def test_a_decision_needs_a_reason(authority: Authority, grant: bool) -> None:
    request = ask(authority)
    with pytest.raises(AccessRefused) as refused:
        access_request_decide(
            actor=fresh(authority, "head_of_service"), request=request, grant=grant, reason=" "
        )
    [(field, _)] = problems(refused)
    assert field == "reason"
    request.refresh_from_db()
    assert request.status == AccessRequest.Status.PENDING


def test_a_decided_request_cannot_be_decided_again(authority: Authority) -> None:
    request = decide(authority, ask(authority), grant=False)
    with pytest.raises(AccessRefused, match="already refused"):
        decide(authority, request, grant=True)


def test_a_stale_copy_cannot_overturn_a_decision(authority: Authority) -> None:
    """Two decisions at once: the second, holding a stale copy, is refused."""
    request = ask(authority)
    stale = AccessRequest.objects.get(pk=request.pk)
    decide(authority, request, grant=False)
    with pytest.raises(AccessRefused, match="decided by someone else"):
        decide(authority, stale, grant=True, who="superuser")
    assert AccessRequest.objects.get(pk=request.pk).status == "refused"


def test_every_request_and_decision_is_kept(authority: Authority) -> None:
    decide(authority, ask(authority), grant=False)
    decide(authority, ask(authority, reason="Audit due 21 December"), grant=True)
    assert list(AccessRequest.objects.order_by("pk").values_list("status", flat=True)) == [
        "refused",
        "granted",
    ]
    actions = AuditEvent.objects.filter(object_type="access_request").order_by("pk")
    assert [e.action for e in actions] == [
        "access_requested",
        "access_refused",
        "access_requested",
        "access_granted",
    ]
    shown = access_requests_for_case(
        user=fresh(authority, "group_manager"), case=authority.cases["restricted"]
    )
    assert [r.status for r in shown] == ["granted", "refused"]


def test_who_sees_the_requests_of_a_case(authority: Authority) -> None:
    ask(authority)
    case = authority.cases["restricted"]
    for who, count in [
        ("group_manager", 1),  # their own
        ("head_of_service", 1),  # the approver
        ("practice_manager", 1),  # above the worker: sees the case in full
        ("qa_officer", 0),  # not theirs
        ("moderator", 0),
        ("superuser", 1),
    ]:
        user = authority.superuser if who == "superuser" else fresh(authority, who)
        assert access_requests_for_case(user=user, case=case).count() == count, who


def test_waiting_requests_come_first_for_the_approver(authority: Authority) -> None:
    first = decide(authority, ask(authority), grant=False)
    waiting = ask(authority, "qa_officer")
    listed = list(access_requests_to_decide(user=fresh(authority, "head_of_service")))
    assert [r.pk for r in listed] == [waiting.pk, first.pk]
    assert list(access_requests_to_decide(user=fresh(authority, "practice_manager"))) == []


# --- what the grant opens (CONTRACTS §3) ------------------------------------------------------


def test_the_auditor_sees_only_the_summary_until_granted(
    authority: Authority, restricted_audit: Audit
) -> None:
    case = authority.cases["restricted"]
    gmb = fresh(authority, "group_manager")
    assert case_access(user=gmb, case=case) is Access.SUMMARY
    assert child_get(user=gmb, child_id=case.child.child_id) is None
    assert audit_get(user=gmb, audit_id=restricted_audit.pk) is None
    request = ask(authority)
    assert audit_get(user=fresh(authority, "group_manager"), audit_id=restricted_audit.pk) is None
    decide(authority, request, grant=True)
    gmb = fresh(authority, "group_manager")
    assert case_access(user=gmb, case=case) is Access.FULL
    assert child_get(user=gmb, child_id=case.child.child_id) == case.child
    assert audit_get(user=gmb, audit_id=restricted_audit.pk) == restricted_audit


def test_a_refused_request_keeps_the_record_closed(authority: Authority, restricted_audit: Audit) -> None:
    decide(authority, ask(authority), grant=False)
    gmb = fresh(authority, "group_manager")
    assert case_access(user=gmb, case=authority.cases["restricted"]) is Access.SUMMARY
    assert audit_get(user=gmb, audit_id=restricted_audit.pk) is None


def test_a_grant_opens_the_record_to_its_requester_only(
    authority: Authority, restricted_audit: Audit
) -> None:
    decide(authority, ask(authority, "qa_officer"), grant=True)
    case = authority.cases["restricted"]
    assert case_access(user=fresh(authority, "qa_officer"), case=case) is Access.FULL
    assert audit_get(user=fresh(authority, "qa_officer"), audit_id=restricted_audit.pk) == restricted_audit
    assert case_access(user=fresh(authority, "head_of_qa"), case=case) is Access.SUMMARY
    assert case_access(user=fresh(authority, "group_manager"), case=case) is Access.SUMMARY


def test_a_granted_auditor_may_conduct_the_audit(authority: Authority, restricted_audit: Audit) -> None:
    decide(authority, ask(authority), grant=True)
    gmb = fresh(authority, "group_manager")
    for perm in ("audits.view_audit", "audits.edit_audit", "audits.submit_audit", "audits.download_document"):
        assert gmb.has_perm(perm, restricted_audit), perm
