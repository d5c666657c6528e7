"""A subject access export (REC-2, CONTRACTS §11): for a child, everything caseaudit holds about
them — every audit of their cases at every stage (answers and comments, grades by stage, actions
with their history, compliance gaps, the worker's feedback, the head of QA's decision, Stage 2
moderation, the panel's decision, family feedback, escalations, the story board) and the stored
PDFs — as one .zip: `child.json`, one `audits/audit-<id>.json` per audit, the PDFs under
`documents/`, and `manifest.json` with each file's SHA-256.

For the head of QA and the information governance role (rules: reports.subject_access); a
restricted child's records are included — a subject access request is about everything — and
every export is logged (who, when, which child) by the caller."""

import datetime
import hashlib
import io
import json
import zipfile
from typing import Any

from django.utils import timezone

from caseaudit.actions.models import ActionEvent, Escalation, StoryBoard
from caseaudit.audits.models import Audit, AuditDocument, FamilyRespondent
from caseaudit.audits.presenters.audit import audit_view
from caseaudit.audits.selectors import audit_state, audit_template_sections
from caseaudit.cases.models import Case, Child
from caseaudit.moderation.models import HeadOfQaDecision, Moderation, PanelAudit, WorkerFeedback
from caseaudit.questionnaires.models import ResponseAnswer
from caseaudit.templates_library.selectors import audit_type_get


