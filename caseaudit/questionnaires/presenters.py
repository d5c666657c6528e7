"""A questionnaire's form as GOV.UK components: the parameters of each component (radios, date
input, textarea...) built from the template's questions, what the person typed and the errors,
for `{% govuk_component name params %}`. Labels, legends and hints come from the template data;
where a page is not a questionnaire, a Django form does this instead (ADR 0006)."""

from dataclasses import dataclass
from typing import Any

from django.utils.html import escape

from caseaudit.questionnaires.forms import AnswerInput, DateParts, FieldErrors, question_field_id
from caseaudit.templates_library import grading
from caseaudit.templates_library.models import Question
from caseaudit.templates_library.spec import NA, NO, YES, TemplateSpec

LIMITING_TAG = '<strong class="govuk-tag govuk-tag--orange">Limiting judgement</strong>'


@dataclass(frozen=True)
class Component:
    name: str
    params: dict[str, Any]


def date_input(
    field_id: str,
    label: str,
    parts: DateParts,
    errors: FieldErrors,
    *,
    hint: str = "",
    legend_classes: str = "",
) -> Component:
    error = errors.get(field_id)
    width = "govuk-input--width-2"
    invalid = " govuk-input--error" if error else ""
    return Component(
        "date-input",
        {
            "id": field_id,
            "namePrefix": field_id,
            "fieldset": {"legend": {"text": label, "classes": legend_classes or "govuk-fieldset__legend--s"}},
            "hint": {"text": hint} if hint else None,
            "errorMessage": error,
            "items": [
                {"name": "day", "label": "Day", "value": parts.day, "classes": width + invalid},
                {"name": "month", "label": "Month", "value": parts.month, "classes": width + invalid},
                {
                    "name": "year",
                    "label": "Year",
                    "value": parts.year,
                    "classes": "govuk-input--width-4" + invalid,
                },
            ],
        },
    )


def hint_of(text: str) -> dict[str, str] | None:
    return {"text": text} if text else None


# --- limiting judgements (GRD-2) -------------------------------------------------------------


def limiting_note(question: Question, template: TemplateSpec) -> str:
    """What a limiting judgement limits, in words, from the template: the sections it names and
    the overall grade, the grades it stands between, and the answers that meet it. Empty for a
    question that is not a limiting judgement."""
    if not question.limiting:
        return ""
    titles = [section.title for ref in question.limits if (section := template.section(ref)) is not None]
    what = f"{_and(titles)} and the overall grade" if titles else "The overall grade"
    rank = grading.ceiling_rank(template)
    limited = template.grade_scale[max(rank - 1, 0)].label
    grades = f"{limited} or better" if rank > 1 else limited
    met = "Yes"
    if question.na_allowed:
        met += ", or NA with the reason" if question.na_requires_reason else ", or NA"
    return f"{what} can be {grades} only if the answer is {met}."


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _legend(question: Question) -> dict[str, str]:
    classes = "govuk-fieldset__legend--s"
    if question.limiting:
        return {"html": f"{escape(question.text)} {LIMITING_TAG}", "classes": classes}
    return {"text": question.text, "classes": classes}


def _hint(question: Question, template: TemplateSpec) -> dict[str, str] | None:
    return hint_of(" ".join(text for text in (limiting_note(question, template), question.help) if text))


# --- a section's questions -------------------------------------------------------------------


