"""What every page with a Django form shares: a service's refusal shown on the form, and the GOV.UK
error summary of the form, each error linking to its field, and a date in GOV.UK's three boxes."""

import datetime
from typing import Any

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


# --- a date in three boxes (day, month, year) -------------------------------------------------

DATE_PARTS = ("day", "month", "year")


def date_from_parts(data: dict[str, Any], what: str) -> tuple[datetime.date | None, str, str]:
    """A date from GOV.UK's three boxes (day, month, year) of a form's cleaned data: the date, or
    the box to mark and the message, `what` naming the date ("the date they gave consent")."""
    parts = {name: str(data.get(name) or "").strip() for name in DATE_PARTS}
    missing = [name for name in DATE_PARTS if not parts[name]]
    if len(missing) == len(DATE_PARTS):
        return None, "day", f"Enter {what}"
    if missing:
        return None, missing[0], f"{what[0].upper()}{what[1:]} must include a {' and '.join(missing)}"
    real = f"{what[0].upper()}{what[1:]} must be a real date, like 7 12 2026"
    if not all(parts[name].isdigit() for name in DATE_PARTS) or len(parts["year"]) != 4:
        return None, "day", real
    try:
        return datetime.date(int(parts["year"]), int(parts["month"]), int(parts["day"])), "", ""
    except ValueError:
        return None, "day", real


class DatePartsForm(forms.Form):
    """A form with a date in GOV.UK's three boxes: its fields day, month and year, declared here
    once (a form that asks something before the date says so with `field_order`)."""

    day = forms.CharField(required=False)
    month = forms.CharField(required=False)
    year = forms.CharField(required=False)

    def date_error(self) -> str:
        """One message for the three date boxes (GOV.UK shows a single error for the date)."""
        for name in DATE_PARTS:
            if self.has_error(name):
                return " ".join(str(e) for e in self.errors[name])
        return ""

    def date_error_field(self) -> str:
        return next((name for name in DATE_PARTS if self.has_error(name)), "day")


def date_parts_input(
    form: Any, *, id: str = "date", legend: str = "Date", hint: str = "For example, 7 12 2026"
) -> dict[str, Any]:
    """The GOV.UK date input of a form's three date boxes (a DatePartsForm), with its one error."""
    error = form.date_error() if form.is_bound else ""
    items = []
    for name, width in (("day", 2), ("month", 2), ("year", 4)):
        value = form[name].value()
        classes = f"govuk-input--width-{width}" + (" govuk-input--error" if error else "")
        items.append({"name": name, "classes": classes, "value": "" if value is None else str(value)})
    return {
        "id": id,
        "fieldset": {"legend": {"text": legend, "classes": "govuk-fieldset__legend--s"}},
        "hint": {"text": hint},
        "errorMessage": {"text": error} if error else None,
        "items": items,
    }
