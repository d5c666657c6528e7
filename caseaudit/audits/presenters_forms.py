"""The audit forms as GOV.UK components: the parameters of each component (radios, date input,
textarea...) built from the template's questions, what the person typed and the errors, for
`{% govuk_component name params %}`. Labels, legends and hints come from the template data."""

from dataclasses import dataclass
from typing import Any

from caseaudit.audits.forms import (
    ActionRow,
    AnswerInput,
    DateParts,
    FieldErrors,
    SectionInput,
    action_field_id,
    question_field_id,
)
from caseaudit.templates_library.models import Question
from caseaudit.templates_library.spec import NA, NO, YES


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


# --- a section's questions -------------------------------------------------------------------


def question_component(
    question: Question, given: AnswerInput, errors: FieldErrors, grade_scale: list[dict[str, str]]
) -> Component:
    field_id = question_field_id(question.ref)
    legend = {"text": question.text, "classes": "govuk-fieldset__legend--s"}
    hint = hint_of(question.help)
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
            else [(g["token"], g["label"]) for g in grade_scale]
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
            "hint": hint,
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


# --- the action table (AUD-4) ---------------------------------------------------------------


@dataclass(frozen=True)
class ActionRowView:
    index: int
    number: int
    id: str
    legend: str
    what: Component
    owner: Component
    due_date: Component
    impact: Component


def action_rows(
    rows: list[ActionRow], errors: FieldErrors, owners: list[tuple[str, str]], default_owner: str
) -> list[ActionRowView]:
    views = []
    for index, row in enumerate(rows):
        number = index + 1
        owner = row.owner_id or default_owner
        owner_items = [{"value": "", "text": "Choose who", "selected": not owner}] + [
            {"value": staff_id, "text": label, "selected": staff_id == owner} for staff_id, label in owners
        ]
        views.append(
            ActionRowView(
                index=index,
                number=number,
                id=row.id,
                legend=f"Action {number}",
                what=_action_textarea(index, "what", "What needs to be done", row.what, errors),
                owner=Component(
                    "select",
                    {
                        "id": action_field_id(index, "owner_id"),
                        "name": action_field_id(index, "owner_id"),
                        "label": {"text": "Who", "classes": "govuk-label--s"},
                        "hint": {"text": "By default the practice manager of the allocated social worker"},
                        "errorMessage": errors.get(action_field_id(index, "owner_id")),
                        "items": owner_items,
                    },
                ),
                due_date=date_input(action_field_id(index, "due_date"), "By when", row.due_date, errors),
                impact=_action_textarea(index, "impact", "Expected impact for the child", row.impact, errors),
            )
        )
    return views


def _action_textarea(index: int, name: str, label: str, value: str, errors: FieldErrors) -> Component:
    field_id = action_field_id(index, name)
    return Component(
        "textarea",
        {
            "id": field_id,
            "name": field_id,
            "label": {"text": label, "classes": "govuk-label--s"},
            "errorMessage": errors.get(field_id),
            "value": value,
            "rows": 2,
        },
    )


def section_components(
    *,
    questions: list[Question],
    given: SectionInput,
    errors: FieldErrors,
    grade_scale: list[dict[str, str]],
) -> list[tuple[Component, Component | None]]:
    return [
        (
            question_component(question, given.answers.get(question.ref, AnswerInput()), errors, grade_scale),
            question_extra(question, given.answers.get(question.ref, AnswerInput()), errors),
        )
        for question in questions
    ]
