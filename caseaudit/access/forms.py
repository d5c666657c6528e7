"""Forms of the access-request and decision pages. They only read what was typed and say what is
missing, in GOV.UK's words; the rules themselves are the services' (SEL-6)."""

from django import forms

from caseaudit.access.services import MAX_REASON


class AccessRequestForm(forms.Form):
    reason = forms.CharField(
        label="Why do you need to open this record?",
        help_text="For example, you are auditing this case this month. The approver reads this.",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=MAX_REASON,
        error_messages={
            "required": "Enter why you need to open this record",
            "max_length": f"The reason must be {MAX_REASON} characters or fewer",
        },
    )


class AccessDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Do you grant access?",
        choices=[("grant", "Grant access"), ("refuse", "Refuse access")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to grant or refuse access"},
    )
    reason = forms.CharField(
        label="Your reason",
        help_text="The requester is told your decision and this reason, and both are kept.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=MAX_REASON,
        error_messages={
            "required": "Enter the reason for your decision",
            "max_length": f"The reason must be {MAX_REASON} characters or fewer",
        },
    )

    @property
    def grant(self) -> bool:
        return self.cleaned_data.get("decision") == "grant"
