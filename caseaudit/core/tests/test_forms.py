"""A refusal shown on a form, and the form's error summary linking each error to its field."""

from django import forms

from caseaudit.core.forms import form_error_summary, refusal_on_form
from caseaudit.core.problems import Problem, Refused


class ReasonForm(forms.Form):
    reason = forms.CharField()


def test_a_refusal_lands_on_its_field_or_above_the_form() -> None:
    form = ReasonForm({"reason": "x"})
    assert form.is_valid()
    refusal_on_form(form, Refused([Problem("r", "reason", "Too short"), Problem("r", "month", "Wait")]))
    assert form.errors["reason"] == ["Too short"] and form.non_field_errors() == ["Wait"]
    assert form_error_summary(form) == [
        {"text": "Wait", "href": ""},
        {"text": "Too short", "href": "#id_reason"},
    ]
    assert form_error_summary(form, hrefs={"reason": "#why"})[1]["href"] == "#why"
