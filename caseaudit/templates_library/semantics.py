"""The checks a JSON Schema cannot make: refs that must point at something, grades that must be
in the template's own scale. Each problem is (JSON path, message). Run after the schema, so
the shape of the data can be taken for granted."""

from collections.abc import Mapping
from typing import Any

from caseaudit.templates_library.spec import NA, NO, YES

Found = list[tuple[str, str]]
RESERVED_REFS = {"audit_types"}


def template_problems(
    template: Mapping[str, Any], templates: Mapping[str, Mapping[str, Any]], unchecked: set[str]
) -> Found:
    """`templates`: every template known (this directory's and those already loaded), by ref;
    `unchecked`: refs of files with problems of their own, not to be reported again here."""
    found: Found = []
    if template["ref"] in RESERVED_REFS:
        found.append(("$.ref", f"{template['ref']!r} is reserved for the audit types file"))
    scale = [grade["token"] for grade in template["grade_scale"]]
    _unique(found, scale, "$.grade_scale[{}].token", "grade")
    ceiling = template.get("limiting_ceiling")
    if ceiling is not None and ceiling not in scale:
        found.append(("$.limiting_ceiling", f"{ceiling!r} is not a grade of this template's grade_scale"))
    elif ceiling is not None and scale and ceiling == scale[0]:
        found.append(
            ("$.limiting_ceiling", "must not be the best grade, or limiting judgements limit nothing")
        )
    sections = template["sections"]
    graded = {section["ref"] for section in sections if section.get("graded")}
    if template["kind"] == "audit" and not graded:
        found.append(("$.sections", "an audit template needs at least one graded section"))
    _unique(found, [section["ref"] for section in sections], "$.sections[{}].ref", "section ref")
    question_refs = {q["ref"]: q for section in sections for q in section["questions"]}
    seen_questions: set[str] = set()
    for s_index, section in enumerate(sections):
        for q_index, question in enumerate(section["questions"]):
            if question["ref"] in seen_questions:
                path = f"$.sections[{s_index}].questions[{q_index}].ref"
                found.append((path, f"the question ref {question['ref']!r} is used more than once"))
            seen_questions.add(question["ref"])
    for s_index, section in enumerate(sections):
        found += _section_problems(template, section, f"$.sections[{s_index}]", scale, graded, question_refs)
    if template["kind"] == "moderation":
        for index, ref in enumerate(template.get("moderates", ())):
            moderated = templates.get(ref)
            path = f"$.moderates[{index}]"
            if ref in unchecked:
                continue
            if moderated is None or moderated.get("kind") != "audit":
                found.append((path, f"there is no audit template {ref!r} to moderate"))
            elif [grade["token"] for grade in moderated["grade_scale"]] != scale:
                found.append(("$.grade_scale", f"must be the grade scale of {ref!r}, which it moderates"))
    return found


def _section_problems(
    template: Mapping[str, Any],
    section: Mapping[str, Any],
    path: str,
    scale: list[str],
    graded: set[str],
    question_refs: Mapping[str, Mapping[str, Any]],
) -> Found:
    found: Found = []
    if section.get("repeat") and template["kind"] != "moderation":
        found.append((f"{path}.repeat", "only a moderation form repeats a section for the moderated grades"))
    descriptors = section.get("descriptors", {})
    if descriptors and not section.get("graded"):
        found.append((f"{path}.descriptors", "only a graded section has grade descriptors"))
    for grade in descriptors:
        if grade not in scale:
            found.append((f"{path}.descriptors.{grade}", f"{grade!r} is not a grade of this template"))
    for q_index, question in enumerate(section["questions"]):
        q_path = f"{path}.questions[{q_index}]"
        ref = question["ref"]
        if not ref.startswith(f"{section['ref']}."):
            found.append(
                (
                    f"{q_path}.ref",
                    f"{ref!r} must start with {section['ref'] + '.'!r} (its section's ref and a dot)",
                )
            )
        if question["answer_type"] == "grade" and not scale:
            found.append((f"{q_path}.answer_type", "a grade question needs the template's grade_scale"))
        if question.get("limiting") and template.get("limiting_ceiling") is None:
            found.append((f"{q_path}.limiting", "a limiting judgement needs the template's limiting_ceiling"))
        for l_index, limited in enumerate(question.get("limits", ())):
            if limited not in graded:
                found.append((f"{q_path}.limits[{l_index}]", f"{limited!r} is not a graded section"))
        condition = question.get("required_if")
        if condition is not None:
            target = question_refs.get(condition["question"])
            if target is None or condition["question"] == ref:
                found.append(
                    (f"{q_path}.required_if.question", f"no other question {condition['question']!r}")
                )
            else:
                found += _tokens_problems(condition["in"], target, f"{q_path}.required_if.in")
        if "escalation" in question:
            found += _tokens_problems(question["escalation"]["when"], question, f"{q_path}.escalation.when")
    return found


def audit_types_problems(
    document: Mapping[str, Any], templates: Mapping[str, Mapping[str, Any]], unchecked: set[str]
) -> Found:
    found: Found = []
    types = document["types"]
    _unique(found, [audit_type["token"] for audit_type in types], "$.types[{}].token", "audit type")
    for index, audit_type in enumerate(types):
        path = f"$.types[{index}]"
        template = templates.get(audit_type["template"])
        if audit_type["template"] not in unchecked and (template is None or template.get("kind") != "audit"):
            found.append((f"{path}.template", f"there is no audit template {audit_type['template']!r}"))
        fields = audit_type.get("fields", ())
        _unique(found, [field["ref"] for field in fields], f"{path}.fields[{{}}].ref", "field ref")
        for f_index, field in enumerate(fields):
            if "must_be" in field:
                found += _tokens_problems(field["must_be"], field, f"{path}.fields[{f_index}].must_be")
    return found


def _tokens_problems(tokens: list[str], question: Mapping[str, Any], path: str) -> Found:
    """Tokens that `question` can never be answered with."""
    if question["answer_type"] == "choice":
        allowed = {choice["token"] for choice in question["choices"]}
    elif question["answer_type"] == "yes_no_na":
        allowed = {YES, NO, NA} if question.get("na_allowed") else {YES, NO}
    else:
        return [(path, f"{question['ref']!r} is answered with free text or a date, not tokens")]
    return [
        (f"{path}[{index}]", f"{token!r} is not an answer of {question['ref']!r}")
        for index, token in enumerate(tokens)
        if token not in allowed
    ]


def _unique(found: Found, values: list[str], path_format: str, what: str) -> None:
    seen: set[str] = set()
    for index, value in enumerate(values):
        if value in seen:
            found.append((path_format.format(index), f"the {what} {value!r} is used more than once"))
        seen.add(value)
