from django import forms

from caseaudit.cases.models import Case


class CaseFilterForm(forms.Form):
    """Filters of the case list. Every field is optional; unknown values are ignored."""

    search = forms.CharField(label="Case ID, child ID or child's name", required=False, max_length=100)
    team = forms.ChoiceField(label="Team", required=False)
    area = forms.ChoiceField(label="Geographical area", required=False)
    case_type = forms.ChoiceField(
        label="Case type", required=False, choices=[("", "Any type"), *Case.CaseType.choices]
    )
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Open or closed"), *Case.Status.choices]
    )

    def __init__(
        self, *args: object, teams: list[tuple[str, str]], areas: list[str], **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["team"].choices = [("", "Any team"), *teams]  # type: ignore[attr-defined]
        self.fields["area"].choices = [("", "Any area"), *((a, a) for a in areas)]  # type: ignore[attr-defined]
