"""Importing the case register (INT-1): validate everything, then write everything, or nothing."""

from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from caseaudit.cases.importer.problems import ImportOutcome, empty_counts
from caseaudit.cases.importer.sources import RegisterSource, open_path, open_uploads
from caseaudit.cases.importer.validation import register_validate
from caseaudit.cases.importer.writing import WriteContext, teams_write
from caseaudit.cases.importer.writing_cases import cases_write
from caseaudit.cases.importer.writing_staff import staff_write
from caseaudit.cases.models import RegisterImport
from caseaudit.core.services import audit_event_record

VIA = ("command", "web", "api")
_SOURCE_NAME_LENGTH = RegisterImport._meta.get_field("source_name").max_length or 300


def _actor(actor: Any) -> Any:
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def _summary(counts: dict[str, dict[str, int]]) -> str:
    return "; ".join(
        f"{table}: {c['created']} created, {c['updated']} updated, {c['unchanged']} unchanged"
        for table, c in counts.items()
    )


def _import(source: RegisterSource, *, actor: Any, via: str) -> ImportOutcome:
    if via not in VIA:
        raise ValueError(f"via must be one of {VIA}")
    actor = _actor(actor)
    source_name = source.name[-_SOURCE_NAME_LENGTH:]
    started_at = timezone.now()
    with transaction.atomic():
        # Validated inside the transaction too, so the register read is the one written over.
        validation = register_validate(source)
        problems = validation.problems
        if not problems.errors:
            record = RegisterImport.objects.create(
                started_at=started_at, actor=actor, source_name=source_name, via=via
            )
            context = WriteContext(actor=actor, import_id=record.pk, state=validation.state)
            if "teams" in source.tables:
                teams_write(source.tables["teams"], context)
            if "staff" in source.tables:
                staff_write(source.tables["staff"], context)
            if "cases" in source.tables:
                cases_write(source.tables["cases"], context)
            context.flush_events()
            record.ok = True
            record.counts = context.counts
            record.warnings = [warning.as_dict() for warning in problems.warnings]
            record.finished_at = timezone.now()
            record.save(update_fields=["ok", "counts", "warnings", "finished_at"])
            audit_event_record(
                actor=actor,
                action="register.imported",
                object_type="register_import",
                object_ref=str(record.pk),
                summary=f"Imported {', '.join(source.tables)} from {source_name}: {_summary(context.counts)}",
                changes={"counts": context.counts, "not_in_latest_import": context.not_in_latest},
            )
            return ImportOutcome(
                ok=True,
                counts=context.counts,
                warnings=problems.warnings,
                errors=[],
                register_import=record,
                not_in_latest=context.not_in_latest,
            )
    # Refused: nothing of the register was written; the attempt itself is still recorded.
    record = RegisterImport.objects.create(
        started_at=started_at,
        finished_at=timezone.now(),
        actor=actor,
        source_name=source_name,
        via=via,
        ok=False,
        warnings=[warning.as_dict() for warning in problems.warnings],
        error_count=len(problems.errors),
    )
    return ImportOutcome(
        ok=False,
        counts=empty_counts(),
        warnings=problems.warnings,
        errors=problems.errors,
        register_import=record,
    )


def register_import_from_path(*, path: Path, actor: Any, via: str = "command") -> ImportOutcome:
    """Import a folder or .zip of teams.csv/staff.csv/cases.csv, or an .xlsx workbook.
    Raises ImportSourceError when the source itself cannot be used."""
    with open_path(Path(path)) as source:
        return _import(source, actor=actor, via=via)


def register_import_from_uploads(*, files: list[UploadedFile], actor: Any, via: str = "web") -> ImportOutcome:
    """Import uploaded files: one .zip or .xlsx, or up to three CSV files named by table."""
    with open_uploads(files) as source:
        return _import(source, actor=actor, via=via)


def register_imports_recent() -> Any:
    """Every import, newest first, with who made it (for the history page)."""
    return RegisterImport.objects.select_related("actor", "actor__staff").order_by("-started_at", "-id")
