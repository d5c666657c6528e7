"""Actions and escalations over the API (ACT-1, ESC-1, CONTRACTS §10), with the same selectors,
rules and services as the pages.

An action (or escalation) the caller may not see is 404, exactly as one that does not exist, and
the denial is logged; one they may see but may not do this to is 403, logged too; a step its
status no longer allows (someone acted first), or one without its note, is 422 with every problem;
a body that is not the right shape is 400. Every view of one action or escalation is logged
(SEC-2)."""

import datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema
from pydantic import ModelWrapValidatorHandler, model_validator

from caseaudit.accounts.selectors import user_staff
from caseaudit.actions.escalation import escalation_close
from caseaudit.actions.models import ActionEvent, Escalation
from caseaudit.actions.rules import action_signer
from caseaudit.actions.selectors import (
    action_events,
    action_get,
    action_list,
    escalation_get,
    escalation_list,
)
from caseaudit.actions.services import (
    ActionRefused,
    action_cancel,
    action_done,
    action_progress,
    action_send_back,
    action_sign_off,
)
from caseaudit.api.pagination import PageParams, page_of
from caseaudit.api.problems import ApiProblem, Problem, not_visible, refused_problem
from caseaudit.audits.models import AuditAction
from caseaudit.core.services import access_log_record

router = Router(tags=["actions"])

ACTION_NOT_VISIBLE = "No action with that ID, or you do not have access to it."
ESCALATION_NOT_VISIBLE = "No escalation with that ID, or you do not have access to it."
LIST = {400: Problem, 401: Problem}
READ = {401: Problem, 404: Problem}
WRITE = {400: Problem, 401: Problem, 403: Problem, 404: Problem, 422: Problem}

ActionStatus = Literal["open", "done", "signed_off", "cancelled"]
EscalationStatus = Literal["open", "closed"]


def _today() -> datetime.date:
    """Today, for `overdue` (one place, so tests can set the day)."""
    return timezone.localdate()


# --- schemas ------------------------------------------------------------------------------------


class ActionListParams(PageParams):
    owner_id: str = Field("", description="Only actions owned by this staff ID.")
    worker_id: str = Field("", description="Only actions of audits of this worker's cases (a staff ID).")
    team_id: str = Field("", description="Only actions of audits of this team's cases.")
    status: ActionStatus | None = Field(None, description="open, done, signed_off or cancelled.")
    overdue: bool = Field(False, description="true: only open actions past their due date.")


class EscalationListParams(PageParams):
    status: EscalationStatus | None = Field(None, description="open or closed.")
    overdue: bool = Field(False, description="true: only open escalations past their deadline.")


class ObjectIn(Schema):
    """A body that must be a JSON object: ninja's Schema reads any value by attribute, so a list
    or a string would pass as an object with every member left out (400 here, not 422)."""

    @model_validator(mode="wrap")
    @classmethod
    def _an_object(cls, data: Any, handler: ModelWrapValidatorHandler[Any]) -> Any:
        if not isinstance(data, dict | cls):
            raise ValueError("The body must be a JSON object")
        return handler(data)


class NoteIn(ObjectIn):
    note: str = Field("", description="Required: what was done, or the note for the sign-off.")


class ReasonIn(ObjectIn):
    reason: str = Field("", description="Required: why the action is cancelled.")


class CloseIn(ObjectIn):
    outcome_code: str = Field(
        "",
        description="Required: " + ", ".join(Escalation.Outcome.values) + ".",
    )
    outcome: str = Field("", description="Required: what was done to keep the child safe.")


class ActionOut(Schema):
    id: int = Field(description="The action's own ID, kept for life (also in the audit's `actions`).")
    audit_id: int
    case_id: str
    what: str
    impact: str = Field(description="The expected impact for the child.")
    owner_id: str | None = Field(description="The owner's staff ID.")
    owner_is_fallback: bool = Field(
        description="The owner is a line manager standing in for the worker's practice manager."
    )
    signer_id: str | None = Field(
        description="Who signs it off (staff ID): the worker's line manager, or the owner's line manager "
        "when the worker's line manager owns it. None when nobody is recorded."
    )
    due_date: datetime.date
    due_reason: str = Field(description="Why it is due more than 4 weeks after the audit date, if it is.")
    status: str = Field(description="open, done, signed_off or cancelled.")
    overdue: bool = Field(description="Open and past its due date.")
    status_at: datetime.datetime | None = Field(description="When the status last changed.")


