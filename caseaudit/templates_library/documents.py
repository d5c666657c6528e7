"""Reading the YAML files of audit_templates/ and checking them, before anything is stored.

Every file is parsed, checked against its JSON Schema (audit_templates/schema/), then checked
for what a schema cannot say (refs that point at nothing, grades outside the scale). Every
problem is collected, each naming its file and the JSON path inside it, so that one run shows
them all; the loader stores nothing unless there are none."""

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match

from caseaudit.templates_library.semantics import audit_types_problems, template_problems

AUDIT_TYPES_REF = "audit_types"
SCHEMA_DIR = Path(__file__).resolve().parents[2] / "audit_templates" / "schema"


@dataclass(frozen=True)
class FileProblem:
    filename: str
    path: str  # a JSON path such as $.sections[0].questions[2].answer_type, or a line and column
    message: str

    def __str__(self) -> str:
        return f"{self.filename}: {self.path}: {self.message}"


class TemplateFilesInvalid(Exception):
    def __init__(self, problems: list[FileProblem]) -> None:
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = problems


@dataclass(frozen=True)
class TemplateDocument:
    filename: str
    raw_text: str
    sha256: str
    data: dict[str, Any]

    @property
    def ref(self) -> str:
        return str(self.data["ref"])

    @property
    def is_audit_types(self) -> bool:
        return self.ref == AUDIT_TYPES_REF


class _TemplateYamlLoader(yaml.SafeLoader):
    """YAML read the way a person reads it: only true/false are booleans (a choice token `yes`
    or `no` stays text), dates stay text (the schema checks their form), and a key given twice
    in one mapping is an error instead of silently keeping the last."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, str) and key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"the key {key!r} is given twice", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


_BOOL_TAG, _TIMESTAMP_TAG = "tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp"
_TemplateYamlLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in (_BOOL_TAG, _TIMESTAMP_TAG)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_TemplateYamlLoader.add_implicit_resolver(
    _BOOL_TAG, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def yaml_parse(text: str) -> Any:
    return yaml.load(text, Loader=_TemplateYamlLoader)  # noqa: S506 - a SafeLoader subclass


@cache
def _validator(schema_name: str) -> Draft202012Validator:
    schema = json.loads((SCHEMA_DIR / f"{schema_name}.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def schema_problems(filename: str, data: Any) -> list[FileProblem]:
    """The JSON Schema's complaints about one parsed file, in document order."""
    is_audit_types = isinstance(data, dict) and data.get("ref") == AUDIT_TYPES_REF
    validator = _validator("audit_types" if is_audit_types else "audit_template")
    problems = []
    for error in sorted(validator.iter_errors(data), key=lambda error: list(map(str, error.absolute_path))):
        # A oneOf/anyOf error says only "is not valid under any of the given schemas": show
        # the complaint of the alternative that came closest instead.
        shown: ValidationError = best_match(error.context) if error.context else error
        message = f"{shown.message}, not {shown.instance!r}" if shown.validator == "const" else shown.message
        problems.append(FileProblem(filename, shown.json_path, message))
    return problems


def document_read(path: Path) -> tuple[TemplateDocument | None, list[FileProblem], str | None]:
    """One file: its parsed document if it can be read and matches its schema, else its problems;
    and its ref, when it can be told even from a file that does not match its schema."""
    filename = path.name
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return None, [FileProblem(filename, f"byte {error.start}", "the file is not UTF-8 text")], None
    try:
        data = yaml_parse(text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "$"
        return None, [FileProblem(filename, where, f"not valid YAML: {error.problem or error.context}")], None
    if not isinstance(data, dict):
        return None, [FileProblem(filename, "$", "the file must be a YAML mapping (key: value lines)")], None
    ref = data.get("ref") if isinstance(data.get("ref"), str) else None
    problems = schema_problems(filename, data)
    if problems:
        return None, problems, ref
    document = TemplateDocument(filename, text, hashlib.sha256(raw).hexdigest(), data)
    return document, [], ref


def documents_read(
    directory: Path, *, stored_templates: Mapping[str, Mapping[str, Any]]
) -> list[TemplateDocument]:
    """Every template file of `directory` (its *.yaml and *.yml), checked singly and together.

    `stored_templates` maps the refs of templates already loaded to their current data, so an
    audit type or a moderation form may name a template that is not in this directory.
    FileNotFoundError if there is no such directory; TemplateFilesInvalid listing every problem."""
    if not directory.is_dir():
        raise FileNotFoundError(f"no template directory {directory}")
    paths = sorted([*directory.glob("*.yaml"), *directory.glob("*.yml")])
    documents, problems, unchecked = [], [], set()
    for path in paths:
        document, file_problems, ref = document_read(path)
        problems += file_problems
        if document is not None:
            documents.append(document)
        elif ref is not None:
            unchecked.add(ref)
    if not paths:
        problems.append(FileProblem(directory.name, "$", "there are no .yaml files in this directory"))
    problems += _documents_problems(documents, stored_templates, unchecked)
    if problems:
        raise TemplateFilesInvalid(problems)
    return documents


def _documents_problems(
    documents: Iterable[TemplateDocument],
    stored_templates: Mapping[str, Mapping[str, Any]],
    unchecked: set[str],
) -> list[FileProblem]:
    """Problems between files. A ref whose own file has problems (`unchecked`) is not reported
    again as missing by the files that name it."""
    problems: list[FileProblem] = []
    seen: dict[str, str] = {}
    for document in documents:
        if document.ref in seen:
            problems.append(
                FileProblem(
                    document.filename, "$.ref", f"{document.ref!r} is also the ref of {seen[document.ref]}"
                )
            )
        seen.setdefault(document.ref, document.filename)
    templates = {**stored_templates}
    templates.update({d.ref: d.data for d in documents if not d.is_audit_types})
    for document in documents:
        found = (
            audit_types_problems(document.data, templates, unchecked)
            if document.is_audit_types
            else template_problems(document.data, templates, unchecked)
        )
        problems += [FileProblem(document.filename, path, message) for path, message in found]
    return problems
