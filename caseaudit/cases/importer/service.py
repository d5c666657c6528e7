"""Importing the case register (INT-1): validate everything, then write everything, or nothing.

Validation reads the files and the register with no transaction open, so on SQLite (whose
IMMEDIATE transactions take the write lock at BEGIN) other people keep working while a long
register is checked. Only the writing runs in a transaction; it first checks that the
register has not changed since validation began, and validates again if it has (issue 15)."""

from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connections, router, transaction
from django.utils import timezone

from caseaudit.cases.importer.problems import ImportOutcome, ImportProblem, empty_counts
from caseaudit.cases.importer.removals import (
    Removals,
    register_fingerprint,
    removal_share,
    removals_planned,
)
from caseaudit.cases.importer.sources import RegisterSource, open_path, open_uploads
from caseaudit.cases.importer.validation import Validation, register_validate
from caseaudit.cases.importer.writing import WriteContext, teams_write
from caseaudit.cases.importer.writing_cases import cases_write
from caseaudit.cases.importer.writing_staff import staff_write
from caseaudit.cases.models import RegisterImport
from caseaudit.core.services import audit_event_record, user_or_none
from caseaudit.org.models import Staff

VIA = ("command", "web", "api")
_SOURCE_NAME_LENGTH = RegisterImport._meta.get_field("source_name").max_length or 300
# Validate and write at most this many times when the register keeps changing meanwhile.
_ATTEMPTS = 2
# Any fixed number: PostgreSQL's advisory lock that lets one register import write at a time.
_POSTGRES_LOCK = 7_315_001
REGISTER_CHANGED = (
    "the register changed while this import was being checked (someone else imported or changed "
    "it): nothing was imported. Import the files again"
)


class _RegisterChanged(Exception):
    pass


def _summary(counts: dict[str, dict[str, int]]) -> str:
    return "; ".join(
        f"{table}: {c['created']} created, {c['updated']} updated, {c['unchanged']} unchanged, "
        f"{c.get('not_in_latest_import', 0)} not in this import"
        + (f", {c['deactivated']} deactivated" if "deactivated" in c else "")
        for table, c in counts.items()
    )


