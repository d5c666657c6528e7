"""Working an action to done (ACT-1, CONTRACTS §10): its owner adds progress and marks it done;
its signer signs it off or sends it back; QA or the signer cancels it with a reason. Each write is
one transaction under the action's row lock, with its ActionEvent row (append-only), its
audit-history row and its mail through the outbox; a refusal saves nothing.

Permission is the rules' (`actions.*`, rules.py): PermissionDenied when the person may not; a
status that no longer allows it (someone else acted first) is ActionRefused (422)."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from caseaudit.actions.mail import action_status_mail_enqueue
from caseaudit.actions.models import ActionEvent
from caseaudit.actions.rules import action_signer
from caseaudit.audits.models import AuditAction
from caseaudit.core.problems import Problem, Refused
from caseaudit.core.services import audit_event_record, user_or_none

MAX_NOTE = 5000
Status = AuditAction.Status
Kind = ActionEvent.Kind


class ActionRefused(Refused):
    """Refused by a rule of actions: nothing was saved."""


def _note(note: str, *, field: str = "note", what: str = "a note") -> str:
    text = (note or "").strip()
    if not text:
        raise ActionRefused([Problem("action", field, f"Enter {what}")])
    if len(text) > MAX_NOTE:
        raise ActionRefused([Problem("action", field, f"The {field} must be {MAX_NOTE} characters or fewer")])
    return text


def _lock(action: AuditAction) -> AuditAction:
    """Re-read the action's status under its row lock, so two people acting wait for each other."""
    action.refresh_from_db(
        fields=["status", "status_at"], from_queryset=AuditAction.objects.select_for_update()
    )
    return action


def _name(actor: Any) -> str:
    staff = getattr(actor, "staff", None)
    return staff.name if staff is not None else (actor.get_full_name() or actor.get_username())


def _write(
    *,
    actor: Any,
    action: AuditAction,
    perm: str,
    kind: str,
    note: str,
    to_status: str | None,
    allowed_from: tuple[str, ...],
    doing: str,
    tell: list[Any],
    happened: str = "",
) -> ActionEvent:
    if not actor.has_perm(perm, action):
        raise PermissionDenied(f"You may not {doing}.")
    with transaction.atomic():
        _lock(action)
        if action.status not in allowed_from:
            raise ActionRefused(
                [
                    Problem(
                        "action",
                        "status",
                        f"You cannot {doing}: the action is {action.get_status_display().lower()}.",
                        "wrong_status",
                    )
                ]
            )
        now = timezone.now()
        from_status = action.status
        if to_status is not None and to_status != from_status:
            action.status, action.status_at = to_status, now
            if to_status == Status.DONE:
                action.done_at = now
            elif to_status == Status.OPEN:  # sent back: not done after all
                action.done_at = None
            action.save(update_fields=["status", "status_at", "done_at"])
        event = ActionEvent.objects.create(
            action=action,
            kind=kind,
            from_status=from_status,
            to_status=action.status,
            note=note,
            by=user_or_none(actor),
            at=now,
        )
        audit_event_record(
            actor=actor,
            action=f"action.{kind}",
            object_type="action",
            object_ref=str(action.pk),
            summary=f"Action {action.pk} of audit {action.audit_id}: {ActionEvent.Kind(kind).label.lower()}",
            changes={"status": [from_status, action.status]} if from_status != action.status else {},
        )
        if happened:
            action_status_mail_enqueue(action=action, people=tell, happened=happened, by=_name(actor))
    return event


def action_progress(*, actor: Any, action: AuditAction, note: str) -> ActionEvent:
    """The owner notes progress (append-only)."""
    text = _note(note, what="what has been done so far")
    return _write(
        actor=actor,
        action=action,
        perm="actions.work_action",
        kind=Kind.PROGRESS,
        note=text,
        to_status=None,
        allowed_from=(Status.OPEN, Status.DONE),
        doing="add progress to this action",
        tell=[],
    )


def action_done(*, actor: Any, action: AuditAction, note: str) -> ActionEvent:
    """The owner marks it done, saying what was done; the signer is told."""
    text = _note(note, what="what was done")
    return _write(
        actor=actor,
        action=action,
        perm="actions.work_action",
        kind=Kind.DONE,
        note=text,
        to_status=Status.DONE,
        allowed_from=(Status.OPEN,),
        doing="mark this action as done",
        tell=[action_signer(action)],
        happened="done",
    )


def action_sign_off(*, actor: Any, action: AuditAction, note: str) -> ActionEvent:
    """The signer signs it off; the owner is told."""
    text = _note(note, what="a note for the sign-off")
    return _write(
        actor=actor,
        action=action,
        perm="actions.sign_off_action",
        kind=Kind.SIGNED_OFF,
        note=text,
        to_status=Status.SIGNED_OFF,
        allowed_from=(Status.DONE,),
        doing="sign off this action",
        tell=[action.owner],
        happened="signed off",
    )


def action_send_back(*, actor: Any, action: AuditAction, note: str) -> ActionEvent:
    """The signer sends it back to its owner, open again, saying what is missing."""
    text = _note(note, what="what is still to do")
    return _write(
        actor=actor,
        action=action,
        perm="actions.sign_off_action",
        kind=Kind.SENT_BACK,
        note=text,
        to_status=Status.OPEN,
        allowed_from=(Status.DONE,),
        doing="send this action back",
        tell=[action.owner],
        happened="sent back",
    )


def action_cancel(*, actor: Any, action: AuditAction, reason: str) -> ActionEvent:
    """QA or the signer cancels it, with the reason (an action is never deleted after submission)."""
    text = _note(reason, field="reason", what="the reason for cancelling it")
    return _write(
        actor=actor,
        action=action,
        perm="actions.cancel_action",
        kind=Kind.CANCELLED,
        note=text,
        to_status=Status.CANCELLED,
        allowed_from=(Status.OPEN, Status.DONE),
        doing="cancel this action",
        tell=[action.owner],
        happened="cancelled",
    )
