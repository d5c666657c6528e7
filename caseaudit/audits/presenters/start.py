"""The pages that start an audit as GOV.UK components: the type of audit, the version of its
template (where an earlier one is still loaded) and the type's own details (TPL-1, TPL-3)."""

from typing import Any

from django.utils import timezone

from caseaudit.audits.forms import StartInput, type_field_id
from caseaudit.core.calendar import long_date
from caseaudit.core.templatetags.caseaudit_forms import govuk_component
from caseaudit.questionnaires.forms import DateParts, FieldErrors
from caseaudit.questionnaires.presenters import Component, date_input, hint_of
from caseaudit.templates_library.models import AuditType, TemplateVersion
from caseaudit.templates_library.spec import NA, NO, YES


def template_description(version: TemplateVersion | None) -> str:
    if version is None:
        return "No template loaded"
    approved = f", approved {long_date(version.approved_date)}" if version.approved_date else ""
    return f"{version.title}, version {version.version} ({version.version_label}){approved}"


def audit_type_component(
    audit_types: list[AuditType],
    versions: dict[str, TemplateVersion | None],
    given: StartInput,
    errors: FieldErrors,
) -> Component:
    items = []
    for kind in audit_types:
        hint = (
            f"{kind.description} Template: {template_description(versions.get(kind.template_ref))}. "
            f"Review window: {kind.review_window_months} months."
        )
        item: dict[str, Any] = {
            "value": kind.token,
            "text": kind.name,
            "hint": {"text": hint},
            "checked": given.audit_type == kind.token,
        }
        items.append(item)
    return Component(
        "radios",
        {
            "name": "audit_type",
            "idPrefix": "audit_type",
            "fieldset": {"legend": {"text": "Type of audit", "classes": "govuk-fieldset__legend--m"}},
            "errorMessage": errors.get("audit_type"),
            "items": items,
        },
    )


def type_field_html(kind: AuditType, spec: dict[str, Any], given: StartInput, errors: FieldErrors) -> str:
    """One of the type's own fields (theme, line of enquiry, observed practice, consent)."""
    field_id = type_field_id(kind.token, spec["ref"])
    value = given.type_values.get(field_id)
    hint = hint_of(spec.get("help", ""))
    error = errors.get(field_id)
    label = spec["text"] + ("" if spec.get("required", True) else " (optional)")
    answer_type = spec["answer_type"]
    labelled = {
        "id": field_id,
        "name": field_id,
        "label": {"text": label},
        "hint": hint,
        "errorMessage": error,
    }
    if answer_type == "date":
        component = date_input(
            field_id, label, value if isinstance(value, DateParts) else DateParts(), errors
        )
        return str(govuk_component(component.name, component.params))
    if answer_type == "choice" and spec.get("multiple"):
        chosen = set(value or [])
        params: dict[str, Any] = {
            "name": field_id,
            "idPrefix": field_id,
            "fieldset": {"legend": {"text": label, "classes": "govuk-fieldset__legend--s"}},
            "hint": hint,
            "errorMessage": error,
            "items": [
                {"value": c["token"], "text": c["label"], "checked": c["token"] in chosen}
                for c in spec["choices"]
            ],
        }
        return str(govuk_component("checkboxes", params))
    if answer_type == "choice":
        items = [{"value": "", "text": "Choose one", "selected": not value}] + [
            {"value": c["token"], "text": c["label"], "selected": c["token"] == value}
            for c in spec["choices"]
        ]
        return str(govuk_component("select", {**labelled, "items": items}))
    if answer_type == "yes_no_na":
        options = [(YES, "Yes"), (NO, "No")] + ([(NA, "NA")] if spec.get("na_allowed") else [])
        params = {
            "name": field_id,
            "idPrefix": field_id,
            "classes": "govuk-radios--inline",
            "fieldset": {"legend": {"text": label, "classes": "govuk-fieldset__legend--s"}},
            "hint": hint,
            "errorMessage": error,
            "items": [{"value": v, "text": t, "checked": v == value} for v, t in options],
        }
        return str(govuk_component("radios", params))
    return str(govuk_component("textarea", {**labelled, "value": value or "", "rows": 2}))


def template_version_component(
    versions: list[TemplateVersion], given: StartInput, errors: FieldErrors
) -> Component:
    """Which loaded version of the type's template the audit uses; the current one by default."""
    chosen = given.template_version or next((str(v.version) for v in versions if v.is_current), "")
    items = []
    for version in versions:
        facts = [
            f"Approved {long_date(version.approved_date)}." if version.approved_date else "",
            f"Next review {long_date(version.next_review_date)}." if version.next_review_date else "",
            f"Loaded into caseaudit {long_date(timezone.localdate(version.file.loaded_at))}.",
        ]
        items.append(
            {
                "value": str(version.version),
                "text": f"Version {version.version} ({version.version_label})"
                + (", the current version" if version.is_current else ""),
                "hint": {"text": " ".join(fact for fact in facts if fact)},
                "checked": chosen == str(version.version),
            }
        )
    title = versions[0].title if versions else "template"
    return Component(
        "radios",
        {
            "name": "template_version",
            "idPrefix": "template_version",
            "fieldset": {
                "legend": {
                    "text": f"Which version of the {title} should the audit use?",
                    "classes": "govuk-fieldset__legend--l",
                    "isPageHeading": True,
                }
            },
            "hint": {
                "text": "New audits use the current version. Choose an earlier one only to keep a series of "
                "audits comparable, for example a thematic audit that began on it. The audit keeps "
                "the version you choose."
            },
            "errorMessage": errors.get("template_version"),
            "items": items,
        },
    )
