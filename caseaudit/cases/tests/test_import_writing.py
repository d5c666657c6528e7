"""What a valid import writes: upserts by ID, accounts, roles, line management, history rows,
and rows missing from a later export kept but marked (INT-1, CONTRACTS §1-2)."""

import datetime

import pytest
from django.contrib.auth import get_user_model

from caseaudit.cases.importer import register_import_from_path
from caseaudit.cases.models import Case, Child, RegisterImport
from caseaudit.cases.tests.test_import_support import (
    case,
    import_tables,
    register_rows,
    staff,
    write_register,
)
from caseaudit.core.models import AuditEvent
from caseaudit.org.models import GeographicalArea, LineManagementLink, Staff, Team
from caseaudit.org.tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


def _counts(created: int = 0, updated: int = 0, unchanged: int = 0, gone: int = 0) -> dict[str, int]:
    return {"created": created, "updated": updated, "unchanged": unchanged, "not_in_latest_import": gone}


def _staff_counts(deactivated: int = 0, **counts: int) -> dict[str, int]:
    return _counts(**counts) | {"deactivated": deactivated}


def test_first_import_creates_the_register(tmp_path):
    outcome = import_tables(tmp_path, register_rows())
    assert outcome.ok
    assert outcome.counts == {
        "teams": _counts(created=2),
        "staff": _staff_counts(created=5),
        "children": _counts(created=3),
        "cases": _counts(created=4),
    }
    north = Team.objects.get(team_id="T1")
    assert (north.geographical_area.name, north.service_area.name, north.eligible_for_audit) == (
        "North",
        "Children's social work",
        True,
    )
    assert set(GeographicalArea.objects.values_list("name", flat=True)) == {"North", "South"}
    closed = Case.objects.get(case_id="C2")
    assert (closed.status, closed.closed_date, closed.child.child_id) == (
        "closed",
        datetime.date(2026, 3, 1),
        "CHC1",
    )
    restricted = Case.objects.get(case_id="C3")
    assert restricted.restricted and restricted.child.restricted
    assert restricted.last_audited_on == datetime.date(2025, 10, 3)
    unallocated = Case.objects.get(case_id="C4")
    assert (unallocated.allocated_worker, unallocated.status, unallocated.last_audited_on) == (
        None,
        "open",
        None,
    )
    assert not Child.objects.get(child_id="CHC1").restricted


def test_each_person_gets_one_account_without_a_usable_password(tmp_path):
    import_tables(tmp_path, register_rows())
    qa = Staff.objects.get(staff_id="S5")
    assert qa.email == "Quinn.QA@Example.test"
    assert qa.user.username == "quinn.qa@example.test"
    assert qa.user.email == "Quinn.QA@Example.test"
    assert not qa.user.has_usable_password()
    assert get_user_model().objects.count() == 5
    assert sorted(qa.roles.values_list("role", flat=True)) == ["qa_officer"]
    assert sorted(Staff.objects.get(staff_id="S2").roles.values_list("role", flat=True)) == [
        "group_manager",
        "practice_manager",
    ]


def test_line_management_closure_is_rebuilt(tmp_path):
    import_tables(tmp_path, register_rows())
    worker = Staff.objects.get(staff_id="S3")
    above = LineManagementLink.objects.filter(report=worker).order_by("depth")
    assert [(link.manager.staff_id, link.depth) for link in above] == [("S2", 1), ("S1", 2)]
    tables = register_rows()
    tables["staff"][2]["line_manager_id"] = "S5"
    import_tables(tmp_path, tables, name="moved")
    above = LineManagementLink.objects.filter(report=worker).order_by("depth")
    assert [(link.manager.staff_id, link.depth) for link in above] == [("S5", 1), ("S1", 2)]


def test_importing_the_same_files_twice_changes_nothing(tmp_path):
    import_tables(tmp_path, register_rows())
    events = AuditEvent.objects.count()
    outcome = import_tables(tmp_path, register_rows(), name="again")
    assert outcome.counts == {
        "teams": _counts(unchanged=2),
        "staff": _staff_counts(unchanged=5),
        "children": _counts(unchanged=3),
        "cases": _counts(unchanged=4),
    }
    new_events = AuditEvent.objects.count() - events
    assert new_events == 1  # only the import's own register.imported row
    assert AuditEvent.objects.filter(action="register.imported").count() == 2


