"""Writing staff: records, sign-in accounts, roles, line managers; leavers deactivated.

Each person gets one account: username = email in lower case, no usable password until
they follow an invitation (CONTRACTS §1). Nobody is deleted, so history keeps their name.
Only people an import created are deactivated as leavers, never the person importing
(issue 15); people added by hand are left as they are."""

from collections import defaultdict
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q

from caseaudit.cases.importer.rows import StaffRow, read_staff, records
from caseaudit.cases.importer.sources import Table
from caseaudit.cases.importer.writing import (
    BATCH,
    AreaCache,
    WriteContext,
    batched,
    bulk_update_rows,
    field_changes,
)
from caseaudit.org.models import GeographicalArea, Staff, StaffRole, Team
from caseaudit.org.services import line_management_rebuild

STAFF_FIELDS = [
    "name",
    "email",
    "job_role",
    "team",
    "geographical_area",
    "is_active",
    "in_latest_import",
    "user",
]


def _placeholder(pk: int) -> str:
    return f"register-import-{pk}@placeholder.invalid"


def _free_changed_emails(table: Table) -> dict[int, str]:
    """Park the emails (and usernames) that change on placeholders first, so two people
    swapping addresses never collide on the unique constraints. Returns {pk: old email}."""
    old_emails: dict[int, str] = {}
    user_pks: dict[int, int] = {}
    with records(table, None) as rows:
        for batch in batched(rows):
            wanted = {row.values["staff_id"]: row.values["email"] for row in batch}
            for pk, staff_id, email, user_pk in Staff.objects.filter(staff_id__in=wanted).values_list(
                "pk", "staff_id", "email", "user_id"
            ):
                if email != wanted[staff_id]:
                    old_emails[pk] = email
                    if user_pk is not None:
                        user_pks[pk] = user_pk
    user_model = get_user_model()
    for pks in batched(old_emails):
        bulk_update_rows(Staff, [Staff(pk=pk, email=_placeholder(pk)) for pk in pks], ["email"])
        users = [user_model(pk=user_pks[pk], username=_placeholder(pk)) for pk in pks if pk in user_pks]
        bulk_update_rows(user_model, users, ["username"])
    return old_emails


