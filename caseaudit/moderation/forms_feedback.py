"""The forms of the worker's say and the head of QA's decision (MOD-3). They read what was typed and
say what is missing, in GOV.UK's words; the rules themselves are the services'
(moderation/services/feedback.py), whose refusals come back onto these fields."""

from typing import Any

from django import forms

from caseaudit.audits.models import Audit
from caseaudit.audits.services_grades import OVERALL
from caseaudit.moderation.models import HeadOfQaDecision, WorkerFeedback
from caseaudit.moderation.services.feedback import GIVEN_AGREEMENTS, TEXT_MAX
from caseaudit.templates_library.selectors import template_spec

Agreement = WorkerFeedback.Agreement
LENGTH = {"max_length": f"This must be {TEXT_MAX} characters or fewer"}


def _text(label: str, hint: str = "", rows: int = 5, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=hint,
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages=LENGTH,
        **kwargs,
    )


class FeedbackForm(forms.Form):
    agreement = forms.ChoiceField(
        label="Do you agree with the audit, its findings and its plan?",
        choices=[(token, Agreement(token).label) for token in GIVEN_AGREEMENTS],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose whether you agree, partly agree or strongly disagree with the audit",
            "invalid_choice": "Choose whether you agree, partly agree or strongly disagree with the audit",
        },
    )
    on_process = _text(
        "Your view of the audit process", "For example, how the discussion with the auditor went."
    )
    on_findings = _text(
        "Your view of the findings",
        "What was found done well and what needs to improve. If you strongly disagree, say why here or "
        "under the plan.",
    )
    on_plan = _text("Your view of the plan", "The actions, who does them and by when.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("agreement") == Agreement.STRONGLY_DISAGREE and not (
            (data.get("on_findings") or "").strip() or (data.get("on_plan") or "").strip()
        ):
            self.add_error(
                "on_findings",
                "Say what you disagree with in the findings or the plan: the head of quality assurance "
                "reads it to decide",
            )
        return data


def grade_field_name(ref: str) -> str:
    return f"grade_{ref}"


class HeadOfQaDecisionForm(forms.Form):
    """The decision, its reason, how the plan changes, and — used only with "changed" — a grade
    per graded section and overall, preselected with the audit's effective grades."""

    decision = forms.ChoiceField(
        label="Your decision",
        choices=HeadOfQaDecision.Decision.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose whether the auditor's audit is upheld or its grades or plan change",
            "invalid_choice": "Choose whether the auditor's audit is upheld or its grades or plan change",
        },
    )
    reason = forms.CharField(
        label="Your reason",
        help_text="The worker, their practice manager and the auditor read this. It is kept with each grade "
        "you change.",
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter the reason for your decision", **LENGTH},
    )
    plan_change = _text(
        "How the plan changes (optional)", "For example, an action to add, change or drop.", rows=4
    )

    def __init__(self, *args: Any, audit: Audit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.audit = audit
        spec = template_spec(template_version=audit.template_version)
        current = audit.effective_grades or {}
        choices = [(grade.token, grade.label) for grade in spec.grade_scale]
        self.grade_refs: list[str] = []
        for ref, title in [(s.ref, s.title) for s in spec.graded_sections] + [(OVERALL, "Overall grade")]:
            name = grade_field_name(ref)
            self.fields[name] = forms.ChoiceField(
                label=title,
                choices=[("", "Not graded"), *choices] if not current.get(ref) else choices,
                required=False,
                initial=current.get(ref, ""),
            )
            self.grade_refs.append(ref)

    def changed_grades(self) -> dict[str, str]:
        """The grades chosen that differ from the audit's effective grades ({ref: grade})."""
        current = self.audit.effective_grades or {}
        chosen = {ref: self.cleaned_data.get(grade_field_name(ref)) or "" for ref in self.grade_refs}
        return {ref: grade for ref, grade in chosen.items() if grade and grade != current.get(ref, "")}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == HeadOfQaDecision.Decision.AUDITOR_UPHELD:
            for ref in self.changed_grades():
                self.add_error(
                    grade_field_name(ref),
                    "You chose to uphold the auditor's audit: leave this grade as it is, or choose that "
                    "grades or the plan change",
                )
        return data

    def field_for(self, ref: str, field: str | None) -> str | None:
        """The form field a service problem belongs on (section_grades/overall_grade by ref)."""
        if field in ("section_grades", "overall_grade") and grade_field_name(ref) in self.fields:
            return grade_field_name(ref)
        if field == "grade_reasons":
            return "reason"
        return field if field in self.fields else None