def test_updates_are_counted_and_recorded_field_by_field(tmp_path):
    import_tables(tmp_path, register_rows())
    tables = register_rows()
    tables["teams"][0]["team_name"] = "North Assessment"
    tables["teams"][0]["geographical_area"] = "Central"
    tables["staff"][2]["email"] = "New.Address@example.test"
    tables["staff"][2]["roles"] = "social_worker;moderator"
    tables["cases"][0]["closed_date"] = "2026-02-01"
    tables["cases"][0]["team_id"] = "T2"
    tables["cases"][3]["child_name"] = "Child Renamed"
    outcome = import_tables(tmp_path, tables, name="changed")
    assert outcome.counts == {
        "teams": _counts(updated=1, unchanged=1),
        "staff": _staff_counts(updated=1, unchanged=4),
        "children": _counts(updated=1, unchanged=2),
        "cases": _counts(updated=1, unchanged=3),
    }
    team_event = AuditEvent.objects.get(action="team.updated", object_ref="T1")
    assert team_event.changes == {
        "name": ["Team T1", "North Assessment"],
        "geographical_area": ["North", "Central"],
    }
    staff_event = AuditEvent.objects.get(action="staff.updated", object_ref="S3")
    assert staff_event.changes == {
        "email": ["s3@example.test", "New.Address@example.test"],
        "roles": [["social_worker"], ["moderator", "social_worker"]],
    }
    case_event = AuditEvent.objects.get(action="case.updated", object_ref="C1")
    assert case_event.changes == {
        "team": ["T1", "T2"],
        "closed_date": [None, "2026-02-01"],
        "status": ["open", "closed"],
    }
    child_event = AuditEvent.objects.get(action="child.updated", object_ref="CHC4")
    assert child_event.changes == {"name": ["Child C4", "Child Renamed"]}
    worker = Staff.objects.get(staff_id="S3")
    assert worker.user.username == "new.address@example.test"
    assert sorted(worker.roles.values_list("role", flat=True)) == ["moderator", "social_worker"]
    assert Case.objects.get(case_id="C1").status == "closed"


def test_vanished_rows_are_kept_and_marked_and_leavers_deactivated(tmp_path):
    import_tables(tmp_path, register_rows())
    tables = register_rows()
    del tables["cases"][3]  # C4 (and its child CHC4) leave the export
    del tables["staff"][3]  # S4 leaves; their case C3 still resolves against the register
    tables["teams"] = [tables["teams"][0]]  # T2 leaves; C3 is still in it
    # One case of four is more than the 20% an import takes out without confirmation.
    outcome = import_tables(tmp_path, tables, name="later", confirm_removals=True)
    assert outcome.ok, [str(e) for e in outcome.errors]
    assert outcome.not_in_latest == {"teams": 1, "staff": 1, "cases": 1, "children": 1}
    assert outcome.counts["staff"] == _staff_counts(unchanged=4, gone=1, deactivated=1)
    assert outcome.counts["cases"] == _counts(unchanged=3, gone=1)
    assert outcome.as_json()["staff"]["deactivated"] == 1
    assert outcome.register_import.counts["cases"]["not_in_latest_import"] == 1
    assert not Case.objects.get(case_id="C4").in_latest_import
    assert Case.objects.get(case_id="C1").in_latest_import
    assert not Child.objects.get(child_id="CHC4").in_latest_import
    assert not Team.objects.get(team_id="T2").in_latest_import
    leaver = Staff.objects.get(staff_id="S4")
    assert (leaver.is_active, leaver.in_latest_import, leaver.user.is_active) == (False, False, False)
    assert AuditEvent.objects.get(action="staff.deactivated", object_ref="S4").changes == {
        "is_active": [True, False],
        "in_latest_import": [True, False],
    }
    assert Case.objects.count() == 4 and Staff.objects.count() == 5  # nothing deleted

    again = import_tables(tmp_path, register_rows(), name="back")  # they come back
    assert again.counts["staff"] == _staff_counts(updated=1, unchanged=4)
    leaver.refresh_from_db()
    leaver.user.refresh_from_db()
    assert (leaver.is_active, leaver.in_latest_import, leaver.user.is_active) == (True, True, True)
    assert Case.objects.get(case_id="C4").in_latest_import


