"""Starting an audit from the child's case (AUD-1, AUD-2, TPL-3): its type and the type's details,
the template version it will use, the audit date and the review window."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from caseaudit.audits.errors import AuditRefused
from caseaudit.audits.forms import FieldErrors, StartInput, type_field_id
from caseaudit.audits.presenters_forms import audit_type_component, date_input, type_field_html
from caseaudit.audits.services import audit_start
from caseaudit.cases.selectors import Access, case_get
from caseaudit.core.services import access_log_record
from caseaudit.templates_library.models import AuditType
from caseaudit.templates_library.selectors import audit_type_list, template_version_current

# Where a refusal of the service belongs on this page: {field of the problem: field id}.
START_FIELDS = {"audit_type": "audit_type", "audit_date": "audit_date", "window_months": "window_months"}


@login_required
@require_http_methods(["GET", "POST"])
def audit_start_page(request: HttpRequest, case_id: str) -> HttpResponse:
    case, access = case_get(user=request.user, case_id=case_id)
    if case is None or access is not Access.FULL or not request.user.has_perm("audits.start_audit", case):
        access_log_record(
            actor=request.user, object_type="case", object_ref=case_id, allowed=False, request=request
        )
        raise Http404("not found or no access")
    access_log_record(
        actor=request.user, object_type="case", object_ref=case.case_id, allowed=True, request=request
    )
    audit_types = list(audit_type_list())
    kinds = {kind.token: kind for kind in audit_types}
    errors = FieldErrors()
    step = "type"
    if request.method == "POST":
        given = StartInput.from_post(request.POST, audit_types)
        audit_date, window, details = given.clean(audit_types, errors)
        kind = kinds.get(given.audit_type)
        asks_details = kind is not None and bool(kind.requires)
        if errors:
            step = "details" if asks_details and _only_details(errors, kind) else "type"
        elif asks_details and request.POST.get("step") != "details":
            step = "details"  # the type asks for more: its own page (one thing per page)
        else:
            try:
                audit = audit_start(
                    actor=request.user,
                    case=case,
                    audit_type=given.audit_type,
                    audit_date=audit_date,
                    window_months=window,
                    type_details=details,
                )
            except AuditRefused as refused:
                for problem in refused.problems:
                    _add_start_problem(errors, given.audit_type, problem.ref, problem.field, problem.message)
                step = "details" if asks_details and _only_details(errors, kind) else "type"
            else:
                return redirect("audits:overview", audit_id=audit.pk)
    else:
        given = StartInput.initial(timezone.localdate())
    context = {
        "case": case,
        "child": case.child,
        "errors": errors.summary,
        "back_href": reverse("cases:child", args=[case.child.child_id]) + f"#case-{case.case_id}",
    }
    kind = kinds.get(given.audit_type)
    if step == "details" and kind is not None:
        return render(
            request,
            "audits/start_details.html",
            {
                **context,
                "kind": kind,
                "given": given,
                "fields": [type_field_html(kind, spec, given, errors) for spec in kind.requires],
                "start_href": reverse("audits:start", args=[case.case_id]),
            },
        )
    versions = {kind.template_ref: template_version_current(ref=kind.template_ref) for kind in audit_types}
    return render(
        request,
        "audits/start.html",
        {
            **context,
            "audit_type": audit_type_component(audit_types, versions, given, errors),
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


def _only_details(errors: FieldErrors, kind: AuditType | None) -> bool:
    """Every error is about the type's own details (so the details page shows them all)."""
    if kind is None:
        return False
    ids = {type_field_id(kind.token, spec["ref"]) for spec in kind.requires}
    return all(item["href"].lstrip("#").removesuffix("-day") in ids for item in errors.summary)


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
