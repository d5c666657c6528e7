"""Single values of the register: dates, yes/no flags, roles, spreadsheet cells, messages."""

import datetime

import pytest

from caseaudit.cases.importer import ImportOutcome, ImportProblem
from caseaudit.cases.importer.parsing import cell_text, header_name, parse_date, parse_flag, parse_roles


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-01-05", datetime.date(2026, 1, 5)),
        ("05/01/2026", datetime.date(2026, 1, 5)),
        ("5/1/2026", datetime.date(2026, 1, 5)),
        ("", None),
    ],
)
def test_dates_iso_or_uk(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["2026-02-30", "31/04/2026", "01-05-2026", "January 2026", "2026/01/05"])
def test_bad_dates(text):
    with pytest.raises(ValueError, match=text):
        parse_date(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("yes", True),
        ("YES", True),
        ("True", True),
        ("1", True),
        ("no", False),
        ("false", False),
        ("0", False),
    ],
)
def test_flags(text, expected):
    assert parse_flag(text) is expected


@pytest.mark.parametrize("text", ["y", "n", "2", "maybe", ""])
def test_bad_flags(text):
    with pytest.raises(ValueError, match="is not yes or no"):
        parse_flag(text)


def test_roles_are_split_on_semicolons():
    assert parse_roles(" social_worker ; Practice_Manager;;social_worker") == [
        "social_worker",
        "practice_manager",
    ]


def test_spreadsheet_cells_as_text():
    assert cell_text(None) == ""
    assert cell_text("  S1 ") == "S1"
    assert cell_text(42) == "42"
    assert cell_text(42.0) == "42"
    assert cell_text(True) == "yes"
    assert cell_text(datetime.datetime(2026, 1, 5, 0, 0)) == "2026-01-05"
    assert header_name(" Team_ID ") == "team_id"


def test_problem_text_and_dict():
    problem = ImportProblem("cases.csv", 12, "team_id", 'no team "T999" in teams.csv or the register')
    assert str(problem) == 'cases.csv line 12, column team_id: no team "T999" in teams.csv or the register'
    assert problem.as_dict() == {
        "file": "cases.csv",
        "line": 12,
        "column": "team_id",
        "message": 'no team "T999" in teams.csv or the register',
    }
    assert str(ImportProblem("staff.csv", None, None, "not UTF-8")) == "staff.csv: not UTF-8"
    assert str(ImportProblem("Staff", 3, "email", "x", kind="sheet")) == "Staff sheet line 3, column email: x"


def test_outcome_json_shapes():
    warning = ImportProblem("cases.csv", None, "notes", 'unknown column "notes" ignored')
    counts = {
        t: {"created": 1, "updated": 0, "unchanged": 0} for t in ("teams", "staff", "children", "cases")
    }
    ok = ImportOutcome(ok=True, counts=counts, warnings=[warning], errors=[], register_import=None)
    assert list(ok.as_json()) == ["ok", "teams", "staff", "children", "cases", "warnings"]
    assert ok.as_json()["warnings"] == [
        {"file": "cases.csv", "line": None, "column": "notes", "message": 'unknown column "notes" ignored'}
    ]
    error = ImportProblem("cases.csv", 2, "case_id", "x")
    refused = ImportOutcome(ok=False, counts=counts, warnings=[warning], errors=[error], register_import=None)
    assert refused.as_json() == {"ok": False, "errors": [error.as_dict()]}
