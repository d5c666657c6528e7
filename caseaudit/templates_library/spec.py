"""Plain, immutable descriptions of a template version and of an audit's answers.

The grading rules (grading.py) work on these, not on model rows, so they stay pure: the same
spec is built from a parsed YAML document (`template_spec_from_document`) or from the rows of a
loaded version (`selectors.template_spec`)."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

YES, NO, NA = "yes", "no", "na"


@dataclass(frozen=True)
class GradeSpec:
    token: str
    label: str


@dataclass(frozen=True)
class OverallRuleSpec:
    """`lowest_section_grade`, `majority_with_floor` (with `max_steps_above_lowest`) or `none`."""

    rule: str
    max_steps_above_lowest: int = 0


@dataclass(frozen=True)
class QuestionSpec:
    ref: str
    section_ref: str
    text: str
    answer_type: str
    choices: tuple[str, ...] = ()
    multiple: bool = False
    na_allowed: bool = False
    na_requires_reason: bool = False
    required: bool = True
    limiting: bool = False
    limits: tuple[str, ...] = ()


@dataclass(frozen=True)
class SectionSpec:
    ref: str
    title: str
    graded: bool
    questions: tuple[QuestionSpec, ...] = ()


@dataclass(frozen=True)
class TemplateSpec:
    ref: str
    version: int
    grade_scale: tuple[GradeSpec, ...]
    limiting_ceiling: str | None
    overall_rule: OverallRuleSpec
    sections: tuple[SectionSpec, ...]
    _by_ref: dict[str, SectionSpec] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_ref", {section.ref: section for section in self.sections})

    @property
    def grade_tokens(self) -> tuple[str, ...]:
        return tuple(grade.token for grade in self.grade_scale)

    def section(self, ref: str) -> SectionSpec | None:
        return self._by_ref.get(ref)

    def grade_label(self, token: str) -> str:
        return next((grade.label for grade in self.grade_scale if grade.token == token), token)

    @property
    def questions(self) -> tuple[QuestionSpec, ...]:
        return tuple(question for section in self.sections for question in section.questions)

    @property
    def graded_sections(self) -> tuple[SectionSpec, ...]:
        return tuple(section for section in self.sections if section.graded)


@dataclass(frozen=True)
class Answer:
    """One answer: a token (yes / no / na, a choice, a grade), a date or text; `reason` explains NA."""

    value: str | None
    reason: str = ""

    @classmethod
    def from_payload(cls, raw: Any) -> "Answer":
        """CONTRACTS §5: an answer is a token or {"value": token, "reason": text}."""
        if isinstance(raw, Answer):
            return raw
        if isinstance(raw, Mapping):
            value = raw.get("value")
            return cls(value=None if value is None else str(value), reason=str(raw.get("reason") or ""))
        return cls(value=None if raw is None else str(raw))


Answers = Mapping[str, Answer]


def answers_from_payload(payload: Mapping[str, Any]) -> dict[str, Answer]:
    return {ref: Answer.from_payload(raw) for ref, raw in payload.items()}


def question_limits(question: Mapping[str, Any], section: Mapping[str, Any]) -> tuple[str, ...]:
    """A limiting judgement limits the sections it names; by default its own section, if graded."""
    if not question.get("limiting"):
        return ()
    if "limits" in question:
        return tuple(question["limits"])
    return (section["ref"],) if section.get("graded") else ()


def template_spec_from_document(document: Mapping[str, Any], *, version: int = 0) -> TemplateSpec:
    """The spec of a parsed, validated template document (see documents.py)."""
    rule = document["overall_grade_rule"]
    sections = tuple(
        SectionSpec(
            ref=section["ref"],
            title=section["title"],
            graded=bool(section.get("graded", False)),
            questions=tuple(
                QuestionSpec(
                    ref=question["ref"],
                    section_ref=section["ref"],
                    text=question["text"],
                    answer_type=question["answer_type"],
                    choices=tuple(choice["token"] for choice in question.get("choices", ())),
                    multiple=bool(question.get("multiple", False)),
                    na_allowed=bool(question.get("na_allowed", False)),
                    na_requires_reason=bool(question.get("na_requires_reason", False)),
                    required=bool(question.get("required", True)),
                    limiting=bool(question.get("limiting", False)),
                    limits=question_limits(question, section),
                )
                for question in section["questions"]
            ),
        )
        for section in document["sections"]
    )
    return TemplateSpec(
        ref=document["ref"],
        version=version,
        grade_scale=tuple(GradeSpec(grade["token"], grade["label"]) for grade in document["grade_scale"]),
        limiting_ceiling=document.get("limiting_ceiling"),
        overall_rule=OverallRuleSpec(
            rule=rule["rule"], max_steps_above_lowest=int(rule.get("max_steps_above_lowest", 0))
        ),
        sections=sections,
    )