class ActionPage(Schema):
    items: list[ActionOut]
    count: int


class EventOut(Schema):
    kind: str = Field(description="progress, done, signed_off, sent_back or cancelled.")
    from_: str = Field(alias="from", description="The status before.")
    to: str = Field(description="The status after (the same for a progress note).")
    note: str
    by: str | None = Field(description="Staff ID, or the account name of someone without one.")
    at: datetime.datetime


class ActionDetailOut(ActionOut):
    history: list[EventOut] = Field(description="Every progress note and change of status, oldest first.")


class EscalationOut(Schema):
    id: int
    audit_id: int
    case_id: str
    team_id: str
    worker_id: str | None
    status: str = Field(description="open or closed.")
    stage: str = Field(description="The audit's status when it opened, e.g. submitted.")
    opened_at: datetime.datetime
    due_date: datetime.date = Field(description="The audit date plus the setting's working days.")
    overdue: bool = Field(description="Open and past its deadline.")
    outcome_code: str | None
    outcome: str
    closed_at: datetime.datetime | None
    closed_by: str | None = Field(description="Staff ID, or the account name of someone without one.")


class EscalationPage(Schema):
    items: list[EscalationOut]
    count: int


# --- shaping ------------------------------------------------------------------------------------


def _person(user: Any) -> str | None:
    if user is None:
        return None
    staff = user_staff(user)
    return staff.staff_id if staff is not None else user.get_username()


def _action_out(action: AuditAction, today: datetime.date) -> dict[str, Any]:
    signer = action_signer(action)
    return {
        "id": action.pk,
        "audit_id": action.audit_id,
        "case_id": action.audit.case.case_id,
        "what": action.what,
        "impact": action.impact,
        "owner_id": action.owner.staff_id if action.owner else None,
        "owner_is_fallback": action.owner_is_fallback,
        "signer_id": signer.staff_id if signer else None,
        "due_date": action.due_date,
        "due_reason": action.due_reason,
        "status": action.status,
        "overdue": action.status == AuditAction.Status.OPEN and action.due_date < today,
        "status_at": action.status_at,
    }


def _event_out(event: ActionEvent) -> dict[str, Any]:
    return {
        "kind": event.kind,
        "from": event.from_status,
        "to": event.to_status,
        "note": event.note,
        "by": _person(event.by),
        "at": event.at,
    }


def _action_detail_out(action: AuditAction) -> dict[str, Any]:
    return {
        **_action_out(action, _today()),
        "history": [_event_out(event) for event in action_events(action=action)],
    }


def _escalation_out(escalation: Escalation, today: datetime.date) -> dict[str, Any]:
    audit = escalation.audit
    is_open = escalation.status == Escalation.Status.OPEN
    return {
        "id": escalation.pk,
        "audit_id": audit.pk,
        "case_id": audit.case.case_id,
        "team_id": audit.case.team.team_id,
        "worker_id": audit.worker.staff_id if audit.worker else None,
        "status": escalation.status,
        "stage": escalation.stage,
        "opened_at": escalation.opened_at,
        "due_date": escalation.due_date,
        "overdue": is_open and escalation.due_date < today,
        "outcome_code": escalation.outcome_code or None,
        "outcome": escalation.outcome,
        "closed_at": escalation.closed_at,
        "closed_by": _person(escalation.closed_by),
    }


# --- access -------------------------------------------------------------------------------------


def _log(request: HttpRequest, object_type: str, ref: Any, *, allowed: bool, action: str = "view") -> None:
    access_log_record(
        actor=request.user,
        object_type=object_type,
        object_ref=str(ref),
        allowed=allowed,
        action=action,
        request=request,
        via="api",
    )


