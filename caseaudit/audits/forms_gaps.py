"""The compliance gap pages' forms (AUD-3), Django forms (ADR 0006): they read what a person typed
(a kind from the list, a note, each trimmed); whether a gap may be flagged or addressed, and with
what, is the services' rule (services_gaps), whose refusals are shown on these fields
(core.forms.refusal_on_form), so the page and the API refuse the same things in the same words."""

from django import forms

from caseaudit.audits.models import ComplianceGap

KIND_HINTS = {
    "supervision": "For example, no recorded supervision in the last 3 months",
    "case_notes": "For example, visits not written up",
    "chronology": "For example, the chronology is not up to date",
    "visits": "For example, visits not within the required timescales",
}


class GapFlagForm(forms.Form):
    kind = forms.ChoiceField(
        label="What kind of gap is it?",
        choices=[("", ""), *ComplianceGap.Kind.choices],
        required=False,
        error_messages={"invalid_choice": "Choose a kind of gap from the list"},
    )
    note = forms.CharField(label="What is missing, and what should the worker do?", required=False)


class GapAddressForm(forms.Form):
    note = forms.CharField(
        label="How was it addressed?", help_text="For example, what was recorded and where", required=False
    )
