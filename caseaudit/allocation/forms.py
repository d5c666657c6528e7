"""Forms of the allocation pages. They check what a person typed, in GOV.UK's words; the rules live
in the services."""

from datetime import date
from typing import Any

from django import forms

from caseaudit.accounts.roles import Role
from caseaudit.allocation.services.drafts import MAX_PER_AUDITOR

MONTH_FIELD = "month-month"
YEAR_FIELD = "month-year"

FLAG_CHOICES = [
    ("", "Any"),
    ("restricted", "Restricted"),
    ("out_of_area", "Out of area"),
    ("adjusted", "Changed on review"),
    ("warnings", "With warnings"),
]


class DraftForm(forms.Form):
    """Which month to allocate (a GOV.UK date input of month and year) and, optionally, how many
    cases each auditor gets this time."""

    per_auditor = forms.IntegerField(
        label="Cases per auditor (optional)",
        required=False,
        min_value=0,
        max_value=MAX_PER_AUDITOR,
        help_text="Leave it blank to use the setting.",
        error_messages={
            "invalid": "Cases per auditor must be a whole number",
            "min_value": "Cases per auditor must be 0 or more",
            "max_value": f"Cases per auditor must be {MAX_PER_AUDITOR} or fewer",
        },
    )

    def __init__(self, *args: Any, per_auditor_setting: int = 1, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["per_auditor"].help_text = (
            f"Leave it blank to give each auditor {per_auditor_setting} "
            f"case{'s' if per_auditor_setting != 1 else ''}, the current setting."
        )
        self.fields[MONTH_FIELD] = forms.IntegerField(
            required=False, error_messages={"invalid": "The month must be a number from 1 to 12"}
        )
        self.fields[YEAR_FIELD] = forms.IntegerField(
            required=False, error_messages={"invalid": "The year must be a number, like 2026"}
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        month, year = data.get(MONTH_FIELD), data.get(YEAR_FIELD)
        if MONTH_FIELD in self.errors or YEAR_FIELD in self.errors:
            return data
        if month is None or year is None:
            self.add_error(MONTH_FIELD, "Enter the month and year to allocate, like 12 2026")
        elif not 1 <= month <= 12:
            self.add_error(MONTH_FIELD, "The month must be a number from 1 to 12")
        elif not 2000 <= year <= 2100:
            self.add_error(YEAR_FIELD, "The year must be between 2000 and 2100")
        else:
            data["month"] = date(year, month, 1)
        return data


class AdjustForm(forms.Form):
    """Change the auditor of a case, or replace the case, with the reason (issue item 6)."""

    auditor_id = forms.ChoiceField(label="Auditor")
    replacement_case_id = forms.CharField(
        label="Replace the case with (optional)",
        required=False,
        max_length=64,
        help_text="The case ID of an eligible case that was not picked. Leave it blank to keep the case.",
    )
    reason = forms.CharField(
        label="Reason for the change",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Give the reason for the change"},
    )

    def __init__(self, *args: Any, auditors: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["auditor_id"].choices = auditors  # type: ignore[attr-defined]


class RowFilterForm(forms.Form):
    """Filters of the draft's table. Every field is optional; unknown values are ignored."""

    search = forms.CharField(label="Case ID", required=False, max_length=64)
    team = forms.ChoiceField(label="Team", required=False)
    area = forms.ChoiceField(label="Area", required=False)
    auditor = forms.ChoiceField(label="Auditor", required=False)
    flag = forms.ChoiceField(label="Show", required=False, choices=FLAG_CHOICES)

    def __init__(
        self,
        *args: Any,
        teams: list[tuple[str, str]],
        areas: list[str],
        auditors: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [("", "Any team"), *teams]  # type: ignore[attr-defined]
        self.fields["area"].choices = [("", "Any area"), *((a, a) for a in areas)]  # type: ignore[attr-defined]
        self.fields["auditor"].choices = [("", "Any auditor"), *auditors]  # type: ignore[attr-defined]


class SettingsForm(forms.Form):
    """The council's allocation settings (SEL-2, SEL-3, AUD-5)."""

    auditor_roles = forms.MultipleChoiceField(
        label="Who audits",
        choices=Role.choices,
        error_messages={"required": "Choose at least one role whose holders audit"},
    )
    cases_per_auditor = forms.IntegerField(
        label="Cases per auditor each month", min_value=0, max_value=MAX_PER_AUDITOR
    )
    closed_within_days = forms.IntegerField(
        label="Closed cases stay eligible for (days)",
        min_value=0,
        max_value=366,
        help_text="A closed case is eligible if it closed within this many days before the month starts.",
    )
    audited_within_months = forms.IntegerField(
        label="Not audited within (months)",
        min_value=0,
        max_value=24,
        help_text="A case audited within this many calendar months before the month is not eligible.",
    )
    due_day = forms.IntegerField(
        label="Stage 1 due on day",
        min_value=1,
        max_value=31,
        help_text="Moved back to the working day before when it falls on a weekend or bank holiday.",
    )
    access_approver_role = forms.ChoiceField(
        label="Who grants access to a restricted record",
        choices=Role.choices,
        help_text="The nearest holder of this role above the case's worker.",
    )