def _visible_action(request: HttpRequest, action_id: int) -> AuditAction:
    action = action_get(user=request.user, action_id=action_id)
    if action is None:
        raise not_visible(request, object_type="action", object_ref=action_id, detail=ACTION_NOT_VISIBLE)
    return action


def _visible_escalation(request: HttpRequest, escalation_id: int) -> Escalation:
    escalation = escalation_get(user=request.user, escalation_id=escalation_id)
    if escalation is None:
        raise not_visible(
            request, object_type="escalation", object_ref=escalation_id, detail=ESCALATION_NOT_VISIBLE
        )
    return escalation


def _forbidden(request: HttpRequest, object_type: str, ref: int, doing: str, detail: str) -> ApiProblem:
    _log(request, object_type, ref, allowed=False, action=doing)
    return ApiProblem(403, detail)


# What each step needs (the rules' permission), its service, the body's member, and its words.
STEPS: dict[str, tuple[str, Any, str, str]] = {
    "progress": ("actions.work_action", action_progress, "note", "Only its owner may add progress"),
    "done": ("actions.work_action", action_done, "note", "Only its owner may mark it as done"),
    "sign_off": (
        "actions.sign_off_action",
        action_sign_off,
        "note",
        "Only the worker's line manager (or the owner's, when they own it) may sign it off",
    ),
    "send_back": (
        "actions.sign_off_action",
        action_send_back,
        "note",
        "Only the one who signs it off may send it back",
    ),
    "cancel": ("actions.cancel_action", action_cancel, "reason", "Only QA or its signer may cancel it"),
}


def _step(request: HttpRequest, action_id: int, step: str, text: str) -> dict[str, Any]:
    perm, service, member, who = STEPS[step]
    action = _visible_action(request, action_id)
    if not request.user.has_perm(perm, action):
        raise _forbidden(
            request, "action", action.pk, step, f"You may see this action but may not do this. {who}."
        )
    try:
        service(actor=request.user, action=action, **{member: text})
    except ActionRefused as exc:
        raise refused_problem(exc, "Nothing was saved: see `errors`.") from exc
    return _action_detail_out(_visible_action(request, action.pk))


# --- actions ------------------------------------------------------------------------------------


@router.get(
    "/actions",
    response={200: ActionPage, **LIST},
    summary="List actions",
    operation_id="actions_list",
)
def actions_list(request: HttpRequest, params: Query[ActionListParams]) -> dict[str, Any]:
    """The actions of submitted audits the caller may see (scoped like audits, and their own),
    soonest due first. Filters are staff and team IDs of the register."""
    today = _today()
    rows = action_list(
        user=request.user,
        owner_id=params.owner_id or None,
        worker_id=params.worker_id or None,
        team_id=params.team_id or None,
        status=params.status,
        overdue=params.overdue,
        today=today,
    )
    return page_of(rows, params=params, present=lambda action: _action_out(action, today))


@router.get(
    "/actions/{action_id}",
    response={200: ActionDetailOut, **READ},
    by_alias=True,
    summary="Get an action with its history",
    operation_id="actions_get",
)
def actions_get(request: HttpRequest, action_id: Path[int]) -> dict[str, Any]:
    """The action with `history`: every progress note and change of status (who, when, from, to,
    the note), oldest first. Every view is logged (SEC-2)."""
    action = _visible_action(request, action_id)
    _log(request, "action", action.pk, allowed=True)
    return _action_detail_out(action)


@router.post(
    "/actions/{action_id}/progress",
    response={200: ActionDetailOut, **WRITE},
    by_alias=True,
    summary="Add a progress note",
    operation_id="actions_progress",
)
def actions_progress(request: HttpRequest, action_id: Path[int], payload: NoteIn) -> dict[str, Any]:
    """Its owner, while it is open or done (append-only). Answers the action after."""
    return _step(request, action_id, "progress", payload.note)


