"""What the Stage 2 pages send, parsed into what the services take (MOD-1, MOD-2).

The Stage 2 form's questions are the questionnaire engine's (questionnaires.forms), its action
rows the audit's (audits.forms.SectionInput over the template's `further_actions` section); only
the grades part is this module's own. The arrangement of the discussion is the audits' discussion
form (audits.forms_discussions.DiscussionForm): the same date, time, duration, place and link."""

from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.http import QueryDict

from caseaudit.audits.forms import ActionRow, SectionInput
from caseaudit.moderation.presenters.stage2 import agree_field_id, grade_field_id, reason_field_id
from caseaudit.moderation.services.stage2 import GradeInput
from caseaudit.questionnaires.forms import AnswerInput, FieldErrors, answers_from_post, answers_payload
from caseaudit.templates_library.models import Question, Section


@dataclass
class Stage2Input:
    """The Stage 2 form as posted: the discussion's answers, a view of each grade, new actions."""

    answers: dict[str, AnswerInput] = field(default_factory=dict)
    grades: dict[str, GradeInput] = field(default_factory=dict)
    actions: list[ActionRow] = field(default_factory=list)

    @classmethod
    def from_post(
        cls, data: QueryDict, *, questions: list[Question], refs: list[str], actions_section: Section | None
    ) -> "Stage2Input":
        grades = {}
        for ref in refs:
            agree = data.get(agree_field_id(ref), "")
            grades[ref] = GradeInput(
                agree=True if agree == "yes" else (False if agree == "no" else None),
                grade=data.get(grade_field_id(ref), "").strip(),
                reason=data.get(reason_field_id(ref), "").strip(),
            )
        actions = SectionInput.from_post(data, actions_section).actions if actions_section is not None else []
        return cls(answers=answers_from_post(data, questions), grades=grades, actions=actions)

    def payload(
        self, *, questions: list[Question], actions_section: Section | None, errors: FieldErrors
    ) -> tuple[dict[str, Any], list[dict[str, Any]] | None, dict[int, int]]:
        """(answers, actions to add, {index sent: row of the form}); what cannot even be parsed (a
        date that is not a date) goes to `errors` and is left out."""
        answers = answers_payload(questions, self.answers, errors)
        if actions_section is None:
            return answers, None, {}
        rows = SectionInput(actions=self.actions, has_actions=True)
        _, actions, row_of = rows.payload(actions_section, errors)
        return answers, actions or None, row_of


class AssignForm(forms.Form):
    """QA choose the audit's moderator (MOD-2)."""

    moderator = forms.ChoiceField(
        label="Moderator",
        help_text="A moderator may not moderate an audit they conducted, their own case, or a case of "
        "a worker they manage as practice manager.",
        error_messages={
            "required": "Choose the moderator",
            "invalid_choice": "Choose one of the moderators listed",
        },
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["moderator"].choices = [("", "Choose a moderator"), *choices]  # type: ignore[attr-defined]


class BalanceForm(forms.Form):
    """The month whose unassigned queue QA share out (MOD-2)."""

    month = forms.ChoiceField(
        label="Allocation month",
        error_messages={"required": "Choose the month", "invalid_choice": "Choose one of the months listed"},
    )
    fingerprint = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = choices  # type: ignore[attr-defined]
