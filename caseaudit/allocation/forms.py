"""Forms of the allocation pages and of the discussion page. They check what a person typed, in
GOV.UK's words; the rules live in the services."""

import datetime
import re
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone

from caseaudit.accounts.roles import Role
from caseaudit.allocation.services.discussions import MAX_DURATION, MAX_LOCATION, MIN_DURATION
from caseaudit.allocation.services.drafts import MAX_PER_AUDITOR

MONTH_FIELD = "month-month"
YEAR_FIELD = "month-year"

LONDON = ZoneInfo("Europe/London")
TIME = re.compile(r"^\s*([01]?\d|2[0-3])[:.]([0-5]\d)\s*$")
DATE_PARTS = ("day", "month", "year")

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


class DiscussionForm(forms.Form):
    """Date (three boxes, as GOV.UK asks), a 24-hour time, a duration, a place and/or a link. The
    date and time are UK time; `starts_at` is the aware datetime they make."""

    day = forms.CharField(required=False)
    month = forms.CharField(required=False)
    year = forms.CharField(required=False)
    time = forms.CharField(
        label="Start time",
        help_text="Use the 24-hour clock, for example 09:30 or 14:00",
        required=False,
    )
    duration_minutes = forms.IntegerField(
        label="How long, in minutes",
        initial=60,
        min_value=MIN_DURATION,
        max_value=MAX_DURATION,
        error_messages={
            "required": "Enter how long the discussion lasts, in minutes",
            "invalid": "Enter the duration as a number of minutes, like 60",
            "min_value": f"The duration must be {MIN_DURATION} to {MAX_DURATION} minutes",
            "max_value": f"The duration must be {MIN_DURATION} to {MAX_DURATION} minutes",
        },
    )
    location = forms.CharField(
        label="Place (optional if you give an online link)",
        help_text="For example, the team office, meeting room 2",
        required=False,
        max_length=MAX_LOCATION,
        error_messages={"max_length": f"The place must be {MAX_LOCATION} characters or fewer"},
    )
    online_link = forms.URLField(
        label="Online link (optional if you give a place)",
        help_text="The link to join the call, starting https://",
        required=False,
        assume_scheme="https",
        error_messages={"invalid": "Enter the online link as a web address, like https://…"},
    )

    def __init__(self, *args: Any, now: datetime.datetime | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.now = now or timezone.now()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts_on = self._date(data)
        start_time = self._time(data.get("time", ""))
        if starts_on is not None and start_time is not None:
            starts_at = datetime.datetime.combine(starts_on, start_time, tzinfo=LONDON)
            # A time that the spring clock change skips does not survive the round trip.
            round_trip = starts_at.astimezone(datetime.UTC).astimezone(LONDON)
            if round_trip.replace(tzinfo=None) != starts_at.replace(tzinfo=None):
                self.add_error("time", "That time does not exist on that day: the clocks go forward")
            elif starts_at <= self.now:
                self.add_error("day", "The date and time of the discussion must be in the future")
            else:
                data["starts_at"] = starts_at
        if not data.get("location") and not data.get("online_link") and not self.has_error("online_link"):
            self.add_error("location", "Enter the place of the discussion, or a link to join it online")
        return data

    def _date(self, data: dict[str, Any]) -> datetime.date | None:
        parts = {name: str(data.get(name) or "").strip() for name in DATE_PARTS}
        missing = [name for name in DATE_PARTS if not parts[name]]
        if len(missing) == len(DATE_PARTS):
            self.add_error("day", "Enter the date of the discussion")
            return None
        if missing:
            self.add_error(missing[0], f"The date of the discussion must include a {' and '.join(missing)}")
            return None
        if not all(parts[name].isdigit() for name in DATE_PARTS) or len(parts["year"]) != 4:
            self.add_error("day", "The date of the discussion must be a real date, like 7 12 2026")
            return None
        try:
            return datetime.date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
        except ValueError:
            self.add_error("day", "The date of the discussion must be a real date, like 7 12 2026")
            return None

    def _time(self, value: str) -> datetime.time | None:
        if not value.strip():
            self.add_error("time", "Enter the start time, like 14:30")
            return None
        match = TIME.match(value)
        if match is None:
            self.add_error("time", "Enter the start time on the 24-hour clock, like 14:30")
            return None
        return datetime.time(int(match.group(1)), int(match.group(2)))

    def date_error(self) -> str:
        """One message for the three date boxes (GOV.UK shows a single error for the date)."""
        for name in DATE_PARTS:
            if self.has_error(name):
                return " ".join(str(e) for e in self.errors[name])
        return ""

    def date_error_field(self) -> str:
        return next((name for name in DATE_PARTS if self.has_error(name)), "day")
