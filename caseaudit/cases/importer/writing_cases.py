"""Writing children and cases, streamed in batches; a child is written at its first case.

A child is restricted when any of their cases is (CONTRACTS §3): the cases in this file,
and any of their cases kept from earlier imports."""

from typing import Any

from caseaudit.cases.importer.rows import CaseRow, read_case, records
from caseaudit.cases.importer.sources import Table
from caseaudit.cases.importer.writing import (
    BATCH,
    WriteContext,
    batched,
    bulk_update_rows,
    field_changes,
    mark_not_in_latest,
)
from caseaudit.cases.models import Case, Child
from caseaudit.org.models import Staff, Team

CHILD_FIELDS = [
    "name",
    "date_of_birth",
    "gender",
    "ethnicity",
    "disability",
    "restricted",
    "in_latest_import",
]
CASE_FIELDS = [
    "child",
    "team",
    "allocated_worker",
    "case_type",
    "start_date",
    "closed_date",
    "status",
    "restricted",
    "last_audited_on",
    "in_latest_import",
]
# Foreign keys as primary keys, mapped back to register IDs in Python: joining the child
# table here made PostgreSQL hash all children for every batch.
_CASE_VALUES = [
    "pk",
    "case_id",
    "child_id",
    "team_id",
    "allocated_worker_id",
    "case_type",
    "start_date",
    "closed_date",
    "status",
    "restricted",
    "last_audited_on",
    "in_latest_import",
]


