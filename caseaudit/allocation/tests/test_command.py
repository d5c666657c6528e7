"""`python manage.py allocate` (CONTRACTS §6): the JSON's shape, dry runs, confirming, exit codes."""

import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from caseaudit.allocation.management.commands.allocate import Command
from caseaudit.allocation.models import AllocationRun
from caseaudit.allocation.tests.helpers import council, templates
from caseaudit.audits.models import Audit
from caseaudit.conftest import Authority

__all__ = ["council", "templates"]
pytestmark = pytest.mark.usefixtures("council")


def allocate(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("allocate", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_dry_run_json_has_the_contract_shape_with_register_ids_and_saves_nothing() -> None:
    out, _ = allocate("--month", "2026-12", "--dry-run", "--format", "json")
    data = json.loads(out)
    assert list(data) == ["month", "seed", "allocations", "passed_over", "relaxed", "auditor_load"]
    assert (data["month"], data["seed"], data["auditor_load"]) == (
        "2026-12",
        202612,
        {"GMA": 1, "GMB": 1, "GMC": 1},
    )
    for pair in data["allocations"]:
        assert list(pair) == ["case_id", "auditor_id", "same_area", "reasons"]
        assert pair["case_id"].startswith("C-") and pair["auditor_id"].startswith("GM")
        assert all(list(reason) == ["code", "message"] for reason in pair["reasons"])
    assert all(list(p) == ["case_id", "code", "reason"] for p in data["passed_over"])
    assert all(list(r) == ["case_id", "rule", "code", "reason"] for r in data["relaxed"])
    assert {p["case_id"] for p in data["allocations"]} | {p["case_id"] for p in data["passed_over"]} == {
        "C-OWN",
        "C-OTHER",
        "C-RESTRICTED",
        "C-EXTRA",
    }
    assert not AllocationRun.objects.exists() and not Audit.objects.exists()
    again, _ = allocate("--month", "2026-12", "--dry-run", "--format", "json")
    assert again == out  # same inputs and seed, same result
    seeded = json.loads(allocate("--month", "2026-12", "--dry-run", "--format", "json", "--seed", "7")[0])
    assert seeded["seed"] == 7
    two = json.loads(allocate("--month", "2026-12", "--dry-run", "--format", "json", "--per-auditor", "2")[0])
    assert sum(two["auditor_load"].values()) == 4


def test_dry_run_text() -> None:
    out, _ = allocate("--month", "2026-12", "--dry-run")
    assert out.startswith("2026-12: 3 cases for 3 auditors (seed 202612)")
    assert "Dry run: nothing was saved." in out


def test_confirming_drafts_and_confirms_and_a_second_run_exits_1(council: Authority) -> None:
    out, _ = allocate("--month", "2026-12", "--format", "json", "--actor", "QA1")
    data = json.loads(out)
    assert set(data) == {"month", "seed", "allocations", "passed_over", "relaxed", "auditor_load"}
    run = AllocationRun.objects.get(status="confirmed")
    assert run.confirmed_by == council.people["qa_officer"].user and run.result == data
    assert Audit.objects.filter(allocation_month=run.month, status="allocated").count() == 3
    with pytest.raises(SystemExit) as exit_status:
        allocate("--month", "2026-12", "--actor", "QA1")
    assert exit_status.value.code == 1
    err = StringIO()
    with pytest.raises(SystemExit):
        call_command("allocate", "--month", "2026-12", "--actor", "QA1", stdout=StringIO(), stderr=err)
    name = council.people["qa_officer"].name
    assert f"December 2026 is already allocated (confirmed by {name} on " in err.getvalue()
    assert AllocationRun.objects.filter(status="confirmed").count() == 1


def test_refusal_in_json_is_an_object_with_errors() -> None:
    allocate("--month", "2026-12", "--actor", "QA1")
    out = StringIO()
    with pytest.raises(SystemExit):
        call_command(
            "allocate",
            "--month",
            "2026-12",
            "--actor",
            "QA1",
            "--format",
            "json",
            stdout=out,
            stderr=StringIO(),
        )
    body = json.loads(out.getvalue())
    assert body["ok"] is False and body["errors"][0]["field"] == "month"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--month", "2026-12"], "--actor STAFF_ID is required"),
        (["--month", "2026-13", "--dry-run"], "--month must be YYYY-MM"),
        (["--month", "December", "--dry-run"], "--month must be YYYY-MM"),
        (["--month", "2026-12", "--actor", "NOBODY"], 'no active staff member "NOBODY"'),
        (["--month", "2026-12", "--actor", "GMA"], "GMA may not run the allocation"),
        (["--month", "2026-12", "--dry-run", "--per-auditor", "-1"], "--per-auditor must be 0 to"),
    ],
)
def test_wrong_use_exits_2(args: list[str], message: str) -> None:
    with pytest.raises(CommandError) as error:
        allocate(*args)
    assert error.value.returncode == 2 and message in str(error.value)
    assert not AllocationRun.objects.exists()


def test_argument_errors_on_the_command_line_exit_2(capsys: Any) -> None:
    command = Command()
    command._called_from_command_line = True  # as manage.py runs it
    parser = command.create_parser("manage.py", "allocate")
    for argv in ([], ["--month", "2026-12", "--seed", "abc"], ["--month", "2026-12", "--format", "xml"]):
        with pytest.raises(SystemExit) as exit_status:
            parser.parse_args(argv)
        assert exit_status.value.code == 2
