"""The family feedback page's form (FAM-1, FAM-2), a Django form (ADR 0006): who the person is,
whether they agreed (with the date, or why not), and their answers to the five questions, in their
own words. It reads what was typed; what may be recorded with what is the service's rule
(services_family), whose refusals are shown on these fields, so the page and the API refuse the
same things in the same words."""

from typing import Any

from django import forms

from caseaudit.audits.models import FamilyRespondent
from caseaudit.audits.services_family import MAX_ANSWER, MAX_REASON, FamilyQuestions
from caseaudit.core.forms import DATE_PARTS, DatePartsForm, date_from_parts

CONSENT_HINTS: dict[str, str] = {
    FamilyRespondent.Consent.YES: "Record their answers below, in their own words",
    FamilyRespondent.Consent.NO: "Nothing they said is recorded",
    FamilyRespondent.Consent.NOT_ASKED: "Say why below",
    FamilyRespondent.Consent.NA: "For example, the child is too young to give their view; say why below",
}
CONSENT_DATE = "the date they gave consent"


def answer_field(number: int) -> str:
    """The form's field of the n-th question (from 1): `answer_1`, not the question's dotted ref."""
    return f"answer_{number}"


class FamilyPersonForm(DatePartsForm):
    field_order = ["who", "consent", *DATE_PARTS]  # the date of consent comes after the consent
    who = forms.ChoiceField(
        label="Who gave feedback?",
        choices=FamilyRespondent.Who.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    consent = forms.ChoiceField(
        label="Did they agree to give feedback?",
        choices=FamilyRespondent.Consent.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    reason = forms.CharField(
        label="Why not (optional if they said no)",
        help_text="Needed where they were not asked, or where it is not applicable",
        widget=forms.Textarea,
        required=False,
        max_length=MAX_REASON,
        error_messages={"max_length": f"The reason must be {MAX_REASON} characters or fewer"},
    )

    def __init__(self, *args: Any, questions: FamilyQuestions, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        for number, question in enumerate(questions.questions, start=1):
            self.fields[answer_field(number)] = forms.CharField(
                label=question.text,
                help_text="In their own words, only if they agreed",
                widget=forms.Textarea,
                required=False,
                max_length=MAX_ANSWER,
                error_messages={"max_length": f"The answer must be {MAX_ANSWER} characters or fewer"},
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["consent_date"] = None
        if any(str(data.get(name) or "").strip() for name in DATE_PARTS):
            found, field, message = date_from_parts(data, CONSENT_DATE)
            if message:
                self.add_error(field, message)
            data["consent_date"] = found
        return data

    def respondent(self) -> dict[str, Any]:
        """The person in the service's shape (CONTRACTS §9)."""
        data = self.cleaned_data
        found = data.get("consent_date")
        return {
            "who": data.get("who") or "",
            "consent": data.get("consent") or "",
            "consent_date": found.isoformat() if found else None,
            "reason": data.get("reason") or "",
            "answers": {
                question.ref: data.get(answer_field(number)) or ""
                for number, question in enumerate(self.questions.questions, start=1)
            },
        }

    def field_of(self, problem_field: str | None) -> str | None:
        """The form's field for a service problem's field (`answers.feedback.listened_to` is
        `answer_1`; `consent_date` is the day box)."""
        if problem_field == "consent_date":
            return "day"
        if problem_field and problem_field.startswith("answers."):
            refs = self.questions.refs
            ref = problem_field.removeprefix("answers.")
            return answer_field(refs.index(ref) + 1) if ref in refs else None
        if problem_field == "answers":
            return answer_field(1) if self.questions.refs else None
        return problem_field if problem_field in self.fields else None


def person_initial(payload: dict[str, Any], questions: FamilyQuestions) -> dict[str, Any]:
    """The form's initial values from a stored person (`respondent_payload`)."""
    initial: dict[str, Any] = {
        "who": payload["who"],
        "consent": payload["consent"],
        "reason": payload["reason"],
    }
    if payload.get("consent_date"):
        year, month, day = payload["consent_date"].split("-")
        initial.update(day=int(day), month=int(month), year=year)
    for number, question in enumerate(questions.questions, start=1):
        initial[answer_field(number)] = payload["answers"].get(question.ref, "")
    return initial
