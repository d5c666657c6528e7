"""The moderation panel's forms (MOD-4): the quarter's sample, a panel's time, place, chair and
audits, and the chair's decision. They check what a person typed, in GOV.UK's words; the rules
live in the services (services/panel*.py)."""

import datetime
from typing import Any

from django import forms
from django.utils import timezone

from caseaudit.audits.forms_discussions import MeetingForm
from caseaudit.moderation.sampling import Quarter
from caseaudit.moderation.services.panel import MAX_DURATION, MAX_LOCATION, MIN_DURATION


class SampleForm(forms.Form):
    quarter = forms.ChoiceField(label="Quarter", error_messages={"required": "Choose the quarter"})
    seed = forms.IntegerField(
        label="Seed (optional)",
        help_text="Leave it empty to use the quarter's own seed, so that a rerun draws the same audits",
        required=False,
        min_value=0,
        error_messages={
            "invalid": "Enter the seed as a whole number, like 20264",
            "min_value": "The seed must be 0 or more",
        },
    )

    def __init__(self, *args: Any, quarters: list[Quarter], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["quarter"].choices = [(q.token, q.label) for q in quarters]  # type: ignore[attr-defined]

    def chosen_quarter(self) -> Quarter:
        return Quarter.parse(self.cleaned_data["quarter"])


class PanelForm(MeetingForm):
    """Date (three boxes), a 24-hour time (UK time), a duration, the chair, a place and/or a link,
    and the sampled audits. `starts_at` is the aware datetime the date and time make."""

    meeting = "panel"

    time = forms.CharField(
        label="Start time", help_text="Use the 24-hour clock, for example 09:30 or 14:00", required=False
    )
    duration_minutes = forms.IntegerField(
        label="How long, in minutes",
        initial=120,
        min_value=MIN_DURATION,
        max_value=MAX_DURATION,
        error_messages={
            "required": "Enter how long the panel lasts, in minutes",
            "invalid": "Enter the duration as a number of minutes, like 120",
            "min_value": f"The duration must be {MIN_DURATION} to {MAX_DURATION} minutes",
            "max_value": f"The duration must be {MIN_DURATION} to {MAX_DURATION} minutes",
        },
    )
    chair = forms.ChoiceField(label="Chair", error_messages={"required": "Choose the panel's chair"})
    location = forms.CharField(
        label="Place (optional if you give an online link)",
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
    audits = forms.TypedMultipleChoiceField(
        label="Audits for this panel",
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one sampled audit for the panel"},
    )

    def __init__(
        self,
        *args: Any,
        chairs: list[tuple[str, str]],
        audits: list[tuple[int, str]],
        now: datetime.datetime | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["chair"].choices = [("", "Choose a chair"), *chairs]  # type: ignore[attr-defined]
        self.fields["audits"].choices = audits  # type: ignore[attr-defined]
        self.now = now or timezone.now()


class DecisionForm(forms.Form):
    """The chair's decision on one audit: confirmed or changed, the reason, and with changed a
    grade per graded section and overall (the current effective grade preselected). Field names
    carry the audit's ID (`prefix`), as one panel page holds a form per audit."""

    decision = forms.ChoiceField(
        label="The panel's decision",
        choices=[
            ("confirmed", "Confirmed: the grades stand"),
            ("changed", "Changed: the panel gives other grades"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the panel confirmed or changed the audit"},
    )
    reason = forms.CharField(
        label="Reason for the decision",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        error_messages={
            "required": "Give the reason for the panel's decision",
            "max_length": "The reason must be 5000 characters or fewer",
        },
    )

    def __init__(
        self,
        *args: Any,
        grade_refs: list[tuple[str, str]],
        scale: list[tuple[str, str]],
        current: dict[str, str],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.grade_refs = grade_refs
        for ref, title in grade_refs:
            self.fields[f"grade_{ref}"] = forms.ChoiceField(
                label=f"Grade: {title}", choices=scale, required=False, initial=current.get(ref, "")
            )

    def grade_fields(self) -> list[forms.BoundField]:
        return [self[f"grade_{ref}"] for ref, _ in self.grade_refs]

    def grades(self) -> dict[str, str]:
        """With "changed", the grade of each ref as chosen; none with "confirmed"."""
        if self.cleaned_data.get("decision") != "changed":
            return {}
        return {ref: self.cleaned_data.get(f"grade_{ref}") or "" for ref, _ in self.grade_refs}
