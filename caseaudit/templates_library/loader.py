"""Loading audit_templates/ into the database: safe to re-run, all or nothing (TPL-1, TPL-3).

- A file whose hash is already stored for its ref changes nothing (or, if it is an older
  version coming back, makes that version current again).
- A changed file becomes a new `TemplateFile` and a new `TemplateVersion` with its rows; the
  rows of earlier versions are never touched, only `is_current` moves. Audits keep the
  version they were started on.
- audit_types.yaml updates the audit types in place (they are settings, CONTRACTS §5), but
  only when the file itself changed, so edits made in the administration survive a re-run.
- Every new version and every audit-type change writes an audit-history row, in the same
  transaction as everything else."""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max

from caseaudit.core.services import audit_event_record
from caseaudit.templates_library.documents import AUDIT_TYPES_REF, TemplateDocument, documents_read
from caseaudit.templates_library.models import (
    AuditType,
    GradeDescriptor,
    Question,
    Section,
    TemplateFile,
    TemplateVersion,
)
from caseaudit.templates_library.spec import question_limits


@dataclass(frozen=True)
class FileOutcome:
    ref: str
    filename: str
    outcome: str  # "loaded" (a new version), "reinstated" (an earlier version made current) or "unchanged"
    version: int
    sha256: str

    def __str__(self) -> str:
        says = {
            "loaded": "loaded as version",
            "reinstated": "back to earlier version",
            "unchanged": "unchanged, still version",
        }[self.outcome]
        return f"{self.filename} ({self.ref}): {says} {self.version} (sha256 {self.sha256[:12]})"


@dataclass
class LoadReport:
    files: list[FileOutcome] = field(default_factory=list)
    audit_types: dict[str, str] = field(default_factory=dict)  # token -> created / updated / deactivated

    @property
    def changed(self) -> bool:
        return any(outcome.outcome != "unchanged" for outcome in self.files) or bool(self.audit_types)

    def lines(self) -> list[str]:
        lines = [str(outcome) for outcome in self.files]
        lines += [f"audit type {token}: {change}" for token, change in sorted(self.audit_types.items())]
        if not self.changed:
            lines.append("Nothing new: every template is already loaded.")
        return lines


def templates_directory() -> Path:
    return Path(settings.BASE_DIR) / "audit_templates"


def templates_load(*, directory: Path | None = None, actor: Any = None) -> LoadReport:
    """Check every file of `directory` (default audit_templates/), then store what is new.
    Raises FileNotFoundError or TemplateFilesInvalid, having stored nothing."""
    report = LoadReport()
    with transaction.atomic():
        stored = {
            version.ref: {"kind": version.kind, "grade_scale": version.grade_scale}
            for version in TemplateVersion.objects.filter(is_current=True)
        }
        documents = documents_read(directory or templates_directory(), stored_templates=stored)
        for document in documents:
            if document.is_audit_types:
                continue
            report.files.append(_template_document_store(document, actor=actor))
        for document in documents:
            if document.is_audit_types:
                outcome, changes = _audit_types_store(document, actor=actor)
                report.files.append(outcome)
                report.audit_types.update(changes)
    return report


def _template_document_store(document: TemplateDocument, *, actor: Any) -> FileOutcome:
    ref, data = document.ref, document.data
    current = TemplateVersion.objects.filter(ref=ref, is_current=True).first()
    known = TemplateFile.objects.filter(ref=ref, sha256=document.sha256).first()
    if known is not None:
        version = known.template_version
        if version.is_current:
            return FileOutcome(ref, document.filename, "unchanged", version.version, document.sha256)
        TemplateVersion.objects.filter(ref=ref, is_current=True).update(is_current=False)
        TemplateVersion.objects.filter(pk=version.pk).update(is_current=True)
        audit_event_record(
            actor=actor,
            action="template.reinstated",
            object_type="template_version",
            object_ref=f"{ref}@{version.version}",
            summary=f"{version.title}: version {version.version} is current again ({document.filename})",
            changes={"previous_version": current.version if current else None, "sha256": document.sha256},
        )
        return FileOutcome(ref, document.filename, "reinstated", version.version, document.sha256)

    number = _next_file_version(ref)
    file = TemplateFile.objects.create(
        ref=ref,
        version=number,
        sha256=document.sha256,
        filename=document.filename,
        raw_text=document.raw_text,
    )
    TemplateVersion.objects.filter(ref=ref, is_current=True).update(is_current=False)
    version = _template_version_create(file, data)
    audit_event_record(
        actor=actor,
        action="template.version_loaded",
        object_type="template_version",
        object_ref=f"{ref}@{number}",
        summary=f"{version.title}: version {number} loaded from {document.filename}",
        changes={
            "previous_version": current.version if current else None,
            "version_label": version.version_label,
            "sha256": document.sha256,
        },
    )
    return FileOutcome(ref, document.filename, "loaded", number, document.sha256)


def _next_file_version(ref: str) -> int:
    highest = TemplateFile.objects.filter(ref=ref).aggregate(highest=Max("version"))["highest"]
    return (highest or 0) + 1


