"""What every page with a Django form shares: a service's refusal shown on the form, and the GOV.UK
error summary of the form, each error linking to its field."""

from django import forms

from caseaudit.core.problems import Refused


def refusal_on_form(form: forms.Form, refused: Refused) -> None:
    """A service's problems on the form: on their field when the form has it, else above it."""
    for problem in refused.problems:
        field = problem.field if problem.field in form.fields else None
        form.add_error(field, problem.message)


def form_error_summary(form: forms.Form, *, hrefs: dict[str, str] | None = None) -> list[dict[str, str]]:
    """The error summary: each error linking to its field (or to `hrefs[field]`)."""
    errors = [{"text": str(error), "href": ""} for error in form.non_field_errors()]
    for name, field_errors in form.errors.items():
        if name == "__all__":
            continue
        href = (hrefs or {}).get(name) or f"#{form[name].id_for_label}"
        errors.extend({"text": str(error), "href": href} for error in field_errors)
    return errors
