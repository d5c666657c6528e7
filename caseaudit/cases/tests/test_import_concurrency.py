"""Other people keep working while a register is checked (issue 15).

Validation used to run inside the write transaction; on SQLite (IMMEDIATE transactions take
the write lock at BEGIN) every other write then failed with "database is locked" for as long
as a long import was being checked. Validation now runs with no transaction open, and the
short write transaction checks that the register did not change meanwhile."""

import threading
from typing import Any

import pytest
from django.db import connection, connections

from caseaudit.cases.importer import register_import_from_path, service
from caseaudit.cases.models import Case, RegisterImport
from caseaudit.cases.tests.test_import_support import case, register_rows, write_register
from caseaudit.core.models import AuditEvent
from caseaudit.org.tests.factories import TeamFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _in_transaction() -> bool:
    if connection.in_atomic_block:
        return True
    raw = connection.connection
    return bool(raw is not None and getattr(raw, "in_transaction", False))


def _write_from_another_connection() -> str:
    """What another person's request does meanwhile: a write of its own, committed."""
    outcome: dict[str, str] = {}

    def write() -> None:
        try:
            AuditEvent.objects.create(action="someone.else", object_type="test", object_ref="1")
            outcome["result"] = "committed"
        except Exception as error:  # reported by the caller's assertion
            outcome["result"] = f"{type(error).__name__}: {error}"
        finally:
            connections.close_all()

    thread = threading.Thread(target=write)
    thread.start()
    thread.join(timeout=60)
    return outcome.get("result", "still waiting")


def _spy_on_validation(monkeypatch: pytest.MonkeyPatch, during: Any) -> list[Any]:
    real = service.register_validate
    seen: list[Any] = []

    def validate(source: Any) -> Any:
        seen.append(during())
        return real(source)

    monkeypatch.setattr(service, "register_validate", validate)
    return seen


def _large_register(tmp_path: Any, cases: int = 3000) -> Any:
    tables = register_rows()
    tables["cases"] = [case(f"C{n}", child_id=f"CH{n}") for n in range(cases)]
    return write_register(tmp_path / "large", tables)


def test_no_transaction_is_open_while_the_register_is_validated(tmp_path, monkeypatch):
    seen = _spy_on_validation(monkeypatch, _in_transaction)
    outcome = register_import_from_path(path=_large_register(tmp_path), actor=None)
    assert outcome.ok, [str(e) for e in outcome.errors]
    assert seen == [False]


def test_another_write_commits_while_a_large_import_is_validated(tmp_path, monkeypatch):
    seen = _spy_on_validation(monkeypatch, _write_from_another_connection)
    outcome = register_import_from_path(path=_large_register(tmp_path), actor=None)
    assert seen == ["committed"]
    assert outcome.ok, [str(e) for e in outcome.errors]
    assert AuditEvent.objects.filter(action="someone.else").count() == 1
    assert Case.objects.count() == 3000


def test_a_register_changed_during_validation_is_validated_again(tmp_path, monkeypatch):
    folder = write_register(tmp_path / "export", register_rows())
    teams_added: list[Any] = []

    def someone_adds_a_team_once() -> None:
        if not teams_added:
            teams_added.append(TeamFactory())

    seen = _spy_on_validation(monkeypatch, someone_adds_a_team_once)
    outcome = register_import_from_path(path=folder, actor=None)
    assert outcome.ok, [str(e) for e in outcome.errors]
    assert len(seen) == 2  # the first check was of a register that then changed


def test_a_register_that_keeps_changing_is_refused_and_nothing_is_written(tmp_path, monkeypatch):
    folder = write_register(tmp_path / "export", register_rows())
    _spy_on_validation(monkeypatch, TeamFactory)
    outcome = register_import_from_path(path=folder, actor=None)
    assert not outcome.ok and outcome.register_changed
    assert "the register changed while this import was being checked" in outcome.errors[0].message
    assert not Case.objects.exists()
    assert list(RegisterImport.objects.values_list("ok", flat=True)) == [False]
