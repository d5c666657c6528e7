"""The family's feedback over the API (FAM-1, FAM-2, CONTRACTS §9), with the same services and
permissions as the pages: who was asked, their consent and, only with consent, their answers to
the five questions of the family feedback template, in their own words.

An audit the caller may not see is 404 (and the denial logged); anyone who may see it may read its
family feedback (each view logged); one they may see but may not record it on (only the auditor
may) is 403, logged too; a rule is 422 with every problem, each naming the person
(`respondents[i]`, from 0) and the field; a body that is not the right shape is 400."""

from typing import Any

from django.http import HttpRequest
from ninja import Field, Path, Router, Schema

from caseaudit.api.problems import Problem, not_visible, refused_problem
from caseaudit.api.routers.feedback import NOT_VISIBLE
from caseaudit.api.routers.feedback import _audit as permitted_audit
from caseaudit.api.schemas_stages import RespondentOut
from caseaudit.audits.errors import AuditRefused
from caseaudit.audits.models import Audit, FamilyRespondent
from caseaudit.audits.selectors import audit_get
from caseaudit.audits.services_family import (
    MAX_RESPONDENTS,
    PERMISSION,
    family_feedback_replace,
    family_respondents,
    respondent_payload,
)
from caseaudit.core.services import access_log_record

router = Router(tags=["family-feedback"])

READ = {401: Problem, 404: Problem}
WRITE = {400: Problem, 401: Problem, 403: Problem, 404: Problem, 422: Problem}


class RespondentIn(Schema):
    who: str | None = Field(None, description="child, parent_carer or other_family.")
    consent: str | None = Field(None, description="yes, no, not_asked or na.")
    consent_date: str | None = Field(
        None, description="The date they gave consent (YYYY-MM-DD): required with yes, only with yes."
    )
    reason: str | None = Field(
        None,
        description="Why they were not asked, or why it is not applicable: required with not_asked or na.",
    )
    answers: dict[str, str | None] = Field(
        default_factory=dict,
        description="{question_ref: text}, in the person's own words; only with consent yes. The refs are "
        "the feedback section's text questions of the current family_feedback template.",
    )


class FamilyFeedbackIn(Schema):
    respondents: list[RespondentIn] = Field(
        description=f"Everyone asked, in order (at most {MAX_RESPONDENTS}); replaces the list stored. "
        "An empty list clears it."
    )


class FamilyFeedbackOut(Schema):
    audit_id: int
    respondents: list[RespondentOut]


def _out(audit: Audit, respondents: list[FamilyRespondent]) -> dict[str, Any]:
    return {"audit_id": audit.pk, "respondents": [respondent_payload(row) for row in respondents]}


def _log(request: HttpRequest, audit: Audit, action: str) -> None:
    access_log_record(
        actor=request.user,
        object_type="audit",
        object_ref=str(audit.pk),
        allowed=True,
        action=action,
        request=request,
        via="api",
    )


@router.get(
    "/audits/{audit_id}/family-feedback",
    response={200: FamilyFeedbackOut, **READ},
    summary="Get the family's feedback on an audit",
    operation_id="audit_family_feedback_get",
)
def family_feedback_get(request: HttpRequest, audit_id: Path[int]) -> dict[str, Any]:
    """Anyone who may see the audit: each person asked, in order, with their consent and, only with
    consent, their answers by question ref. Every view is logged (SEC-2)."""
    audit = audit_get(user=request.user, audit_id=audit_id)
    if audit is None:
        raise not_visible(request, object_type="audit", object_ref=audit_id, detail=NOT_VISIBLE)
    _log(request, audit, "view")
    return _out(audit, family_respondents(audit=audit))


@router.put(
    "/audits/{audit_id}/family-feedback",
    response={200: FamilyFeedbackOut, **WRITE},
    summary="Replace the family's feedback on an audit",
    operation_id="audit_family_feedback_replace",
)
def family_feedback_put(
    request: HttpRequest, audit_id: Path[int], payload: FamilyFeedbackIn
) -> dict[str, Any]:
    """The auditor (`audits.record_family_feedback`), at any stage of the audit. The list sent
    replaces the one stored, as a whole: answers only with consent `yes`, which needs the date of
    consent (today or earlier); `not_asked` and `na` need a reason. Every problem of every person is
    refused at once (422) and nothing is saved. The audit's history records who was asked and
    their consent, and counts of answers: never the family's words."""
    audit = permitted_audit(request, audit_id, PERMISSION, "record_family_feedback")
    respondents = [person.model_dump() for person in payload.respondents]
    try:
        stored = family_feedback_replace(actor=request.user, audit=audit, respondents=respondents)
    except AuditRefused as exc:
        raise refused_problem(exc, "The family feedback was not saved: see `errors`.") from exc
    _log(request, audit, "edit")
    return _out(audit, stored)
