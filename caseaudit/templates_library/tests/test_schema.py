"""Every file of audit_templates/ matches its JSON Schema, and the checks refuse bad files
with the file and the JSON path named (TPL-1)."""

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from caseaudit.templates_library.documents import (
    SCHEMA_DIR,
    TemplateFilesInvalid,
    documents_read,
    schema_problems,
    yaml_parse,
)
from caseaudit.templates_library.tests.conftest import TEMPLATES_DIR

YAML_FILES = sorted(TEMPLATES_DIR.rglob("*.yaml")) + sorted(TEMPLATES_DIR.rglob("*.yml"))


def test_there_are_the_five_files() -> None:
    assert {path.name for path in YAML_FILES} == {
        "audit_types.yaml",
        "family_feedback.yaml",
        "practice_audit.yaml",
        "stage1_good_practice.yaml",
        "stage2_moderation.yaml",
    }


@pytest.mark.parametrize("schema_path", sorted(SCHEMA_DIR.glob("*.schema.json")), ids=lambda p: p.name)
def test_schemas_are_valid_draft_2020_12(schema_path: Path) -> None:
    schema = json.loads(schema_path.read_text())
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("path", YAML_FILES, ids=lambda p: p.name)
def test_every_yaml_file_matches_its_schema(path: Path) -> None:
    assert schema_problems(path.name, yaml_parse(path.read_text())) == []


def test_the_files_pass_the_cross_reference_checks_together() -> None:
    refs = {document.ref for document in documents_read(TEMPLATES_DIR, stored_templates={})}
    assert refs == {
        "audit_types",
        "family_feedback",
        "practice_audit",
        "stage1_good_practice",
        "stage2_moderation",
    }


def test_yes_and_no_stay_text_and_dates_stay_strings() -> None:
    data = yaml_parse('a: yes\nb: no\nc: true\nd: 2020-07-24\ne: "2022-10"\n')
    assert data == {"a": "yes", "b": "no", "c": True, "d": "2020-07-24", "e": "2022-10"}


def _stage1() -> dict[str, Any]:
    return yaml_parse((TEMPLATES_DIR / "stage1_good_practice.yaml").read_text())


def _problems(data: dict[str, Any]) -> list[str]:
    return [f"{p.path}: {p.message}" for p in schema_problems("x.yaml", data)]


def test_a_limiting_judgement_must_be_yes_no_na() -> None:
    data = _stage1()
    data["sections"][0]["questions"][1]["answer_type"] = "text"
    assert _problems(data) == ["$.sections[0].questions[1].answer_type: 'yes_no_na' was expected, not 'text'"]


def test_na_requires_reason_needs_na_allowed() -> None:
    data = _stage1()
    question = data["sections"][0]["questions"][2]
    assert question["ref"] == "assessment.child_seen_alone"
    question["na_allowed"] = False
    assert _problems(data) == ["$.sections[0].questions[2].na_allowed: True was expected, not False"]


def test_unknown_answer_type_and_unknown_key_are_named() -> None:
    data = _stage1()
    data["sections"][1]["questions"][0]["answer_type"] = "bool"
    data["sections"][1]["colour"] = "red"
    problems = _problems(data)
    assert any(p.startswith("$.sections[1].questions[0].answer_type: 'bool' is not one of") for p in problems)
    assert any(p.startswith("$.sections[1]: Additional properties") and "'colour'" in p for p in problems)


def test_an_audit_needs_a_limiting_ceiling_and_a_real_rule() -> None:
    data = _stage1()
    del data["limiting_ceiling"]
    data["overall_grade_rule"] = {"rule": "none"}
    problems = _problems(data)
    assert "$: 'limiting_ceiling' is a required property" in problems
    assert any(p.startswith("$.overall_grade_rule.rule:") for p in problems)


def test_actions_table_needs_the_smart_columns() -> None:
    data = _stage1()
    data["sections"][-1]["actions_table"]["columns"] = [
        {"ref": "what", "label": "What", "type": "text"},
        {"ref": "who", "label": "Who", "type": "person"},
        {"ref": "when", "label": "When", "type": "date"},
        {"ref": "impact", "label": "Impact", "type": "text"},
    ]
    assert any(p.startswith("$.sections[5].actions_table.columns") for p in _problems(data))