@router.post(
    "/actions/{action_id}/done",
    response={200: ActionDetailOut, **WRITE},
    by_alias=True,
    summary="Mark an action as done",
    operation_id="actions_done",
)
def actions_done(request: HttpRequest, action_id: Path[int], payload: NoteIn) -> dict[str, Any]:
    """Its owner, while it is open, saying what was done; its signer is told."""
    return _step(request, action_id, "done", payload.note)


@router.post(
    "/actions/{action_id}/sign-off",
    response={200: ActionDetailOut, **WRITE},
    by_alias=True,
    summary="Sign an action off",
    operation_id="actions_sign_off",
)
def actions_sign_off(request: HttpRequest, action_id: Path[int], payload: NoteIn) -> dict[str, Any]:
    """Its signer (`signer_id`: the worker's line manager, or the owner's line manager when the
    worker's line manager owns it; nobody signs off their own action), once it is done."""
    return _step(request, action_id, "sign_off", payload.note)


@router.post(
    "/actions/{action_id}/send-back",
    response={200: ActionDetailOut, **WRITE},
    by_alias=True,
    summary="Send a done action back to its owner",
    operation_id="actions_send_back",
)
def actions_send_back(request: HttpRequest, action_id: Path[int], payload: NoteIn) -> dict[str, Any]:
    """Its signer, once it is done, saying what is still to do: it is open again."""
    return _step(request, action_id, "send_back", payload.note)


@router.post(
    "/actions/{action_id}/cancel",
    response={200: ActionDetailOut, **WRITE},
    by_alias=True,
    summary="Cancel an action",
    operation_id="actions_cancel",
)
def actions_cancel(request: HttpRequest, action_id: Path[int], payload: ReasonIn) -> dict[str, Any]:
    """QA or its signer, while it is open or done, with the reason. An action of a submitted audit
    is never deleted, only cancelled."""
    return _step(request, action_id, "cancel", payload.reason)


# --- escalations --------------------------------------------------------------------------------


@router.get(
    "/escalations",
    response={200: EscalationPage, **LIST},
    summary="List escalations",
    operation_id="escalations_list",
)
def escalations_list(request: HttpRequest, params: Query[EscalationListParams]) -> dict[str, Any]:
    """The escalations of audits the caller may see: open first, soonest deadline first."""
    today = _today()
    rows = escalation_list(user=request.user, status=params.status, overdue=params.overdue, today=today)
    return page_of(rows, params=params, present=lambda escalation: _escalation_out(escalation, today))


@router.get(
    "/escalations/{escalation_id}",
    response={200: EscalationOut, **READ},
    summary="Get an escalation",
    operation_id="escalations_get",
)
def escalations_get(request: HttpRequest, escalation_id: Path[int]) -> dict[str, Any]:
    """Anyone who may see its audit. Every view is logged (SEC-2)."""
    escalation = _visible_escalation(request, escalation_id)
    _log(request, "escalation", escalation.pk, allowed=True)
    return _escalation_out(escalation, _today())


@router.post(
    "/escalations/{escalation_id}/close",
    response={200: EscalationOut, **WRITE},
    summary="Close an escalation with its outcome",
    operation_id="escalations_close",
)
def escalations_close(request: HttpRequest, escalation_id: Path[int], payload: CloseIn) -> dict[str, Any]:
    """QA, or anyone above the worker in line management (their practice manager, group manager,
    head of service), with an `outcome_code` and the `outcome` in words. 422 without them, or when
    it is already closed."""
    escalation = _visible_escalation(request, escalation_id)
    if not request.user.has_perm("actions.close_escalation", escalation):
        raise _forbidden(
            request,
            "escalation",
            escalation.pk,
            "close",
            "You may see this escalation but may not close it: only QA or the worker's managers may.",
        )
    try:
        escalation_close(
            actor=request.user,
            escalation=escalation,
            outcome_code=payload.outcome_code,
            outcome=payload.outcome,
        )
    except ActionRefused as exc:
        raise refused_problem(exc, "The escalation was not closed: see `errors`.") from exc
    return _escalation_out(_visible_escalation(request, escalation.pk), _today())
