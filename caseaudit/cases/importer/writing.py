"""The second pass: upsert the register by ID in batches, inside the caller's (short) write
transaction: everything was validated before it began.

Only rows that differ are written; each updated record gets one history row holding its
field changes {field: [old, new]}. Rows missing from this export are never deleted, only
marked not in the latest import (CONTRACTS §2)."""

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import connections, router
from django.db.models import Model
from django.utils import timezone

from caseaudit.cases.importer.problems import empty_counts
from caseaudit.cases.importer.rows import read_team, records
from caseaudit.cases.importer.sources import Table
from caseaudit.cases.importer.validation import RegisterState
from caseaudit.core.models import AuditEvent
from caseaudit.org.models import GeographicalArea, ServiceArea, Team

BATCH = 2000
T = TypeVar("T")


def batched(items: Iterable[T], size: int = BATCH) -> Iterator[list[T]]:
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def jsonable(value: Any) -> Any:
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [jsonable(item) for item in value]
    return value


def field_changes(old: dict[str, Any], new: dict[str, Any]) -> dict[str, list[Any]]:
    return {name: [jsonable(old[name]), jsonable(value)] for name, value in new.items() if old[name] != value}


@dataclass
class WriteContext:
    """What every table's writer shares: who is importing, the counts, the history rows."""

    actor: Any
    import_id: int
    state: RegisterState
    counts: dict[str, dict[str, int]] = field(default_factory=empty_counts)
    not_in_latest: dict[str, int] = field(default_factory=dict)
    events: list[AuditEvent] = field(default_factory=list)
    today: datetime.date = field(default_factory=timezone.localdate)

    def updated(self, object_type: str, ref: str, changes: dict[str, list[Any]], action: str = "") -> None:
        self.events.append(
            AuditEvent(
                actor=self.actor,
                action=action or f"{object_type}.updated",
                object_type=object_type,
                object_ref=ref,
                summary=f"Changed by register import {self.import_id}",
                changes=changes,
            )
        )
        if len(self.events) >= BATCH:
            self.flush_events()

    def flush_events(self) -> None:
        AuditEvent.objects.bulk_create(self.events, batch_size=BATCH)
        self.events = []

    def count(self, table: str, outcome: str) -> None:
        self.counts[table][outcome] += 1

    def unlisted(self, table: str, count: int) -> None:
        """Rows this import marked as not in the latest import (issue 15: always reported)."""
        self.not_in_latest[table] = count
        self.counts[table]["not_in_latest_import"] = count


def _update_from_values_supported(vendor: str, connection: Any) -> bool:
    if vendor == "postgresql":
        return True
    return vendor == "sqlite" and connection.Database.sqlite_version_info >= (3, 33)


def bulk_update_rows(model: type[Model], objs: list[Any], fields: list[str]) -> None:
    """Update `fields` of `objs` by primary key with one UPDATE ... FROM (VALUES ...) per batch.

    Django's bulk_update builds CASE WHEN pk=... per field, which the database evaluates row
    by row against every branch: 50,000 changed cases took minutes. A join on a VALUES list
    takes a second. Identifiers come from the model's meta only, never from the files."""
    if not objs:
        return
    connection = connections[router.db_for_write(model)]
    if not _update_from_values_supported(connection.vendor, connection):
        model._default_manager.bulk_update(objs, fields, batch_size=BATCH)
        return
    meta: Any = model._meta
    columns: list[Any] = [meta.pk, *(meta.get_field(name) for name in fields)]
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    assignments = ", ".join(f"{quote(f.column)} = v.column{i}" for i, f in enumerate(columns[1:], start=2))
    casts = [f"CAST(%s AS {f.cast_db_type(connection)})" for f in columns]
    plain = "(" + ", ".join(["%s"] * len(columns)) + ")"
    for chunk in batched(objs, max(1, min(BATCH, 30000 // len(columns)))):
        params = [f.get_db_prep_save(getattr(obj, f.attname), connection) for obj in chunk for f in columns]
        # PostgreSQL types a VALUES column from its first typed row; SQLite needs no casts.
        first = "(" + ", ".join(casts) + ")" if connection.vendor == "postgresql" else plain
        values = ", ".join([first] + [plain] * (len(chunk) - 1))
        sql = (
            f"UPDATE {table} SET {assignments} FROM (VALUES {values}) AS v "  # noqa: S608
            f"WHERE {table}.{quote(meta.pk.column)} = v.column1"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


def mark_not_in_latest(model: type[Model], id_field: str, present: Iterable[str] | dict[str, Any]) -> int:
    """Mark rows of `model` whose register ID is not in `present` as not in the latest import.
    Streams the table's IDs and updates in batches, so no query carries a huge IN list."""
    vanished = (
        pk
        for pk, register_id in model._default_manager.filter(in_latest_import=True)
        .order_by()
        .values_list("pk", id_field)
        .iterator(chunk_size=BATCH)
        if register_id not in present
    )
    pks_batches = list(batched(vanished))  # read fully before writing to the same table
    for pks in pks_batches:
        model._default_manager.filter(pk__in=pks).update(in_latest_import=False)
    return sum(len(pks) for pks in pks_batches)


class AreaCache:
    """Service and geographical areas by name (case-insensitive), created on first use."""

    def __init__(self, model: type[ServiceArea] | type[GeographicalArea]) -> None:
        self.model = model
        self.by_name: dict[str, Any] = {area.name.lower(): area for area in model.objects.all()}

    def get(self, name: str) -> Any:
        if not name:
            return None
        area = self.by_name.get(name.lower())
        if area is None:
            area = self.model.objects.create(name=name)
            self.by_name[name.lower()] = area
        return area


def teams_write(table: Table, context: WriteContext) -> None:
    service_areas, geographical_areas = AreaCache(ServiceArea), AreaCache(GeographicalArea)
    fields = ["name", "service_area", "geographical_area", "eligible_for_audit", "in_latest_import"]
    with records(table, None) as rows:
        for batch in batched(rows):
            teams = [read_team(row) for row in batch]
            existing = Team.objects.select_related("service_area", "geographical_area").in_bulk(
                [team.team_id for team in teams], field_name="team_id"
            )
            to_create, to_update = [], []
            for row in teams:
                service_area = service_areas.get(row.service_area)
                geographical_area = geographical_areas.get(row.geographical_area)
                new = {
                    "name": row.name,
                    "service_area": service_area.name,
                    "geographical_area": geographical_area.name,
                    "eligible_for_audit": row.eligible_for_audit,
                    "in_latest_import": True,
                }
                team = existing.get(row.team_id)
                if team is None:
                    context.count("teams", "created")
                    to_create.append(
                        Team(
                            team_id=row.team_id,
                            name=row.name,
                            service_area=service_area,
                            geographical_area=geographical_area,
                            eligible_for_audit=row.eligible_for_audit,
                        )
                    )
                    continue
                old = {name: getattr(team, name) for name in fields}
                old["service_area"], old["geographical_area"] = (
                    team.service_area.name,
                    team.geographical_area.name,
                )
                changes = field_changes(old, new)
                if not changes:
                    context.count("teams", "unchanged")
                    continue
                context.count("teams", "updated")
                context.updated("team", row.team_id, changes)
                team.name, team.eligible_for_audit, team.in_latest_import = (
                    row.name,
                    row.eligible_for_audit,
                    True,
                )
                team.service_area, team.geographical_area = service_area, geographical_area
                to_update.append(team)
            Team.objects.bulk_create(to_create, batch_size=BATCH)
            bulk_update_rows(Team, to_update, fields)
    context.unlisted("teams", mark_not_in_latest(Team, "team_id", context.state.team_lines))