def _write_copy(tmp_path: Path, name: str, text: str) -> Path:
    directory = tmp_path / "templates"
    directory.mkdir(exist_ok=True)
    for path in TEMPLATES_DIR.glob("*.yaml"):
        (directory / path.name).write_text(path.read_text())
    (directory / name).write_text(text)
    return directory


def test_cross_reference_problems_name_file_and_path(tmp_path: Path) -> None:
    text = (TEMPLATES_DIR / "stage1_good_practice.yaml").read_text()
    text = text.replace("- ref: planning.smart", "- ref: review.smart")
    text = text.replace(
        "      requires_improvement:\n        source: seed",
        "      requires_improvment:\n        source: seed",
        1,
    )
    directory = _write_copy(tmp_path, "stage1_good_practice.yaml", text)
    with pytest.raises(TemplateFilesInvalid) as caught:
        documents_read(directory, stored_templates={})
    messages = [str(problem) for problem in caught.value.problems]
    assert (
        "stage1_good_practice.yaml: $.sections[1].questions[2].ref: 'review.smart' must start with "
        "'planning.' (its section's ref and a dot)" in messages
    )
    assert (
        "stage1_good_practice.yaml: $.sections[0].descriptors.requires_improvment: "
        "'requires_improvment' is not a grade of this template" in messages
    )


def test_an_audit_type_must_name_a_known_audit_template(tmp_path: Path) -> None:
    text = (
        (TEMPLATES_DIR / "audit_types.yaml")
        .read_text()
        .replace("template: stage1_good_practice", "template: stage_one")
    )
    directory = _write_copy(tmp_path, "audit_types.yaml", text)
    with pytest.raises(TemplateFilesInvalid) as caught:
        documents_read(directory, stored_templates={})
    assert [str(p) for p in caught.value.problems] == [
        "audit_types.yaml: $.types[0].template: there is no audit template 'stage_one'"
    ]


def test_a_template_already_loaded_can_be_named_from_another_directory(tmp_path: Path) -> None:
    directory = tmp_path / "only_types"
    directory.mkdir()
    (directory / "audit_types.yaml").write_text((TEMPLATES_DIR / "audit_types.yaml").read_text())
    with pytest.raises(TemplateFilesInvalid):
        documents_read(directory, stored_templates={})
    stored = {ref: {"kind": "audit", "grade_scale": []} for ref in ("stage1_good_practice", "practice_audit")}
    assert [d.ref for d in documents_read(directory, stored_templates=stored)] == ["audit_types"]


def test_yaml_errors_and_duplicate_keys_name_the_line(tmp_path: Path) -> None:
    directory = tmp_path / "bad"
    directory.mkdir()
    (directory / "a.yaml").write_text("ref: a\nsections: [1, 2\n")
    (directory / "b.yaml").write_text("ref: b\nref: c\n")
    (directory / "c.yaml").write_bytes("ref: caf\xe9\n".encode("latin-1"))
    with pytest.raises(TemplateFilesInvalid) as caught:
        documents_read(directory, stored_templates={})
    messages = [str(p) for p in caught.value.problems]
    assert messages[0].startswith("a.yaml: line 3, column 1: not valid YAML")
    assert messages[1] == "b.yaml: line 2, column 1: not valid YAML: the key 'ref' is given twice"
    assert messages[2] == "c.yaml: byte 8: the file is not UTF-8 text"


def test_every_problem_of_every_file_is_reported(tmp_path: Path) -> None:
    stage1 = _stage1()
    broken = copy.deepcopy(stage1)
    broken["kind"] = "survey"
    directory = _write_copy(tmp_path, "extra.yaml", json.dumps(broken))
    (directory / "more.yaml").write_text(json.dumps({**stage1, "ref": "stage1_good_practice"}))
    with pytest.raises(TemplateFilesInvalid) as caught:
        documents_read(directory, stored_templates={})
    messages = [str(p) for p in caught.value.problems]
    assert any(m.startswith("extra.yaml: $.kind: 'survey' is not one of") for m in messages)
    assert "stage1_good_practice.yaml: $.ref: 'stage1_good_practice' is also the ref of more.yaml" in messages
