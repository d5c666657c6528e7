"""The audit's action table (AUD-4) as GOV.UK components: a row per action with what, who, by when
and the expected impact for the child. The section's questions are the questionnaire engine's
(questionnaires.presenters)."""

from dataclasses import dataclass

from caseaudit.audits.forms import ActionRow, action_field_id
from caseaudit.questionnaires.forms import FieldErrors
from caseaudit.questionnaires.presenters import Component, date_input

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
