"""The audit's action table (AUD-4) as GOV.UK components: a row per action with what, who, by when
and the expected impact for the child. The section's questions are the questionnaire engine's
(questionnaires.presenters)."""

from dataclasses import dataclass, replace

from caseaudit.audits.deadlines import DueRule
from caseaudit.audits.forms import ActionRow, action_field_id
from caseaudit.core.calendar import long_date
from caseaudit.questionnaires.forms import DateParts, FieldErrors
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
    due_reason: Component | None
    proposed: str = ""  # ISO: the date proposed in a new row, so an untouched row stays blank


def action_rows(
    rows: list[ActionRow],
    errors: FieldErrors,
    owners: list[tuple[str, str]],
    default_owner: str,
    *,
    rule: DueRule | None = None,
) -> list[ActionRowView]:
    """The action table's rows. Under a deadline rule (ACT-2) a new row proposes the latest date
    allowed, each date says by when, and (without safeguarding concerns) a row may give a reason
    for a later date."""
    views = []
    hint = ""
    if rule is not None:
        hint = (
            f"By {long_date(rule.latest)} at the latest: 5 working days, as there are safeguarding concerns"
            if rule.safeguarding
            else f"By {long_date(rule.latest)}: within 4 weeks of the audit date"
        )
    for index, row in enumerate(rows):
        number = index + 1
        proposed = row.proposed
        if rule is not None and row.blank and row.due_date.blank:
            proposed = rule.latest.isoformat()
            row = replace(row, due_date=DateParts.from_date(rule.latest), proposed=proposed)
        owner = row.owner_id or default_owner
        owner_items = [{"value": "", "text": "Choose who", "selected": not owner}] + [
            {"value": staff_id, "text": label, "selected": staff_id == owner} for staff_id, label in owners
        ]
        views.append(
            ActionRowView(
                index=index,
                number=number,
                id=row.id,
                proposed=proposed,
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
                due_date=date_input(
                    action_field_id(index, "due_date"), "By when", row.due_date, errors, hint=hint
                ),
                impact=_action_textarea(index, "impact", "Expected impact for the child", row.impact, errors),
                due_reason=(
                    None
                    if rule is not None and rule.safeguarding and not row.due_reason
                    else _action_textarea(
                        index,
                        "due_reason",
                        "Reason for a later date (optional)",
                        row.due_reason,
                        errors,
                        hint="Only if it cannot be done within 4 weeks of the audit date",
                    )
                ),
            )
        )
    return views


def _action_textarea(
    index: int, name: str, label: str, value: str, errors: FieldErrors, *, hint: str = ""
) -> Component:
    field_id = action_field_id(index, name)
    return Component(
        "textarea",
        {
            "id": field_id,
            "name": field_id,
            "label": {"text": label, "classes": "govuk-label--s"},
            "hint": {"text": hint} if hint else None,
            "errorMessage": errors.get(field_id),
            "value": value,
            "rows": 2,
        },
    )


def safeguarding_component(value: str, errors: FieldErrors) -> Component:
    """ACT-2: asked whenever a grade is Inadequate; yes makes every action due within 5 working days."""
    return Component(
        "radios",
        {
            "idPrefix": "safeguarding_concerns",
            "name": "safeguarding_concerns",
            "classes": "govuk-radios--inline",
            "fieldset": {
                "legend": {"text": "Are there safeguarding concerns?", "classes": "govuk-fieldset__legend--m"}
            },
            "hint": {
                "text": "A grade of this audit is Inadequate. With safeguarding concerns, every action "
                "must be done within 5 working days of the audit date."
            },
            "errorMessage": errors.get("safeguarding_concerns"),
            "items": [
                {"value": "yes", "text": "Yes", "checked": value == "yes"},
                {"value": "no", "text": "No", "checked": value == "no"},
            ],
        },
    )
