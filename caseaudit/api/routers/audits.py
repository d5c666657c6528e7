"""Audits over the API (INT-3): the same services, rules and permissions as the web form.

An audit the caller may not see is 404, exactly as one that does not exist, and the denial is
logged; one they may see but not change is 403; a change refused by a rule is 422 with every
problem (`ref`, `field`, `message`); a stale `version` is 409 and nothing is saved. Every view
of an audit is logged (SEC-2)."""

from typing import Any

from django.http import FileResponse, HttpRequest
from ninja import Path, Query, Router, Status
from pydantic import ValidationError as PydanticValidationError

from caseaudit.accounts.selectors import user_staff
from caseaudit.api.pagination import PageParams, page_of
from caseaudit.api.problems import ApiProblem, Problem, refused_problem
from caseaudit.api.schemas_audits import (
    AuditCreateIn,
    AuditOut,
    AuditPage,
    AuditPatchIn,
    AuditSubmitIn,
    ComplianceGapAddressIn,
    ComplianceGapIn,
    ComplianceGapOut,
    StaleProblem,
    audit_out,
    audit_summary_out,
    gap_out,
)
from caseaudit.audits.documents import audit_document_open
from caseaudit.audits.errors import AuditRefused
from caseaudit.audits.machines import EDITABLE
from caseaudit.audits.models import Audit
from caseaudit.audits.rules import is_auditor
from caseaudit.audits.selectors import (
    audit_document_get,
    audit_get,
    audit_list,
    audit_state,
    compliance_gap_get,
)
from caseaudit.audits.services import audit_save, audit_start, audit_submit
from caseaudit.audits.services_gaps import compliance_gap_address, compliance_gap_flag
from caseaudit.cases.selectors import Access, case_get
from caseaudit.core.services import access_log_record
from caseaudit.org.selectors import staff_list
from caseaudit.questionnaires.clients import request_client
from caseaudit.questionnaires.errors import StaleVersion, VersionRequired

router = Router(tags=["audits"])

NOT_VISIBLE = "No audit with that ID, or you do not have access to it."
READ = {401: Problem, 404: Problem}
WRITE = {400: Problem, 401: Problem, 403: Problem, 404: Problem, 422: Problem}


# --- access -----------------------------------------------------------------------------------


def _log(request: HttpRequest, ref: Any, *, allowed: bool, action: str = "view") -> None:
    access_log_record(
        actor=request.user,
        object_type="audit",
        object_ref=str(ref),
        allowed=allowed,
        action=action,
        request=request,
        via="api",
    )


def _visible_audit(request: HttpRequest, audit_id: int) -> Audit:
    audit = audit_get(user=request.user, audit_id=audit_id)
    if audit is None:
        _log(request, audit_id, allowed=False)
        raise ApiProblem(404, NOT_VISIBLE)
    return audit


def _require(request: HttpRequest, audit: Audit, permission: str, doing: str) -> None:
    """403 for someone who may see the audit but not do this; 422 for its auditor once Stage 1 is
    submitted (read-only, not forbidden)."""
    if request.user.has_perm(permission, audit):
        return
    if audit.status not in EDITABLE and is_auditor(request.user, audit):
        raise ApiProblem(422, "The audit has been submitted and is read-only.", errors=[_read_only(audit)])
    raise ApiProblem(403, f"You do not have permission to {doing}.")


def _read_only(audit: Audit) -> dict[str, str]:
    return {
        "ref": "audit",
        "field": "status",
        "message": "This audit has been submitted and can no longer be changed",
    }


def _submit_version(request: HttpRequest) -> int | None:
    """The optional body of a submit: nothing (or no JSON), or {"version": n}."""
    if request.content_type != "application/json" or not request.body.strip():
        return None
    try:
        return AuditSubmitIn.model_validate_json(request.body).version
    except PydanticValidationError as exc:
        raise ApiProblem(
            400,
            'The body must be empty or {"version": n}.',
            errors=[{"ref": "body", "field": "version", "message": "must be a whole number"}],
        ) from exc


def _stale(exc: StaleVersion) -> ApiProblem:
    if isinstance(exc, VersionRequired):
        return ApiProblem(
            409,
            "Another client saved this audit since you may have loaded it, and you sent no `version`. "
            "Nothing was saved: load it again, then send your change with the `version` you loaded.",
            errors=[
                {
                    "ref": "audit",
                    "field": "version",
                    "message": "Send the version you loaded: another client has saved this audit",
                }
            ],
            extra={"current_version": exc.current_version, "changed": exc.changed},
        )
    return ApiProblem(
        409,
        f"The audit has changed since you loaded it (it is now version {exc.current_version}). "
        "Nothing was saved: load it again, then make your change.",
        extra={"current_version": exc.current_version, "changed": exc.changed},
    )