def _lock_the_register(using: str) -> None:
    """One import writes at a time. SQLite's IMMEDIATE BEGIN already holds the write lock."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_POSTGRES_LOCK])


def _actor_kept_warning(source: RegisterSource, validation: Validation, actor: Any) -> ImportProblem | None:
    """The person importing is missing from staff.csv: say that they were kept active."""
    if actor is None or "staff" not in source.tables:
        return None
    staff = Staff.objects.filter(user_id=actor.pk, is_active=True).values_list("staff_id", flat=True).first()
    if staff is None or staff in validation.state.staff_lines:
        return None
    table = source.tables["staff"]
    return ImportProblem(
        table.label,
        None,
        None,
        f'you (staff ID "{staff}") are not in it: an import never deactivates the person importing, '
        "so you were kept active",
        kind=table.kind,
    )


def _write(
    source: RegisterSource, validation: Validation, *, actor: Any, record: RegisterImport
) -> WriteContext:
    context = WriteContext(actor=actor, import_id=record.pk, state=validation.state)
    if "teams" in source.tables:
        teams_write(source.tables["teams"], context)
    if "staff" in source.tables:
        staff_write(source.tables["staff"], context)
    if "cases" in source.tables:
        cases_write(source.tables["cases"], context)
    context.flush_events()
    return context


def _refused(
    source_name: str,
    *,
    started_at: Any,
    actor: Any,
    via: str,
    errors: list[ImportProblem],
    warnings: list[ImportProblem],
    errors_not_listed: int = 0,
    removals: Removals | None = None,
    register_changed: bool = False,
) -> ImportOutcome:
    """Nothing of the register was written; the attempt itself is still recorded."""
    counts: dict[str, Any] = {}
    if removals is not None:
        counts["confirmation_needed"] = removals.as_dict()
    record = RegisterImport.objects.create(
        started_at=started_at,
        finished_at=timezone.now(),
        actor=actor,
        source_name=source_name,
        via=via,
        ok=False,
        counts=counts,
        warnings=[warning.as_dict() for warning in warnings],
        error_count=len(errors) + errors_not_listed,
    )
    return ImportOutcome(
        ok=False,
        counts=empty_counts(),
        warnings=warnings,
        errors=errors,
        register_import=record,
        errors_not_listed=errors_not_listed,
        removals=removals,
        confirmation_needed=removals is not None,
        register_changed=register_changed,
    )


def _confirmation_problems(source: RegisterSource, removals: Removals, share: float) -> list[ImportProblem]:
    """One problem per table that would lose too much, naming the file and the numbers."""
    problems = []
    staff, cases = source.tables.get("staff"), source.tables.get("cases")
    if staff is not None and removals.staff_over(share):
        problems.append(
            ImportProblem(
                staff.label,
                None,
                None,
                f"{removals.staff_deactivated:,} of the {removals.staff_active:,} active staff are not in "
                "it and would be deactivated, with their sign-ins",
                kind=staff.kind,
            )
        )
    if cases is not None and removals.cases_over(share):
        problems.append(
            ImportProblem(
                cases.label,
                None,
                None,
                f"{removals.cases_unlisted:,} of the {removals.cases_listed:,} cases in the latest import "
                'are not in it and would be marked "not in the latest import"',
                kind=cases.kind,
            )
        )
    return problems


def _import(
    source: RegisterSource,
    *,
    actor: Any,
    via: str,
    confirm_removals: bool,
    confirmed_removals: Removals | None,
) -> ImportOutcome:
    if via not in VIA:
        raise ValueError(f"via must be one of {VIA}")
    actor = user_or_none(actor)
    source_name = source.name[-_SOURCE_NAME_LENGTH:]
    started_at = timezone.now()
    using = router.db_for_write(RegisterImport)
    share = removal_share()
    refuse = {"started_at": started_at, "actor": actor, "via": via}
    for attempt in range(1, _ATTEMPTS + 1):
        before = register_fingerprint()
        validation = register_validate(source)  # no transaction open: nobody waits for this
        problems = validation.problems
        if problems.errors:
            return _refused(
                source_name,
                errors=problems.errors,
                warnings=problems.warnings,
                errors_not_listed=problems.errors_not_kept,
                **refuse,
            )
        removals = removals_planned(source=source, state=validation.state, actor=actor)
        confirmed = confirm_removals and (
            confirmed_removals is None or removals.covered_by(confirmed_removals)
        )
        if removals.share_over(share) and not confirmed:
            return _refused(
                source_name,
                errors=_confirmation_problems(source, removals, share),
                warnings=problems.warnings,
                removals=removals,
                **refuse,
            )
        warnings = list(problems.warnings)
        kept = _actor_kept_warning(source, validation, actor)
        if kept is not None:
            warnings.append(kept)
        try:
            with transaction.atomic(using=using):
                _lock_the_register(using)
                if register_fingerprint() != before:
                    raise _RegisterChanged
                record = RegisterImport.objects.create(
                    started_at=started_at, actor=actor, source_name=source_name, via=via
                )
                context = _write(source, validation, actor=actor, record=record)
                record.ok = True
                record.counts = context.counts
                record.warnings = [warning.as_dict() for warning in warnings]
                record.finished_at = timezone.now()
                record.save(update_fields=["ok", "counts", "warnings", "finished_at"])
                audit_event_record(
                    actor=actor,
                    action="register.imported",
                    object_type="register_import",
                    object_ref=str(record.pk),
                    summary=(
                        f"Imported {', '.join(source.tables)} from {source_name}: {_summary(context.counts)}"
                    ),
                    changes={"counts": context.counts, "not_in_latest_import": context.not_in_latest},
                )
        except _RegisterChanged:
            continue
        except IntegrityError:
            # Someone changed a row validation relied on (an email, say) after it was read:
            # validate again against the register as it is now.
            if attempt == _ATTEMPTS:
                raise
            continue
        return ImportOutcome(
            ok=True,
            counts=context.counts,
            warnings=warnings,
            errors=[],
            register_import=record,
            not_in_latest=context.not_in_latest,
        )
    changed = ImportProblem(source.name, None, None, REGISTER_CHANGED)
    return _refused(source_name, errors=[changed], warnings=[], register_changed=True, **refuse)


def register_import_from_path(
    *,
    path: Path,
    actor: Any,
    via: str = "command",
    confirm_removals: bool = False,
    confirmed_removals: Removals | None = None,
) -> ImportOutcome:
    """Import a folder or .zip of teams.csv/staff.csv/cases.csv, or an .xlsx workbook.
    Raises ImportSourceError when the source itself cannot be used. An import that would
    deactivate or un-list more than REGISTER_IMPORT_MAX_REMOVAL_SHARE is refused unless
    `confirm_removals` (up to `confirmed_removals`, when given)."""
    with open_path(Path(path)) as source:
        return _import(
            source,
            actor=actor,
            via=via,
            confirm_removals=confirm_removals,
            confirmed_removals=confirmed_removals,
        )


def register_import_from_uploads(
    *,
    files: list[UploadedFile],
    actor: Any,
    via: str = "web",
    confirm_removals: bool = False,
    confirmed_removals: Removals | None = None,
) -> ImportOutcome:
    """Import uploaded files: one .zip or .xlsx, or up to three CSV files named by table."""
    with open_uploads(files) as source:
        return _import(
            source,
            actor=actor,
            via=via,
            confirm_removals=confirm_removals,
            confirmed_removals=confirmed_removals,
        )


def register_imports_recent() -> Any:
    """Every import, newest first, with who made it (for the history page)."""
    return RegisterImport.objects.select_related("actor", "actor__staff").order_by("-started_at", "-id")
