"""Starting an audit from the child's case (AUD-1, AUD-2, TPL-1, TPL-3), one thing per page: its
type, audit date and review window; then, where an earlier version of the type's template is
still loaded, which version to use; then the type's own details, where it has any."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from caseaudit.audits.errors import AuditRefused
from caseaudit.audits.forms import StartInput, type_field_id
from caseaudit.audits.presenters.start import (
    audit_type_component,
    template_version_component,
    type_field_html,
)
from caseaudit.audits.services import audit_start
from caseaudit.cases.selectors import Access, case_get
from caseaudit.core.denials import denied
from caseaudit.core.services import access_log_record
from caseaudit.questionnaires.forms import DateParts, FieldErrors
from caseaudit.questionnaires.presenters import date_input
from caseaudit.templates_library.models import AuditType, TemplateVersion
from caseaudit.templates_library.selectors import (
    audit_type_list,
    template_version_current,
    template_version_history,
)

# Where a refusal of the service belongs on this page: {field of the problem: field id}.
START_FIELDS = {
    "audit_type": "audit_type",
    "audit_date": "audit_date",
    "window_months": "window_months",
    "template_version": "template_version",
}


@login_required
@require_http_methods(["GET", "POST"])
def audit_start_page(request: HttpRequest, case_id: str) -> HttpResponse:
    case, access = case_get(user=request.user, case_id=case_id)
    if case is None or access is not Access.FULL or not request.user.has_perm("audits.start_audit", case):
        raise denied(request, object_type="case", object_ref=case_id)
    access_log_record(
        actor=request.user, object_type="case", object_ref=case.case_id, allowed=True, request=request
    )
    audit_types = list(audit_type_list())
    kinds = {kind.token: kind for kind in audit_types}
    errors = FieldErrors()
    step = "type"
    versions: list[TemplateVersion] = []
    if request.method == "POST":
        given = StartInput.from_post(request.POST, audit_types)
        posted = request.POST.get("step", "")
        posted = posted if posted in ("version", "details") else "type"
        audit_date, window, details = given.clean(audit_types, errors)
        kind = kinds.get(given.audit_type)
        versions = _versions_of(kind)
        asks_version = len(versions) > 1
        asks_details = kind is not None and bool(kind.requires)
        if asks_version and posted in ("version", "details"):
            _check_version(given, versions, errors)
        if errors:
            step = _step_of(errors, kind)
        elif asks_version and posted == "type":
            step = "version"  # an earlier version is still loaded: its own page (one thing per page)
        elif asks_details and posted != "details":
            step = "details"  # the type asks for more: its own page
        else:
            try:
                audit = audit_start(
                    actor=request.user,
                    case=case,
                    audit_type=given.audit_type,
                    template_version=int(given.template_version) if asks_version else None,
                    audit_date=audit_date,
                    window_months=window,
                    type_details=details,
                )
            except AuditRefused as refused:
                for problem in refused.problems:
                    _add_start_problem(
                        errors, given.audit_type, problem.ref, problem.field or "", problem.message
                    )
                step = _step_of(errors, kind)
            else:
                return redirect("audits:overview", audit_id=audit.pk)
    else:
        given = StartInput.initial(timezone.localdate())
    start_href = reverse("audits:start", args=[case.case_id])
    context = {
        "case": case,
        "child": case.child,
        "errors": errors.summary,
        "given": given,
        "back_href": reverse("cases:child", args=[case.child.child_id]) + f"#case-{case.case_id}",
        "start_href": start_href,
    }
    kind = kinds.get(given.audit_type)
    if step == "version" and kind is not None:
        return render(
            request,
            "audits/start_version.html",
            {
                **context,
                "kind": kind,
                "version": template_version_component(versions, given, errors),
                "carried": _carried_details(kind, given),
            },
        )
    if step == "details" and kind is not None:
        return render(
            request,
            "audits/start_details.html",
            {
                **context,
                "kind": kind,
                "asks_version": len(versions) > 1,
                "fields": [type_field_html(kind, spec, given, errors) for spec in kind.requires],
            },
        )
    current = {kind.template_ref: template_version_current(ref=kind.template_ref) for kind in audit_types}
    return render(
        request,
        "audits/start.html",
        {
            **context,
            "audit_type": audit_type_component(audit_types, current, given, errors),
            "audit_date": date_input(
                "audit_date",
                "Audit date",
                given.audit_date,
                errors,
                hint="The date you hold the audit with the worker. It is used in reporting.",
                legend_classes="govuk-fieldset__legend--m",
            ),
            "window_months": _window_component(audit_types, given, errors),
        },
    )


def _versions_of(kind: AuditType | None) -> list[TemplateVersion]:
    """The loaded versions of the type's template, newest first (TPL-1)."""
    if kind is None:
        return []
    history = template_version_history(ref=kind.template_ref)
    return [version for version in history if version.kind == TemplateVersion.Kind.AUDIT]


def _check_version(given: StartInput, versions: list[TemplateVersion], errors: FieldErrors) -> None:
    if not given.template_version:
        errors.add("template_version", "Select the version of the template", href="#template_version")
    elif given.template_version not in {str(v.version) for v in versions}:
        errors.add("template_version", "Select one of the versions listed", href="#template_version")


def _step_of(errors: FieldErrors, kind: AuditType | None) -> str:
    """The page that shows these errors: the version page or the details page when every error is
    theirs, else the first page (which shows the rest)."""
    fields = {item["href"].lstrip("#").removesuffix("-day") for item in errors.summary}
    if fields == {"template_version"}:
        return "version"
    if kind is not None and kind.requires and fields <= _detail_ids(kind):
        return "details"
    return "type"


def _carried_details(kind: AuditType, given: StartInput) -> list[tuple[str, str]]:
    """The type's details as already typed, as hidden fields of the version page, so that going
    through it again (a template revised meanwhile) loses nothing."""
    carried: list[tuple[str, str]] = []
    for field_id in sorted(_detail_ids(kind)):
        value = given.type_values.get(field_id)
        if isinstance(value, DateParts):
            carried += [(f"{field_id}-{part}", getattr(value, part)) for part in ("day", "month", "year")]
        elif isinstance(value, list):
            carried += [(field_id, item) for item in value]
        elif value:
            carried.append((field_id, str(value)))
    return carried


def _detail_ids(kind: AuditType) -> set[str]:
    return {type_field_id(kind.token, spec["ref"]) for spec in kind.requires}


def _window_component(
    audit_types: list[AuditType], given: StartInput, errors: FieldErrors
) -> dict[str, object]:
    defaults = "; ".join(f"{kind.name}: {kind.review_window_months} months" for kind in audit_types)
    return {
        "id": "window_months",
        "name": "window_months",
        "inputmode": "numeric",
        "classes": "govuk-input--width-2",
        "label": {"text": "Review window (optional)", "classes": "govuk-label--m"},
        "hint": {
            "text": "How many months back from the audit date the audit looks. Leave it blank to use the "
            f"type's window ({defaults})."
        },
        "suffix": {"text": "months"},
        "value": given.window_months,
        "errorMessage": errors.get("window_months"),
    }


def _add_start_problem(errors: FieldErrors, token: str, ref: str, field: str, message: str) -> None:
    if ref == "type_details" and token:
        field_id = type_field_id(token, field)
        errors.add(field_id, message)
    elif field in START_FIELDS:
        field_id = START_FIELDS[field]
        errors.add(field_id, message, href="#audit_date-day" if field_id == "audit_date" else None)
    else:
        errors.add_summary_only(message)
