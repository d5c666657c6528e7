"""The supervision agenda over the API (ACT-4, CONTRACTS §10), so the case-management system's own
supervision workflow can be filled from it: for the worker's next supervision, each audit of their
cases since the last recorded supervision and every action not yet signed off, as the caller may
see them. Someone the caller may not read the agenda of is 404 (denial logged); every read is
logged."""

from typing import Any

from django.http import HttpRequest
from ninja import Field, Path, Router, Schema

from caseaudit.actions.supervision import agenda_json, staff_for_supervision, supervision_agenda
from caseaudit.api.problems import Problem, not_visible
from caseaudit.core.services import access_log_record

router = Router(tags=["supervision"])


class AgendaAuditOut(Schema):
    audit_id: int
    case_id: str
    audit_type: str
    audit_date: str | None = Field(description="YYYY-MM-DD")
    status: str
    grade: str = Field(description="The effective overall grade's token.")


class AgendaActionOut(Schema):
    id: int
    audit_id: int
    case_id: str
    what: str
    owner_id: str | None
    due_date: str = Field(description="YYYY-MM-DD")
    status: str = Field(description="open or done (done: waiting for sign-off).")


class AgendaOut(Schema):
    staff_id: str
    since: str | None = Field(description="The last recorded supervision's date; null when none.")
    audits: list[AgendaAuditOut]
    actions: list[AgendaActionOut]


@router.get(
    "/staff/{staff_id}/supervision-agenda",
    response={200: AgendaOut, 401: Problem, 404: Problem},
    summary="The agenda of a worker's next supervision",
)
def supervision_agenda_get(request: HttpRequest, staff_id: str = Path(...)) -> Any:
    """For the worker's line manager, the worker, anyone above them and QA."""
    worker = staff_for_supervision(user=request.user, staff_id=staff_id)
    if worker is None:
        raise not_visible(
            request,
            object_type="supervision_agenda",
            object_ref=staff_id,
            detail="No member of staff with that ID, or you may not read their supervision agenda.",
        )
    access_log_record(
        actor=request.user,
        object_type="supervision_agenda",
        object_ref=worker.staff_id,
        allowed=True,
        request=request,
    )
    return agenda_json(supervision_agenda(user=request.user, worker=worker))