# --- endpoints --------------------------------------------------------------------------------


@router.get(
    "/audits",
    response={200: AuditPage, 400: Problem, 401: Problem},
    summary="List audits",
    operation_id="audits_list",
)
def audits_list(request: HttpRequest, paging: Query[PageParams], case_id: str = "") -> dict[str, Any]:
    """The audits the caller may see, newest first; `?case_id=` for one case's audits."""
    audits = audit_list(user=request.user)
    if case_id:
        audits = audits.filter(case__case_id=case_id)
    return page_of(audits, params=paging, present=audit_summary_out)


@router.post(
    "/audits",
    response={201: AuditOut, **WRITE},
    by_alias=True,
    summary="Start an audit",
    operation_id="audits_create",
)
def audits_create(request: HttpRequest, payload: AuditCreateIn) -> Status:
    """Start an audit of a case on the current version of its template (AUD-1): group managers and
    QA, for cases they may see in full (`audits.start_audit`). QA may name another auditor."""
    case, access = case_get(user=request.user, case_id=payload.case_id)
    if case is None or access is Access.NONE:
        access_log_record(
            actor=request.user,
            object_type="case",
            object_ref=payload.case_id,
            allowed=False,
            request=request,
            via="api",
        )
        raise ApiProblem(404, "No case with that ID, or you do not have access to it.")
    if not request.user.has_perm("audits.start_audit", case):
        raise ApiProblem(403, "You do not have permission to start an audit of this case.")
    auditor = None
    if payload.auditor_id:
        auditor = staff_list().filter(staff_id=payload.auditor_id, is_active=True).first()
        if auditor is None:
            raise ApiProblem(
                422,
                "The audit was not started.",
                errors=[
                    {"ref": "audit", "field": "auditor_id", "message": f"No staff ID {payload.auditor_id!r}"}
                ],
            )
        if auditor != user_staff(request.user) and not request.user.has_perm("audits.assign_auditor"):
            raise ApiProblem(403, "You do not have permission to start an audit for another auditor.")
    try:
        audit = audit_start(
            actor=request.user,
            case=case,
            template_ref=payload.template_ref,
            template_version=payload.template_version,
            audit_type=payload.audit_type,
            audit_date=payload.audit_date,
            window_months=payload.window_months,
            type_details=payload.type_details,
            auditor=auditor,
        )
    except AuditRefused as exc:
        raise refused_problem(exc, "The audit was not started.") from exc
    return Status(201, audit_out(audit_state(audit=_visible_audit(request, audit.pk))))


@router.get(
    "/audits/{audit_id}",
    response={200: AuditOut, **READ},
    summary="Get an audit",
    operation_id="audits_get",
    by_alias=True,
)
def audits_get(request: HttpRequest, audit_id: Path[int]) -> dict[str, Any]:
    """The audit with its answers, grades, proposed overall grade, actions, compliance gaps,
    status history and documents. Every view is logged (SEC-2)."""
    audit = _visible_audit(request, audit_id)
    _log(request, audit.pk, allowed=True)
    return audit_out(audit_state(audit=audit))


@router.patch(
    "/audits/{audit_id}",
    response={200: AuditOut, **WRITE, 409: StaleProblem},
    by_alias=True,
    summary="Save an audit",
    operation_id="audits_update",
)
def audits_update(request: HttpRequest, audit_id: Path[int], payload: AuditPatchIn) -> dict[str, Any]:
    """Save part or all of the audit (CONTRACTS §5); what is not sent is kept, `actions` when sent
    replaces the list. All or nothing: 422 lists every problem (a grade of Good or better with an
    unmet limiting judgement names the judgement) and nothing is saved. The answer carries the new
    `version`.

    The web form saves what is valid and refuses only the rest (AUD-2: a person's typing is never
    lost); the API does not, on purpose. A client still holds the change it sent, so nothing is
    lost by refusing it whole; CONTRACTS §4 makes 422 "refused by a rule", not "partly done"; and a
    partial save would raise the version under the client, so its corrected retry with the version
    it loaded would be refused as stale (409). One request, one outcome.

    **Concurrent edits.** Send the `version` you loaded: if the audit has moved on, 409 with what
    changed, and nothing is saved. `version` may be left out only while you (this API token, or
    this browser session) are the one editing: once another client has saved the audit, a PATCH
    without `version` is refused with 409 naming `version`, as it would overwrite a save you may
    not have seen."""
    audit = _visible_audit(request, audit_id)
    _require(request, audit, "audits.edit_audit", "change this audit")
    try:
        audit = audit_save(
            actor=request.user,
            audit=audit,
            client=request_client(request),
            **payload.model_dump(exclude_unset=True),
        )
    except StaleVersion as exc:
        raise _stale(exc) from exc
    except AuditRefused as exc:
        raise refused_problem(exc, "Nothing was saved: see `errors`.") from exc
    _log(request, audit.pk, allowed=True, action="edit")
    return audit_out(audit_state(audit=audit))


