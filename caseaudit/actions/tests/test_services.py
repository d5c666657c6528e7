"""Working an action to done (ACT-1, CONTRACTS §10): each step, its refusals, its history and mail."""

import pytest
from django.core.exceptions import PermissionDenied

from caseaudit.actions.models import ActionEvent
from caseaudit.actions.rules import action_signer
from caseaudit.actions.services import (
    ActionRefused,
    action_cancel,
    action_done,
    action_progress,
    action_send_back,
    action_sign_off,
)
from caseaudit.actions.tests.helpers import audit_with_actions, first_action
from caseaudit.audits.models import AuditAction
from caseaudit.conftest import Authority, user_for
from caseaudit.core.models import AuditEvent, OutboxMessage

pytestmark = pytest.mark.django_db


def test_the_owner_works_it_to_done_and_the_signer_signs_it_off(authority: Authority) -> None:
    action = first_action(audit_with_actions(authority))
    pma, gma = user_for(authority, "practice_manager"), user_for(authority, "group_manager_a")
    assert action.owner.staff_id == "PMA" and action_signer(action).staff_id == "GMA"

    action_progress(actor=pma, action=action, note="Chronology half done.")
    action_done(actor=pma, action=action, note="Chronology brought up to date.")
    action.refresh_from_db()
    assert action.status == AuditAction.Status.DONE and action.status_at is not None
    assert OutboxMessage.objects.filter(
        related_type="action", to=[authority.people["group_manager_a"].email]
    ).exists()

    action_sign_off(actor=gma, action=action, note="Checked on the file.")
    action.refresh_from_db()
    assert action.status == AuditAction.Status.SIGNED_OFF
    kinds = list(
        ActionEvent.objects.filter(action=action).values_list("kind", "from_status", "to_status", "by")
    )
    assert kinds == [
        ("progress", "open", "open", pma.pk),
        ("done", "open", "done", pma.pk),
        ("signed_off", "done", "signed_off", gma.pk),
    ]
    assert AuditEvent.objects.filter(object_type="action", object_ref=str(action.pk)).count() == 3
    body = OutboxMessage.objects.filter(related_type="action").latest("pk").body
    assert authority.cases["own_team"].child.name not in body


def test_sent_back_it_is_open_again(authority: Authority) -> None:
    action = first_action(audit_with_actions(authority))
    pma, gma = user_for(authority, "practice_manager"), user_for(authority, "group_manager_a")
    action_done(actor=pma, action=action, note="Done.")
    action_send_back(actor=gma, action=action, note="The chronology still stops in June.")
    action.refresh_from_db()
    assert action.status == AuditAction.Status.OPEN
    with pytest.raises(ActionRefused) as refused:
        action_sign_off(actor=gma, action=action, note="OK")
    assert refused.value.problems[0].code == "wrong_status"


@pytest.mark.parametrize(
    ("call", "field"),
    [(action_progress, "note"), (action_done, "note")],
)
def test_a_step_without_its_note_is_refused_and_saves_nothing(
    authority: Authority, call: object, field: str
) -> None:
    action = first_action(audit_with_actions(authority))
    with pytest.raises(ActionRefused) as refused:
        call(actor=user_for(authority, "practice_manager"), action=action, note="  ")  # type: ignore[operator]
    assert refused.value.problems[0].field == field
    assert not ActionEvent.objects.exists()
    action.refresh_from_db()
    assert action.status == "open"


def test_done_twice_is_refused_not_forbidden(authority: Authority) -> None:
    action = first_action(audit_with_actions(authority))
    pma = user_for(authority, "practice_manager")
    action_done(actor=pma, action=action, note="Done.")
    stale = first_action(action.audit)
    stale.status = AuditAction.Status.OPEN  # another tab still shows it open
    with pytest.raises(ActionRefused):
        action_done(actor=pma, action=stale, note="Done again.")
    assert ActionEvent.objects.filter(kind="done").count() == 1


@pytest.mark.parametrize("who", ["social_worker", "group_manager_a", "qa_officer", "group_manager"])
def test_only_the_owner_marks_it_done(authority: Authority, who: str) -> None:
    action = first_action(audit_with_actions(authority))
    with pytest.raises(PermissionDenied):
        action_done(actor=user_for(authority, who), action=action, note="Done.")


def test_the_owner_cannot_sign_off_their_own_action(authority: Authority) -> None:
    action = first_action(audit_with_actions(authority))
    pma = user_for(authority, "practice_manager")
    action_done(actor=pma, action=action, note="Done.")
    with pytest.raises(PermissionDenied):
        action_sign_off(actor=pma, action=action, note="Fine.")


def test_an_action_owned_by_the_worker_is_signed_off_by_their_practice_manager(authority: Authority) -> None:
    action = first_action(audit_with_actions(authority, owner_id="SWA"))
    assert action_signer(action).staff_id == "PMA"
    action_done(actor=user_for(authority, "social_worker"), action=action, note="Visited the school.")
    action_sign_off(actor=user_for(authority, "practice_manager"), action=action, note="Seen.")


def test_qa_cancels_with_a_reason(authority: Authority) -> None:
    action = first_action(audit_with_actions(authority))
    qa = user_for(authority, "qa_officer")
    with pytest.raises(ActionRefused) as refused:
        action_cancel(actor=qa, action=action, reason="")
    assert refused.value.problems[0].field == "reason"
    action_cancel(actor=qa, action=action, reason="The case closed: the child moved to another authority.")
    action.refresh_from_db()
    assert action.status == AuditAction.Status.CANCELLED
    with pytest.raises(ActionRefused):
        action_progress(actor=user_for(authority, "practice_manager"), action=action, note="More.")


def test_a_draft_audits_actions_are_not_worked(authority: Authority) -> None:
    action = first_action(audit_with_actions(authority, submit=False))
    with pytest.raises(PermissionDenied):
        action_progress(actor=user_for(authority, "practice_manager"), action=action, note="Early.")