def question_component(
    question: Question, given: AnswerInput, errors: FieldErrors, template: TemplateSpec
) -> Component:
    field_id = question_field_id(question.ref)
    legend = _legend(question)
    hint = _hint(question, template)
    error = errors.get(field_id)
    if question.answer_type == "yes_no_na":
        options = [(YES, "Yes"), (NO, "No")] + ([(NA, "NA")] if question.na_allowed else [])
        items = [{"value": value, "text": text, "checked": given.value == value} for value, text in options]
        return Component(
            "radios",
            {
                "name": field_id,
                "idPrefix": field_id,
                "fieldset": {"legend": legend},
                "hint": hint,
                "errorMessage": error,
                "classes": "govuk-radios--inline",
                "items": items,
            },
        )
    if question.answer_type in ("choice", "grade"):
        choices = (
            [(c["token"], c["label"]) for c in question.choices]
            if question.answer_type == "choice"
            else [(g.token, g.label) for g in template.grade_scale]
        )
        chosen = set(given.value.split(",")) if given.value else set()
        kind = "checkboxes" if question.multiple else "radios"
        return Component(
            kind,
            {
                "name": field_id,
                "idPrefix": field_id,
                "fieldset": {"legend": legend},
                "hint": hint,
                "errorMessage": error,
                "items": [{"value": v, "text": t, "checked": v in chosen} for v, t in choices],
            },
        )
    if question.answer_type == "date":
        parts = given.date or DateParts()
        return date_input(field_id, question.text, parts, errors, hint=question.help)
    return Component(
        "textarea",
        {
            "id": field_id,
            "name": field_id,
            "label": {"text": question.text, "classes": "govuk-label--s"},
            "hint": hint_of(question.help),
            "errorMessage": error,
            "value": given.value,
            "rows": 4,
        },
    )


def question_extra(question: Question, given: AnswerInput, errors: FieldErrors) -> Component | None:
    """What follows a question: the NA reason box, or the "not applicable" box of a date."""
    if question.answer_type == "yes_no_na":
        return na_reason_component(question, given, errors)
    if question.answer_type != "date" or not question.na_allowed:
        return None
    field_id = question_field_id(question.ref)
    return Component(
        "checkboxes",
        {
            "name": f"{field_id}-na",
            "idPrefix": f"{field_id}-na",
            "classes": "govuk-checkboxes--small",
            "items": [
                {
                    "value": NA,
                    "text": f"Not applicable: {question.text.lower()}",
                    "checked": given.value == NA,
                }
            ],
        },
    )


def na_reason_component(question: Question, given: AnswerInput, errors: FieldErrors) -> Component | None:
    """Where NA needs a reason (GRD-2: "seen alone"), the reason box follows the question. It is
    always shown rather than revealed by the NA radio: GOV.UK's conditional reveal puts
    aria-expanded on radios, which ARIA does not allow (govuk-frontend#979)."""
    if question.answer_type != "yes_no_na" or not question.na_requires_reason:
        return None
    field_id = f"{question_field_id(question.ref)}-reason"
    return Component(
        "textarea",
        {
            "id": field_id,
            "name": field_id,
            "label": {"text": f"If NA: why is NA the right answer to '{question.text}'?"},
            "hint": hint_of(question.na_reason_help),
            "errorMessage": errors.get(field_id),
            "value": given.reason,
            "rows": 2,
        },
    )


def comments_component(label: str, value: str, errors: FieldErrors) -> Component:
    return Component(
        "textarea",
        {
            "id": "comments",
            "name": "comments",
            "label": {"text": label, "classes": "govuk-label--m", "isPageHeading": False},
            "errorMessage": errors.get("comments"),
            "value": value,
            "rows": 5,
        },
    )


def grade_component(
    section_title: str, scale: list[dict[str, str]], grade: str, errors: FieldErrors, best_allowed: str
) -> Component:
    labels = {g["token"]: g["label"] for g in scale}
    hint = ""
    if best_allowed and scale and best_allowed != scale[0]["token"]:
        hint = (
            f"While a limiting judgement of this section is not met, the best grade allowed is "
            f"{labels.get(best_allowed, best_allowed)}."
        )
    return Component(
        "radios",
        {
            "name": "grade",
            "idPrefix": "grade",
            "fieldset": {
                "legend": {"text": f"Grade for {section_title}", "classes": "govuk-fieldset__legend--m"}
            },
            "hint": hint_of(hint),
            "errorMessage": errors.get("grade"),
            "items": [
                {"value": g["token"], "text": g["label"], "checked": g["token"] == grade} for g in scale
            ],
        },
    )


def section_components(
    *,
    questions: list[Question],
    given: dict[str, AnswerInput],
    errors: FieldErrors,
    template: TemplateSpec,
) -> list[tuple[Component, Component | None]]:
    return [
        (
            question_component(question, given.get(question.ref, AnswerInput()), errors, template),
            question_extra(question, given.get(question.ref, AnswerInput()), errors),
        )
        for question in questions
    ]