def test_only_the_tables_in_the_import_are_marked(tmp_path):
    import_tables(tmp_path, register_rows())
    outcome = import_tables(tmp_path, {"cases": [case("C1")]}, name="cases-only", confirm_removals=True)
    assert outcome.counts["staff"] == _staff_counts()
    assert outcome.counts["cases"] == _counts(unchanged=1, gone=3)
    assert Staff.objects.filter(is_active=True, in_latest_import=True).count() == 5
    assert Team.objects.filter(in_latest_import=True).count() == 2
    assert Case.objects.filter(in_latest_import=True).count() == 1


def test_two_people_can_swap_email_addresses(tmp_path):
    import_tables(tmp_path, register_rows())
    tables = register_rows()
    tables["staff"][2]["email"], tables["staff"][3]["email"] = "s4@example.test", "s3@example.test"
    outcome = import_tables(tmp_path, tables, name="swapped")
    assert outcome.ok and outcome.counts["staff"] == _staff_counts(updated=2, unchanged=3)
    assert Staff.objects.get(staff_id="S3").user.username == "s4@example.test"
    assert Staff.objects.get(staff_id="S4").user.username == "s3@example.test"


def test_an_existing_account_without_staff_is_linked(tmp_path):
    user = get_user_model().objects.create_user(username="s1@example.test", email="s1@example.test")
    import_tables(tmp_path, register_rows())
    assert Staff.objects.get(staff_id="S1").user == user


def test_child_is_restricted_when_any_case_is(tmp_path):
    tables = register_rows()
    tables["cases"][1]["restricted"] = "yes"  # C2 restricted; C1 is the same child, not restricted
    import_tables(tmp_path, tables)
    assert Child.objects.get(child_id="CHC1").restricted
    # A later export without C2: the kept restricted case still restricts the child.
    tables = register_rows()
    del tables["cases"][1]
    outcome = import_tables(tmp_path, tables, name="later", confirm_removals=True)
    assert outcome.counts["children"] == _counts(unchanged=3)
    assert Child.objects.get(child_id="CHC1").restricted


def test_a_case_moving_to_another_child_updates_the_old_childs_restriction(tmp_path):
    import_tables(tmp_path, register_rows())
    assert Child.objects.get(child_id="CHC3").restricted
    outcome = import_tables(
        tmp_path,
        {"cases": [case("C3", child_id="CHC9", child_name="Child Nine")]},
        "moved",
        confirm_removals=True,
    )
    assert outcome.ok
    assert not Child.objects.get(child_id="CHC3").restricted
    assert AuditEvent.objects.filter(action="child.updated", object_ref="CHC3").exists()


def test_the_import_is_recorded_with_its_actor(tmp_path):
    qa = StaffFactory(staff_id="QA1", roles=["qa_officer"])
    folder = write_register(tmp_path / "export", register_rows())
    outcome = register_import_from_path(path=folder, actor=qa.user, via="web")
    record = RegisterImport.objects.get()
    assert record == outcome.register_import
    assert (record.actor, record.via, record.ok, record.error_count) == (qa.user, "web", True, 0)
    assert record.counts == outcome.counts and record.finished_at is not None
    event = AuditEvent.objects.get(action="register.imported")
    assert (event.actor, event.object_type, event.object_ref) == (qa.user, "register_import", str(record.pk))


def test_staff_added_by_hand_are_never_deactivated_by_an_import(tmp_path):
    by_hand = StaffFactory(staff_id="OUT1")  # added in the admin, not by an import
    outcome = import_tables(
        tmp_path, {"teams": register_rows()["teams"], "staff": [staff("S3", line_manager_id="")]}
    )
    assert outcome.ok, [str(e) for e in outcome.errors]
    by_hand.refresh_from_db()
    by_hand.user.refresh_from_db()
    assert (by_hand.is_active, by_hand.in_latest_import, by_hand.user.is_active) == (True, True, True)
    assert outcome.counts["staff"] == _staff_counts(created=1)
    assert Staff.objects.get(staff_id="S3").created_by_import
    assert not Staff.objects.get(staff_id="OUT1").created_by_import