@router.post(
    "/audits/{audit_id}/submit",
    response={200: AuditOut, **WRITE, 409: StaleProblem},
    by_alias=True,
    summary="Submit Stage 1",
    operation_id="audits_submit",
    openapi_extra={
        "requestBody": {
            "required": False,
            "content": {"application/json": {"schema": AuditSubmitIn.model_json_schema()}},
        }
    },
)
def audits_submit(request: HttpRequest, audit_id: Path[int]) -> dict[str, Any]:
    """Submit Stage 1: 422 listing everything still missing; else the audit becomes read-only and
    its PDF is stored against the child's file (REC-1). The body, `{"version": n}`, is optional."""
    audit = _visible_audit(request, audit_id)
    _require(request, audit, "audits.submit_audit", "submit this audit")
    try:
        audit = audit_submit(actor=request.user, audit=audit, version=_submit_version(request))
    except StaleVersion as exc:
        raise _stale(exc) from exc
    except AuditRefused as exc:
        raise refused_problem(exc, "The audit cannot be submitted yet: see `errors`.") from exc
    _log(request, audit.pk, allowed=True, action="submit")
    return audit_out(audit_state(audit=audit))


@router.post(
    "/audits/{audit_id}/compliance-gaps",
    response={201: ComplianceGapOut, **WRITE},
    summary="Flag a compliance gap",
    operation_id="audits_compliance_gaps_create",
)
def compliance_gaps_create(request: HttpRequest, audit_id: Path[int], payload: ComplianceGapIn) -> Status:
    """The auditor flags a gap (supervision, case notes, chronology, visits) for the worker to
    address before the audit is final (AUD-3)."""
    audit = _visible_audit(request, audit_id)
    _require(request, audit, "audits.flag_compliance_gap", "flag compliance gaps on this audit")
    try:
        gap = compliance_gap_flag(actor=request.user, audit=audit, kind=payload.kind, note=payload.note)
    except AuditRefused as exc:
        raise refused_problem(exc, "The gap was not flagged: see `errors`.") from exc
    return Status(201, gap_out(gap))


@router.post(
    "/audits/{audit_id}/compliance-gaps/{gap_id}/address",
    response={200: ComplianceGapOut, **WRITE},
    summary="Record a compliance gap as addressed",
    operation_id="audits_compliance_gaps_address",
)
def compliance_gaps_address(
    request: HttpRequest, audit_id: Path[int], gap_id: Path[int], payload: ComplianceGapAddressIn
) -> dict[str, Any]:
    """The worker, or their practice manager, records how the gap was addressed (AUD-3)."""
    audit = _visible_audit(request, audit_id)
    gap = compliance_gap_get(user=request.user, audit=audit, gap_id=gap_id)
    if gap is None:
        raise ApiProblem(404, "This audit has no compliance gap with that ID.")
    if not request.user.has_perm("audits.address_compliance_gap", gap):
        raise ApiProblem(403, "You do not have permission to address this compliance gap.")
    try:
        gap = compliance_gap_address(actor=request.user, gap=gap, note=payload.note)
    except AuditRefused as exc:
        raise refused_problem(exc, "The gap was not recorded as addressed: see `errors`.") from exc
    return gap_out(gap)


@router.get(
    "/audits/{audit_id}/documents/{document_id}",
    response={200: None, **READ, 503: Problem},
    summary="Download an audit's document (PDF)",
    operation_id="audits_document_get",
    url_name="audits_document_get",
)
def audits_document_get(request: HttpRequest, audit_id: Path[int], document_id: Path[int]) -> Any:
    """The rendered PDF of the audit (REC-1), for those who may see the audit; every download is
    logged. 503 when the stored file cannot be read: the operator is alerted, try again later
    (not 404, which would say the document does not exist; see `audits.views.pages`)."""
    audit = _visible_audit(request, audit_id)
    document = audit_document_get(user=request.user, audit=audit, document_id=document_id)
    if document is None or not request.user.has_perm("audits.download_document", audit):
        _log(request, audit.pk, allowed=False, action="download")
        raise ApiProblem(404, "This audit has no document with that ID.")
    _log(request, audit.pk, allowed=True, action="download")
    file = audit_document_open(document=document)
    if file is None:
        raise ApiProblem(
            503,
            "The document is not available at the moment: its file cannot be read. The operator has "
            "been alerted; try again later.",
            errors=[{"ref": f"documents[{document.pk}]", "field": "file", "message": "is not in storage"}],
        )
    filename = f"audit-{audit.pk}-{document.stage}.pdf"
    return FileResponse(file, content_type="application/pdf", as_attachment=True, filename=filename)
