"""The action and escalation pages' forms (Django forms, ADR 0006): they read what was typed; what
may be done now is the rules' and the services' (whose refusals are shown on these fields)."""

from django import forms

from caseaudit.actions.escalation import MAX_OUTCOME
from caseaudit.actions.models import Escalation
from caseaudit.actions.services import MAX_NOTE

NOTE_ERRORS = {"max_length": f"The note must be {MAX_NOTE} characters or fewer"}

# What each button of the action page does, and its note field's words.
ACTION_STEPS = {
    "progress": ("Add progress", "What has been done so far?"),
    "done": ("Mark as done", "What was done, and what changed for the child?"),
    "sign_off": ("Sign off", "Your note for the sign-off"),
    "send_back": ("Send back", "What is still to do?"),
    "cancel": ("Cancel the action", "Why is it cancelled?"),
}


class ActionStepForm(forms.Form):
    """One step on an action: a progress note, done, sign off, send back or cancel, with its note."""

    step = forms.ChoiceField(choices=[(key, label) for key, (label, _) in ACTION_STEPS.items()])
    note = forms.CharField(
        widget=forms.Textarea, required=False, max_length=MAX_NOTE, error_messages=NOTE_ERRORS
    )


class EscalationCloseForm(forms.Form):
    outcome_code = forms.ChoiceField(
        label="What was the outcome?",
        choices=Escalation.Outcome.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    outcome = forms.CharField(
        label="What was done to keep the child safe?",
        help_text="For example, who met, what was decided and what happens next",
        widget=forms.Textarea,
        required=False,
        max_length=MAX_OUTCOME,
        error_messages={"max_length": f"The outcome must be {MAX_OUTCOME} characters or fewer"},
    )
