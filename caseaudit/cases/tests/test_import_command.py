"""`manage.py import_register`: exit status 0/1/2, the text summary and the JSON object."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from caseaudit.cases.models import Case, RegisterImport
from caseaudit.cases.tests.test_import_support import register_rows, write_register, write_zip
from caseaudit.org.models import Staff
from caseaudit.org.tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[int, str, str]:
    """(exit status, stdout, stderr) of the command, as the shell would see them."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_register", *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue(), err.getvalue()
    except CommandError as error:
        return error.returncode, out.getvalue(), str(error)
    return 0, out.getvalue(), err.getvalue()


def _bad_register(tmp_path):
    tables = register_rows()
    tables["cases"][1]["team_id"] = "T999"
    tables["cases"][2]["case_type"] = "adoption"
    return write_register(tmp_path / "bad", tables)


def test_success_prints_a_summary_and_exits_0(tmp_path):
    tables = register_rows()
    tables["cases"][0]["notes"] = "extra"
    status, out, _ = run(str(write_register(tmp_path / "export", tables)))
    assert status == 0
    assert "Teams: 2 created, 0 updated, 0 unchanged" in out
    assert "Cases: 4 created, 0 updated, 0 unchanged" in out
    assert 'cases.csv, column notes: unknown column "notes" ignored' in out


def test_errors_are_printed_one_per_line_and_exit_1(tmp_path):
    status, out, err = run(str(_bad_register(tmp_path)))
    assert status == 1
    lines = out.splitlines()
    assert 'cases.csv line 3, column team_id: no team "T999" in teams.csv or the register' in lines
    assert any(line.startswith("cases.csv line 4, column case_type: bad case_type") for line in lines)
    assert "Nothing was imported" in err
    assert Case.objects.count() == 0
    assert RegisterImport.objects.get().error_count == 2


@pytest.mark.parametrize("name", ["no-such-folder", "broken.zip"])
def test_an_unusable_source_exits_2(tmp_path, name):
    (tmp_path / "broken.zip").write_bytes(b"garbage")
    status, _, message = run(str(tmp_path / name))
    assert status == 2
    assert name in message


def test_json_on_success(tmp_path):
    path = write_zip(tmp_path / "register.zip", register_rows())
    status, out, _ = run(str(path), "--format", "json")
    assert status == 0
    result = json.loads(out)
    assert result == {
        "ok": True,
        "teams": {"created": 2, "updated": 0, "unchanged": 0, "not_in_latest_import": 0},
        "staff": {"created": 5, "updated": 0, "unchanged": 0, "not_in_latest_import": 0, "deactivated": 0},
        "children": {"created": 3, "updated": 0, "unchanged": 0, "not_in_latest_import": 0},
        "cases": {"created": 4, "updated": 0, "unchanged": 0, "not_in_latest_import": 0},
        "warnings": [],
    }
    status, out, _ = run(str(path), "--format", "json")
    assert json.loads(out)["cases"] == {"created": 0, "updated": 0, "unchanged": 4, "not_in_latest_import": 0}


def test_json_on_refusal_lists_every_error(tmp_path):
    status, out, _ = run(str(_bad_register(tmp_path)), "--format", "json")
    assert status == 1
    result = json.loads(out)
    assert set(result) == {"ok", "errors"} and result["ok"] is False
    assert result["errors"] == [
        {
            "file": "cases.csv",
            "line": 3,
            "column": "team_id",
            "message": 'no team "T999" in teams.csv or the register',
        },
        {
            "file": "cases.csv",
            "line": 4,
            "column": "case_type",
            "message": result["errors"][1]["message"],
        },
    ]


def test_actor_by_staff_id_or_email(tmp_path):
    qa = StaffFactory(staff_id="QA9", email="qa9@example.test", roles=["qa_officer"])
    folder = write_register(tmp_path / "export", {"teams": register_rows()["teams"]})
    assert run(str(folder), "--actor", "QA9")[0] == 0
    assert run(str(folder), "--actor", "QA9@Example.test")[0] == 0
    assert list(RegisterImport.objects.values_list("actor", "via")) == [(qa.user.pk, "command")] * 2
    status, _, message = run(str(folder), "--actor", "nobody")
    assert status == 2 and "nobody" in message


def test_removals_over_the_share_need_confirm_removals(tmp_path):
    assert run(str(write_register(tmp_path / "first", register_rows())))[0] == 0
    tables = register_rows()
    del tables["staff"][3:5]  # S4 and S5 leave: 2 of the 5 active staff
    tables["cases"] = [case for case in tables["cases"] if case["allocated_worker_id"] != "S4"]
    folder = write_register(tmp_path / "later", tables)

    status, out, err = run(str(folder), "--format", "json")
    assert status == 1
    result = json.loads(out)
    assert result["confirmation_needed"] is True
    assert result["removals"]["staff"] == {"deactivated": 2, "active": 5}
    status, out, err = run(str(folder))
    assert status == 1
    assert "This import would deactivate 2 of the 5 active staff" in err and "--confirm-removals" in err
    assert Staff.objects.filter(is_active=True).count() == 5

    status, out, _ = run(str(folder), "--confirm-removals")
    assert status == 0
    assert "Staff: 0 created, 0 updated, 3 unchanged, 2 not in this import, 2 deactivated" in out
    assert "Cases: 0 created, 0 updated, 3 unchanged, 1 not in this import" in out


def test_errors_beyond_the_first_thousand_are_counted(tmp_path):
    rows = [dict(register_rows()["cases"][0], case_id=f"C{n}", case_type="bad") for n in range(1200)]
    folder = write_register(tmp_path / "bad", {"teams": register_rows()["teams"], "cases": rows})
    status, out, err = run(str(folder), "--actor", StaffFactory(roles=["qa_officer"]).staff_id)
    assert status == 1
    lines = out.splitlines()
    # C1..C1200 each have a bad case_type and an unknown worker S3: 2,400 errors.
    assert len([line for line in lines if line.startswith("cases.csv line")]) == 1000
    assert "and 1,400 more errors" in lines
    assert "2,400 error(s)" in err