def _date(value: datetime.date | datetime.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _name(user: Any) -> str | None:
    if user is None:
        return None
    staff = getattr(user, "staff", None)
    return staff.name if staff is not None else user.get_username()


def subject_child(*, child_id: str) -> Child | None:
    return Child.objects.filter(child_id=child_id).first()


def _answers(response_id: int | None) -> dict[str, Any]:
    if response_id is None:
        return {}
    return {
        answer.question_ref: {"value": answer.value, **({"reason": answer.reason} if answer.reason else {})}
        for answer in ResponseAnswer.objects.filter(response_id=response_id).order_by("question_ref")
    }


def audit_record(audit: Audit) -> dict[str, Any]:
    """Everything about one audit, in words a reader of the export can follow."""
    state = audit_state(audit=audit)
    view = audit_view(
        state=state,
        sections=list(audit_template_sections(audit=audit)),
        audit_type=audit_type_get(token=audit.audit_type),
    )
    record: dict[str, Any] = {
        "audit_id": audit.pk,
        "case_id": audit.case.case_id,
        "audit_type": audit.audit_type,
        "template": f"{view.summary.template_title} ({view.summary.template_version})",
        "status": audit.status,
        "audit_date": _date(audit.audit_date),
        "auditor": audit.auditor.name,
        "worker": audit.worker.name if audit.worker else None,
        "practice_manager": audit.practice_manager.name if audit.practice_manager else None,
        "type_details": audit.type_details,
        "submitted_at": _date(audit.submitted_at),
        "final_at": _date(audit.final_at),
        "safeguarding_concerns": audit.safeguarding_concerns,
        "stage1_grades": audit.stage1_grades,
        "moderated_grades": audit.moderated_grades,
        "effective_grades": audit.effective_grades,
        "limiting_judgements": audit.judgements,
        "sections": [
            {
                "ref": section.ref,
                "title": section.title,
                "grade": section.grade_label or None,
                "comments": section.comments,
                "questions": [
                    {
                        "ref": q.ref,
                        "question": q.text,
                        "answer": q.answer,
                        **({"reason": q.reason} if q.reason else {}),
                    }
                    for q in section.questions
                ],
            }
            for section in view.sections
        ],
        "actions": [
            {
                "id": action.pk,
                "what": action.what,
                "owner": action.owner.name if action.owner else None,
                "due_date": _date(action.due_date),
                "impact": action.impact,
                "due_reason": action.due_reason,
                "status": action.status,
                "history": [
                    {
                        "at": _date(e.at),
                        "kind": e.kind,
                        "from": e.from_status,
                        "to": e.to_status,
                        "note": e.note,
                        "by": _name(e.by),
                    }
                    for e in ActionEvent.objects.filter(action=action)
                    .select_related("by__staff")
                    .order_by("at", "pk")
                ],
            }
            for action in state.actions
        ],
        "compliance_gaps": [
            {
                "kind": gap.kind,
                "note": gap.note,
                "flagged_at": _date(gap.flagged_at),
                "addressed_at": _date(gap.addressed_at),
                "addressed_note": gap.addressed_note,
            }
            for gap in state.compliance_gaps
        ],
        "status_history": [
            {
                "at": _date(c.at),
                "from": c.from_status,
                "to": c.to_status,
                "event": c.event,
                "by": _name(c.by),
                "note": c.note,
            }
            for c in state.status_history
        ],
        "grade_changes": [
            {
                "stage": c.stage,
                "ref": c.ref,
                "from": c.from_grade,
                "to": c.to_grade,
                "reason": c.reason,
                "at": _date(c.at),
            }
            for c in audit.grade_changes.order_by("at", "pk")
        ],
    }
    feedback = WorkerFeedback.objects.filter(audit=audit).first()
    record["worker_feedback"] = (
        {
            "agreement": feedback.agreement,
            "on_process": feedback.on_process,
            "on_findings": feedback.on_findings,
            "on_plan": feedback.on_plan,
            "given_at": _date(feedback.given_at),
        }
        if feedback
        else None
    )
    decision = HeadOfQaDecision.objects.filter(audit=audit).first()
    record["head_of_qa_decision"] = (
        {
            "decision": decision.decision,
            "reason": decision.reason,
            "plan_change": decision.plan_change,
            "decided_at": _date(decision.decided_at),
        }
        if decision
        else None
    )
    moderation = Moderation.objects.filter(audit=audit).select_related("moderator").first()
    record["moderation"] = (
        {
            "moderator": moderation.moderator.name if moderation.moderator else None,
            "due_date": _date(moderation.due_date),
            "completed_at": _date(moderation.completed_at),
            "answers": _answers(moderation.response_id),
        }
        if moderation
        else None
    )
    panel = PanelAudit.objects.filter(audit=audit).first()
    record["panel"] = (
        {"decision": panel.decision, "reason": panel.reason, "decided_at": _date(panel.decided_at)}
        if panel
        else None
    )
    record["family_feedback"] = [
        {
            "who": respondent.who,
            "consent": respondent.consent,
            "consent_date": _date(respondent.consent_date),
            "reason": respondent.reason,
            "answers": _answers(respondent.response_id),
        }
        for respondent in FamilyRespondent.objects.filter(audit=audit).order_by("order", "pk")
    ]
    record["escalations"] = [
        {
            "status": e.status,
            "opened_at": _date(e.opened_at),
            "due_date": _date(e.due_date),
            "outcome_code": e.outcome_code,
            "outcome": e.outcome,
            "closed_at": _date(e.closed_at),
        }
        for e in Escalation.objects.filter(audit=audit).order_by("opened_at", "pk")
    ]
    board = StoryBoard.objects.filter(audit=audit).first()
    record["story_board"] = (
        {
            "status": board.status,
            "title": board.title,
            "what_we_did": board.what_we_did,
            "what_changed": board.what_changed,
            "what_others_can_learn": board.what_others_can_learn,
            "published_at": _date(board.published_at),
        }
        if board
        else None
    )
    return record


def subject_access_zip(*, child: Child, requested_by: str) -> tuple[bytes, dict[str, Any]]:
    """(the .zip, its manifest) of everything about `child`."""
    cases = list(
        Case.objects.filter(child=child).select_related("team", "allocated_worker").order_by("case_id")
    )
    audits = list(
        Audit.objects.filter(case__child=child)
        .select_related(
            "case__child", "case__team", "auditor", "worker", "practice_manager", "response__template_version"
        )
        .order_by("audit_date", "pk")
    )
    files: dict[str, bytes] = {}
    files["child.json"] = _json(
        {
            "child_id": child.child_id,
            "name": child.name,
            "date_of_birth": _date(child.date_of_birth),
            "gender": child.gender,
            "ethnicity": child.ethnicity,
            "disability": child.disability,
            "restricted": child.restricted,
            "cases": [
                {
                    "case_id": case.case_id,
                    "case_type": case.case_type,
                    "status": case.status,
                    "team": case.team.name,
                    "allocated_worker": case.allocated_worker.name if case.allocated_worker else None,
                    "start_date": _date(case.start_date),
                    "restricted": case.restricted,
                }
                for case in cases
            ],
            "audits": [audit.pk for audit in audits],
        }
    )
    for audit in audits:
        files[f"audits/audit-{audit.pk}.json"] = _json(audit_record(audit))
        for document in AuditDocument.objects.filter(audit=audit).order_by("created_at", "pk"):
            try:
                with document.file.open("rb") as stored:
                    body = stored.read()
            except OSError:
                continue  # listed in the manifest as missing: the operator restores it from backup
            files[f"documents/audit-{audit.pk}-{document.stage}-{document.pk}.pdf"] = body
    missing = [
        f"documents/audit-{d.audit_id}-{d.stage}-{d.pk}.pdf"
        for d in AuditDocument.objects.filter(audit__in=audits)
        if f"documents/audit-{d.audit_id}-{d.stage}-{d.pk}.pdf" not in files
    ]
    manifest = {
        "child_id": child.child_id,
        "made_at": timezone.now().isoformat(),
        "requested_by": requested_by,
        "audits": len(audits),
        "files": {name: hashlib.sha256(body).hexdigest() for name, body in sorted(files.items())},
        "documents_missing_from_storage": missing,
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", _json(manifest))
        for name, body in sorted(files.items()):
            archive.writestr(name, body)
    return out.getvalue(), manifest


def _json(value: Any) -> bytes:
    return json.dumps(value, indent=2, ensure_ascii=False, default=str).encode("utf-8")
