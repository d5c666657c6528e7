"""The family's voice (FAM-1, FAM-2): the auditor records, person by person, who was asked for
their view of the help they have had, whether they agreed, and only with their agreement their
answers to the five questions. On any audit, at any stage. Everyone who may see the audit sees it
on the audit's page and in its PDF; only the auditor records it (`audits.record_family_feedback`).
Works without JavaScript."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from caseaudit.audits.errors import AuditRefused
from caseaudit.audits.forms_family import CONSENT_HINTS, FamilyPersonForm, person_initial
from caseaudit.audits.models import Audit
from caseaudit.audits.presenters.audit import audit_summary
from caseaudit.audits.presenters.family import family_view
from caseaudit.audits.services_family import (
    family_questions,
    family_respondent_remove,
    family_respondent_save,
    family_respondents,
    respondent_payload,
    respondent_ref,
)
from caseaudit.audits.views.pages import audit_for, log_view
from caseaudit.core.forms import date_parts_input, form_error_summary
from caseaudit.templates_library.selectors import audit_type_get

PERMISSION = "audits.record_family_feedback"


def _back(audit: Audit) -> str:
    return reverse("audits:overview", args=[audit.pk]) + "#family-feedback"


@login_required
@require_http_methods(["GET", "POST"])
def family_feedback_page(request: HttpRequest, audit_id: int) -> HttpResponse:
    """The people recorded so far, and the form to add one."""
    audit = audit_for(request, audit_id, perm=PERMISSION)
    return _person_page(request, audit, number=None)


@login_required
@require_http_methods(["GET", "POST"])
def family_person_page(request: HttpRequest, audit_id: int, number: int) -> HttpResponse:
    """Change one person (`?remove=1`: confirm removing them)."""
    audit = audit_for(request, audit_id, perm=PERMISSION)
    stored = family_respondents(audit=audit)
    if not 1 <= number <= len(stored):
        raise Http404("No such person")
    if request.GET.get("remove") or request.POST.get("action") == "remove":
        return _remove_page(request, audit, number, who=stored[number - 1].get_who_display())
    return _person_page(request, audit, number=number, stored=respondent_payload(stored[number - 1]))


def _person_page(
    request: HttpRequest, audit: Audit, *, number: int | None, stored: dict[str, Any] | None = None
) -> HttpResponse:
    questions = family_questions()
    initial = person_initial(stored, questions) if stored else None
    form = FamilyPersonForm(
        request.POST if request.method == "POST" else None,
        questions=questions,
        initial=initial,
        auto_id="%s",
    )
    if form.is_valid():
        try:
            family_respondent_save(
                actor=request.user, audit=audit, number=number, respondent=form.respondent()
            )
        except AuditRefused as refused:
            ref = respondent_ref((number or len(family_respondents(audit=audit)) + 1) - 1)
            for problem in refused.problems:
                # Problems of other people (a list stored before a rule changed) show above the form.
                mine = problem.ref == ref
                form.add_error(form.field_of(problem.field) if mine else None, problem.message)
        else:
            who = form.cleaned_data.get("who")
            label = dict(form.fields["who"].choices).get(who, "The person")  # type: ignore[attr-defined]
            messages.success(request, f"Family feedback saved: {label}")
            return redirect(_back(audit))
    if request.method != "POST":
        log_view(request, audit)
    return render(
        request,
        "audits/family_feedback.html",
        {
            "summary": audit_summary(audit=audit, audit_type=audit_type_get(token=audit.audit_type)),
            "family": family_view(audit) if number is None else None,
            "number": number,
            "form": form,
            "errors": form_error_summary(form, hrefs=_hrefs(form)),
            "who": _radios(form, "who", {}),
            "consent": _radios(form, "consent", CONSENT_HINTS),
            "consent_date": _date_input(form),
            "answers": [form[name] for name in form.fields if name.startswith("answer_")],
            "back": _back(audit),
        },
    )


def _remove_page(request: HttpRequest, audit: Audit, number: int, *, who: str) -> HttpResponse:
    if request.method == "POST":
        try:
            family_respondent_remove(actor=request.user, audit=audit, number=number)
        except AuditRefused as refused:
            messages.error(request, refused.problems[0].message)
        else:
            messages.success(request, f"Removed {who} and their answers from the family feedback")
        return redirect(_back(audit))
    log_view(request, audit)
    return render(
        request,
        "audits/family_remove.html",
        {
            "summary": audit_summary(audit=audit, audit_type=audit_type_get(token=audit.audit_type)),
            "who": who,
            "number": number,
            "back": _back(audit),
        },
    )


def _hrefs(form: FamilyPersonForm) -> dict[str, str]:
    hrefs = {"who": "#who", "consent": "#consent"}
    hrefs.update(
        {
            name: "#consent_date-day" if name == "day" else f"#consent_date-{name}"
            for name in ("day", "month", "year")
        }
    )
    return hrefs


def _radios(form: FamilyPersonForm, name: str, hints: dict[str, str]) -> dict[str, Any]:
    field = form[name]
    value = field.value() or ""
    return {
        "name": name,
        "idPrefix": name,
        "fieldset": {"legend": {"text": str(field.label), "classes": "govuk-fieldset__legend--m"}},
        "errorMessage": {"text": " ".join(str(e) for e in field.errors)} if field.errors else None,
        "items": [
            {
                "value": token,
                "text": label,
                "hint": {"text": hints[token]} if token in hints else None,
                "checked": token == value,
            }
            for token, label in form.fields[name].choices  # type: ignore[attr-defined]
        ],
    }


def _date_input(form: FamilyPersonForm) -> dict[str, Any]:
    return date_parts_input(
        form,
        id="consent_date",
        legend="When did they agree? (only if they agreed)",
        hint="For example, 7 11 2026",
    )