def _template_version_create(file: TemplateFile, data: Mapping[str, Any]) -> TemplateVersion:
    control = data["document_control"]
    version = TemplateVersion.objects.create(
        file=file,
        ref=file.ref,
        version=file.version,
        version_label=data["version"],
        kind=data["kind"],
        title=data["title"],
        description=data.get("description", ""),
        document_title=control["title"],
        approved_date=_date(control.get("approved")),
        updated_date=_date(control.get("updated")),
        approving_body=control.get("approving_body") or "",
        next_review_date=_date(control.get("next_review")),
        owner=control.get("owner") or "",
        lead_contact=control.get("lead_contact") or "",
        source=control.get("source", ""),
        grade_scale=list(data["grade_scale"]),
        limiting_ceiling=data.get("limiting_ceiling") or "",
        overall_grade_rule=dict(data["overall_grade_rule"]),
        review_window_months=data.get("review_window_months"),
        moderates=list(data.get("moderates", [])),
        is_current=True,
    )
    questions, descriptors = [], []
    for s_order, section_data in enumerate(data["sections"], start=1):
        section = Section.objects.create(
            template=version,
            order=s_order,
            ref=section_data["ref"],
            title=section_data["title"],
            guidance=section_data.get("guidance", ""),
            minutes=section_data.get("minutes"),
            graded=section_data.get("graded", False),
            comments_label=section_data.get("comments_label", "Comments"),
            repeat=section_data.get("repeat", ""),
            actions_table=section_data.get("actions_table"),
        )
        questions += [
            _question(version, section, section_data, q_order, question)
            for q_order, question in enumerate(section_data["questions"], start=1)
        ]
        for grade, descriptor_set in section_data.get("descriptors", {}).items():
            descriptors += [
                GradeDescriptor(
                    section=section, grade=grade, order=order, text=text, source=descriptor_set["source"]
                )
                for order, text in enumerate(descriptor_set["items"], start=1)
            ]
    Question.objects.bulk_create(questions)
    GradeDescriptor.objects.bulk_create(descriptors)
    return version


def _question(
    version: TemplateVersion,
    section: Section,
    section_data: Mapping[str, Any],
    order: int,
    data: Mapping[str, Any],
) -> Question:
    return Question(
        template=version,
        section=section,
        order=order,
        ref=data["ref"],
        text=data["text"],
        help=data.get("help", ""),
        answer_type=data["answer_type"],
        choices=list(data.get("choices", [])),
        multiple=data.get("multiple", False),
        na_allowed=data.get("na_allowed", False),
        na_requires_reason=data.get("na_requires_reason", False),
        na_reason_help=data.get("na_reason_help", ""),
        required=data.get("required", True),
        required_if=data.get("required_if"),
        limiting=data.get("limiting", False),
        judgement=data.get("judgement", ""),
        limits=list(question_limits(data, section_data)),
        escalation=data.get("escalation"),
    )


def _date(value: str | None) -> datetime.date | None:
    """YYYY-MM-DD, or YYYY-MM (a month alone: its first day)."""
    if not value:
        return None
    return datetime.date.fromisoformat(value if len(value) == 10 else f"{value}-01")


def _audit_types_store(document: TemplateDocument, *, actor: Any) -> tuple[FileOutcome, dict[str, str]]:
    applied = set(AuditType.objects.filter(is_active=True).values_list("source_file__sha256", flat=True))
    file = TemplateFile.objects.filter(ref=AUDIT_TYPES_REF, sha256=document.sha256).first()
    if file is not None and applied == {document.sha256}:
        return FileOutcome(AUDIT_TYPES_REF, document.filename, "unchanged", file.version, document.sha256), {}
    outcome = "reinstated"
    if file is None:
        outcome = "loaded"
        file = TemplateFile.objects.create(
            ref=AUDIT_TYPES_REF,
            version=_next_file_version(AUDIT_TYPES_REF),
            sha256=document.sha256,
            filename=document.filename,
            raw_text=document.raw_text,
        )
    changes = {}
    tokens = set()
    for data in document.data["types"]:
        tokens.add(data["token"])
        values = {
            "name": data["name"],
            "description": data.get("description", ""),
            "template_ref": data["template"],
            "review_window_months": data["review_window_months"],
            "requires": list(data.get("fields", [])),
            "rules": dict(data.get("rules", {})),
            "is_active": True,
        }
        audit_type = AuditType.objects.filter(token=data["token"]).first()
        if audit_type is None:
            AuditType.objects.create(token=data["token"], source_file=file, **values)
            changes[data["token"]] = "created"
            _audit_type_event(actor, data["token"], "created", file, values)
            continue
        changed = {name: value for name, value in values.items() if getattr(audit_type, name) != value}
        AuditType.objects.filter(pk=audit_type.pk).update(source_file=file, **values)
        if changed:
            changes[data["token"]] = "updated"
            _audit_type_event(actor, data["token"], "updated", file, changed)
    for audit_type in AuditType.objects.filter(is_active=True).exclude(token__in=tokens):
        AuditType.objects.filter(pk=audit_type.pk).update(is_active=False, source_file=file)
        changes[audit_type.token] = "deactivated"
        _audit_type_event(actor, audit_type.token, "deactivated", file, {"is_active": False})
    return FileOutcome(AUDIT_TYPES_REF, document.filename, outcome, file.version, document.sha256), changes


def _audit_type_event(
    actor: Any, token: str, change: str, file: TemplateFile, values: Mapping[str, Any]
) -> None:
    audit_event_record(
        actor=actor,
        action=f"audit_type.{change}",
        object_type="audit_type",
        object_ref=token,
        summary=f"Audit type {token} {change} from {file.filename} (version {file.version})",
        changes=dict(values),
    )