class _StaffWriter:
    def __init__(self, context: WriteContext) -> None:
        self.context = context
        self.team_pks: dict[str, int] = dict(Team.objects.values_list("team_id", "pk"))
        self.areas = AreaCache(GeographicalArea)
        self.user_model: Any = get_user_model()
        self.old_emails: dict[int, str] = {}
        self.managers_wanted: dict[str, str | None] = {}

    def _new_values(self, row: StaffRow) -> dict[str, Any]:
        area = self.areas.get(row.geographical_area)
        return {
            "name": row.name,
            "email": row.email,
            "job_role": row.job_role,
            "team": row.team_id or None,
            "line_manager": row.line_manager_id or None,
            "geographical_area": area.name if area is not None else None,
            "is_active": True,
            "in_latest_import": True,
            "roles": tuple(sorted(row.roles)),
        }

    def _old_values(self, staff: Staff, roles: set[str]) -> dict[str, Any]:
        return {
            "name": staff.name,
            "email": self.old_emails.get(staff.pk, staff.email),
            "job_role": staff.job_role,
            "team": staff.team.team_id if staff.team else None,
            "line_manager": staff.line_manager.staff_id if staff.line_manager else None,
            "geographical_area": staff.geographical_area.name if staff.geographical_area else None,
            "is_active": staff.is_active,
            "in_latest_import": staff.in_latest_import,
            "roles": tuple(sorted(roles)),
        }

    def _apply(self, staff: Staff, row: StaffRow) -> None:
        staff.name, staff.email, staff.job_role = row.name, row.email, row.job_role
        staff.team_id = self.team_pks[row.team_id] if row.team_id else None
        staff.geographical_area = self.areas.get(row.geographical_area)
        staff.is_active = staff.in_latest_import = True

    def _accounts_for(self, rows: list[StaffRow]) -> dict[str, Any]:
        """An account per email: an existing one nobody else holds, else a new one with no
        usable password. Returns {username: user}."""
        usernames = {row.email.lower(): row.email for row in rows}
        found = {user.username: user for user in self.user_model.objects.filter(username__in=usernames)}
        taken = set(Staff.objects.filter(user__in=found.values()).values_list("user__username", flat=True))
        new_users = []
        for username, email in usernames.items():
            if username in found and username not in taken:
                continue
            user = self.user_model(username=username, email=email)
            user.set_unusable_password()
            new_users.append(user)
        self.user_model.objects.bulk_create(new_users, batch_size=BATCH)
        return {
            user.username: user
            for user in self.user_model.objects.filter(username__in=usernames).exclude(
                pk__in=Staff.objects.filter(user__isnull=False).values("user_id")
            )
        }

    def write_batch(self, rows: list[StaffRow]) -> None:
        existing = Staff.objects.select_related("team", "line_manager", "geographical_area", "user").in_bulk(
            [row.staff_id for row in rows], field_name="staff_id"
        )
        roles_of: dict[int, set[str]] = defaultdict(set)
        for staff_pk, role in StaffRole.objects.filter(staff__in=existing.values()).values_list(
            "staff_id", "role"
        ):
            roles_of[staff_pk].add(role)
        to_update: list[Staff] = []
        users_to_update: list[Any] = []
        roles_to_set: dict[str, tuple[str, ...]] = {}
        need_account: list[StaffRow] = []
        for row in rows:
            new = self._new_values(row)
            staff = existing.get(row.staff_id)
            if staff is None:
                self.context.count("staff", "created")
                need_account.append(row)
                roles_to_set[row.staff_id] = new["roles"]
                if row.line_manager_id:
                    self.managers_wanted[row.staff_id] = row.line_manager_id
                continue
            changes = field_changes(self._old_values(staff, roles_of[staff.pk]), new)
            if staff.user is None:
                need_account.append(row)
            if not changes:
                self.context.count("staff", "unchanged")
                continue
            self.context.count("staff", "updated")
            self.context.updated("staff", row.staff_id, changes)
            if "line_manager" in changes:
                self.managers_wanted[row.staff_id] = new["line_manager"]
            if "roles" in changes:
                roles_to_set[row.staff_id] = new["roles"]
            user = staff.user
            if user is not None and ("email" in changes or "is_active" in changes):
                user.username, user.email = row.email.lower(), row.email
                user.is_active = user.is_active or "is_active" in changes  # back from leaving
                users_to_update.append(user)
            self._apply(staff, row)
            to_update.append(staff)
        bulk_update_rows(self.user_model, users_to_update, ["username", "email", "is_active"])
        accounts = self._accounts_for(need_account) if need_account else {}
        for staff in to_update:
            if staff.user_id is None:
                staff.user = accounts[staff.email.lower()]
        bulk_update_rows(Staff, to_update, STAFF_FIELDS)
        new_staff = [row for row in need_account if row.staff_id not in existing]
        Staff.objects.bulk_create(
            [
                Staff(
                    staff_id=row.staff_id,
                    name=row.name,
                    email=row.email,
                    job_role=row.job_role,
                    team_id=self.team_pks[row.team_id] if row.team_id else None,
                    geographical_area=self.areas.get(row.geographical_area),
                    user=accounts[row.email.lower()],
                    created_by_import=True,
                )
                for row in new_staff
            ],
            batch_size=BATCH,
        )
        # Accounts of existing staff who had none are linked without counting as a change.
        updating = {staff.pk for staff in to_update}
        unlinked = [
            staff for staff in existing.values() if staff.user_id is None and staff.pk not in updating
        ]
        for staff in unlinked:
            staff.user = accounts[staff.email.lower()]
        bulk_update_rows(Staff, unlinked, ["user"])
        self._set_roles(roles_to_set)

    def _set_roles(self, roles_to_set: dict[str, tuple[str, ...]]) -> None:
        if not roles_to_set:
            return
        pks = dict(Staff.objects.filter(staff_id__in=roles_to_set).values_list("staff_id", "pk"))
        StaffRole.objects.filter(staff_id__in=pks.values()).delete()
        StaffRole.objects.bulk_create(
            [
                StaffRole(staff_id=pks[staff_id], role=role)
                for staff_id, roles in roles_to_set.items()
                for role in roles
            ],
            batch_size=BATCH,
        )

    def set_line_managers(self) -> None:
        """After every row is written, since a manager may sit on a later line."""
        pks: dict[str, int] = dict(Staff.objects.values_list("staff_id", "pk"))
        for items in batched(self.managers_wanted.items()):
            bulk_update_rows(
                Staff,
                [Staff(pk=pks[staff_id], line_manager_id=pks[m] if m else None) for staff_id, m in items],
                ["line_manager"],
            )

    def deactivate_leavers(self) -> None:
        """Staff an import created who are missing from this staff import: kept, deactivated
        with their account. The person importing and people added by hand are left alone."""
        present = self.context.state.staff_lines
        candidates = Staff.objects.filter(created_by_import=True).filter(
            Q(is_active=True) | Q(in_latest_import=True)
        )
        actor_pk = getattr(self.context.actor, "pk", None)
        if actor_pk is not None:
            candidates = candidates.exclude(user_id=actor_pk)
        leavers = [
            (pk, staff_id, is_active, in_latest, user_pk)
            for pk, staff_id, is_active, in_latest, user_pk in candidates.values_list(
                "pk", "staff_id", "is_active", "in_latest_import", "user_id"
            )
            if staff_id not in present
        ]
        for batch in batched(leavers):
            Staff.objects.filter(pk__in=[leaver[0] for leaver in batch]).update(
                is_active=False, in_latest_import=False
            )
            user_pks = [leaver[4] for leaver in batch if leaver[4] is not None]
            self.user_model.objects.filter(pk__in=user_pks).update(is_active=False)
            for _, staff_id, is_active, in_latest, _ in batch:
                changes = field_changes(
                    {"is_active": is_active, "in_latest_import": in_latest},
                    {"is_active": False, "in_latest_import": False},
                )
                action = "staff.deactivated" if is_active else "staff.updated"
                self.context.updated("staff", staff_id, changes, action=action)
        self.context.counts["staff"]["deactivated"] = sum(1 for leaver in leavers if leaver[2])
        self.context.unlisted("staff", sum(1 for leaver in leavers if leaver[3]))


def staff_write(table: Table, context: WriteContext) -> None:
    writer = _StaffWriter(context)
    writer.old_emails = _free_changed_emails(table)
    with records(table, None) as rows:
        for batch in batched(rows):
            writer.write_batch([read_staff(row) for row in batch])
    writer.set_line_managers()
    writer.deactivate_leavers()
    line_management_rebuild()