class _CaseWriter:
    def __init__(self, context: WriteContext) -> None:
        self.context = context
        self.team_pks: dict[str, int] = dict(Team.objects.values_list("team_id", "pk"))
        self.staff_pks: dict[str, int] = dict(Staff.objects.values_list("staff_id", "pk"))
        self.team_ids = {pk: team_id for team_id, pk in self.team_pks.items()}
        self.staff_ids = {pk: staff_id for staff_id, pk in self.staff_pks.items()}
        self.children_left: set[int] = set()  # children some case moved away from

    def _child_values(self, row: CaseRow, restricted_elsewhere: set[str]) -> dict[str, Any]:
        seen = self.context.state.children[row.child_id]
        return {
            "name": row.child_name,
            "date_of_birth": row.date_of_birth,
            "gender": row.gender,
            "ethnicity": row.ethnicity,
            "disability": row.disability,
            "restricted": seen.restricted or row.child_id in restricted_elsewhere,
            "in_latest_import": True,
        }

    def _restricted_elsewhere(self, children: dict[str, Child]) -> set[str]:
        """Children with a restricted case kept from an earlier import but not in this file."""
        cases = self.context.state.case_lines
        child_ids = {child.pk: child_id for child_id, child in children.items()}
        restricted = Case.objects.filter(child_id__in=child_ids, restricted=True).order_by()
        return {
            child_ids[child_pk]
            for child_pk, case_id in restricted.values_list("child_id", "case_id")
            if case_id not in cases
        }

    def write_children(self, rows: list[CaseRow]) -> dict[str, int]:
        """Write each child at their first case line; returns {child ID: pk} for these rows."""
        seen = self.context.state.children
        first_rows = {row.child_id: row for row in rows if seen[row.child_id].line == row.line}
        found = Child.objects.filter(child_id__in={row.child_id for row in rows}).order_by()
        existing = {child.child_id: child for child in found}
        child_pks = {child_id: child.pk for child_id, child in existing.items()}
        elsewhere = self._restricted_elsewhere({c: existing[c] for c in first_rows if c in existing})
        to_create, to_update = [], []
        for child_id, row in first_rows.items():
            new = self._child_values(row, elsewhere)
            child = existing.get(child_id)
            if child is None:
                self.context.count("children", "created")
                to_create.append(Child(child_id=child_id, **new))
                continue
            changes = field_changes({name: getattr(child, name) for name in new}, new)
            if not changes:
                self.context.count("children", "unchanged")
                continue
            self.context.count("children", "updated")
            self.context.updated("child", child_id, changes)
            for name, value in new.items():
                setattr(child, name, value)
            to_update.append(child)
        Child.objects.bulk_create(to_create, batch_size=BATCH)
        bulk_update_rows(Child, to_update, CHILD_FIELDS)
        if to_create:
            created = Child.objects.filter(child_id__in=[child.child_id for child in to_create]).order_by()
            child_pks.update(created.values_list("child_id", "pk"))
        return child_pks

    def _case_values(self, row: CaseRow) -> dict[str, Any]:
        return {
            "child": row.child_id,
            "team": row.team_id,
            "allocated_worker": row.allocated_worker_id or None,
            "case_type": row.case_type,
            "start_date": row.start_date,
            "closed_date": row.closed_date,
            "status": Case.Status.OPEN.value if row.closed_date is None else Case.Status.CLOSED.value,
            "restricted": row.restricted,
            "last_audited_on": row.last_audited_on,
            "in_latest_import": True,
        }

    def _case(self, row: CaseRow, new: dict[str, Any], child_pk: int, pk: int | None = None) -> Case:
        worker = new["allocated_worker"]
        return Case(
            pk=pk,
            case_id=row.case_id,
            child_id=child_pk,
            team_id=self.team_pks[row.team_id],
            allocated_worker_id=self.staff_pks[worker] if worker else None,
            **{name: new[name] for name in CASE_FIELDS[3:]},
        )

    def _child_ids(self, child_pks: dict[str, int], existing: Any) -> dict[int, str]:
        """Child pk → child ID for the children these cases had before (a moved case's old
        child is looked up)."""
        child_ids = {pk: child_id for child_id, pk in child_pks.items()}
        missing = {values["child_id"] for values in existing} - child_ids.keys()
        if missing:
            child_ids.update(Child.objects.filter(pk__in=missing).order_by().values_list("pk", "child_id"))
        return child_ids

    def write_cases(self, rows: list[CaseRow], child_pks: dict[str, int]) -> None:
        existing = {
            values["case_id"]: values
            for values in Case.objects.filter(case_id__in=[row.case_id for row in rows])
            .order_by()
            .values(*_CASE_VALUES)
        }
        child_ids = self._child_ids(child_pks, existing.values())
        to_create, to_update = [], []
        for row in rows:
            new = self._case_values(row)
            old = existing.get(row.case_id)
            if old is None:
                self.context.count("cases", "created")
                to_create.append(self._case(row, new, child_pks[row.child_id]))
                continue
            old["child"], old["team"] = child_ids[old["child_id"]], self.team_ids[old["team_id"]]
            old["allocated_worker"] = self.staff_ids.get(old["allocated_worker_id"])
            changes = field_changes(old, new)
            if not changes:
                self.context.count("cases", "unchanged")
                continue
            self.context.count("cases", "updated")
            self.context.updated("case", row.case_id, changes)
            if "child" in changes:
                self.children_left.add(old["child_id"])
            to_update.append(self._case(row, new, child_pks[row.child_id], pk=old["pk"]))
        Case.objects.bulk_create(to_create, batch_size=BATCH)
        bulk_update_rows(Case, to_update, CASE_FIELDS)

    def recheck_children_left(self) -> None:
        """A child not in this file whose restricted case moved to another child."""
        in_file = self.context.state.children
        for pks in batched(sorted(self.children_left)):
            for child in Child.objects.filter(pk__in=pks):
                if child.child_id in in_file:
                    continue
                restricted = child.cases.filter(restricted=True).exists()
                if restricted != child.restricted:
                    self.context.updated(
                        "child", child.child_id, {"restricted": [child.restricted, restricted]}
                    )
                    child.restricted = restricted
                    child.save(update_fields=["restricted"])


def cases_write(table: Table, context: WriteContext) -> None:
    writer = _CaseWriter(context)
    today = context.today
    with records(table, None) as rows:
        for batch in batched(rows):
            cases = [read_case(row, today=today) for row in batch]
            writer.write_cases(cases, writer.write_children(cases))
    writer.recheck_children_left()
    context.unlisted("cases", mark_not_in_latest(Case, "case_id", context.state.case_lines))
    context.unlisted("children", mark_not_in_latest(Child, "child_id", context.state.children))
