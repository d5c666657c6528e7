"""GOV.UK form fields from Django bound fields, rendered by govuk-frontend-django's components.

`{% govuk_field form.email autocomplete="email" %}` renders the right component (input,
select, radios, textarea, file upload, password) with its label, hint and error message, so
every form page shows errors the GOV.UK way without hand-written markup."""

import importlib
from typing import Any

from django import forms, template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


def _component(component_name: str, /, **kwargs: Any) -> SafeString:
    module = importlib.import_module(f"govuk_frontend_django.components.{component_name.replace('-', '_')}")
    return mark_safe(module.COMPONENT(**kwargs).render())


def _error(field: forms.BoundField) -> dict[str, str] | None:
    return {"text": " ".join(str(e) for e in field.errors)} if field.errors else None


@register.simple_tag
def govuk_field(field: forms.BoundField, **options: Any) -> SafeString:
    widget = field.field.widget
    label_classes = options.pop("label_classes", "govuk-label--s")
    common: dict[str, Any] = {
        "id": field.id_for_label or field.html_name,
        "name": field.html_name,
        "hint": {"text": str(field.help_text)} if field.help_text else None,
        "errorMessage": _error(field),
    }
    value = field.value()
    if isinstance(widget, forms.RadioSelect):
        common.pop("id")
        return _component(
            "radios",
            idPrefix=field.html_name,
            fieldset={"legend": {"text": str(field.label), "classes": "govuk-fieldset__legend--s"}},
            items=[
                {"value": str(v), "text": str(t), "checked": str(v) == str(value)}
                for v, t in field.field.choices  # type: ignore[attr-defined]
            ],
            **common,
            **options,
        )
    label = {"text": str(field.label), "classes": label_classes}
    if isinstance(widget, forms.Select):
        return _component(
            "select",
            label=label,
            items=[
                {"value": str(v), "text": str(t), "selected": str(v) == str(value or "")}
                for v, t in field.field.choices  # type: ignore[attr-defined]
            ],
            **common,
            **options,
        )
    if isinstance(widget, forms.Textarea):
        return _component("textarea", label=label, value=value or "", **common, **options)
    if isinstance(widget, forms.ClearableFileInput | forms.FileInput):
        return _component("file-upload", label=label, **common, **options)
    if isinstance(widget, forms.PasswordInput):
        return _component("password-input", label=label, **common, **options)
    input_type = options.pop("type", getattr(widget, "input_type", "text"))
    return _component(
        "input", label=label, type=input_type, value="" if value is None else str(value), **common, **options
    )


@register.simple_tag
def govuk_error_list(*forms_: forms.Form) -> list[dict[str, str]]:
    """Every error of the given forms, each linking to its field (for the error summary). An error
    about the whole form links to the field the form names in `non_field_errors_field`, where
    fixing it starts (the sign-in form's email address), as GOV.UK's error summary asks."""
    errors: list[dict[str, str]] = []
    for form in forms_:
        if form is None:
            continue
        first = getattr(form, "non_field_errors_field", "")
        whole_href = f"#{form[first].id_for_label or form[first].html_name}" if first else ""
        for error in form.non_field_errors():
            errors.append({"text": str(error), "href": whole_href})
        for name, field_errors in form.errors.items():
            if name == "__all__":
                continue
            bound = form[name]
            for error in field_errors:
                errors.append({"text": str(error), "href": f"#{bound.id_for_label or bound.html_name}"})
    return errors


@register.simple_tag
def govuk_component(name: str, params: dict[str, Any]) -> SafeString:
    """Render a component from a dict built in Python (e.g. pagination from a presenter)."""
    return _component(name, **params)
