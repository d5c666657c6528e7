"""Subject access (REC-2): the head of QA or the information governance officer enters a child's
ID and downloads everything caseaudit holds about the child as one .zip (subject_access.py).
Every export, and every refusal, is in the access log."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET

from caseaudit.core.denials import denied
from caseaudit.core.forms import form_error_summary
from caseaudit.core.services import access_log_record
from caseaudit.reports.subject_access import subject_access_zip, subject_child


class SubjectAccessForm(forms.Form):
    child_id = forms.CharField(
        label="Child ID",
        help_text="The child's ID in the case management system, as on the register.",
        max_length=64,
        error_messages={"required": "Enter the child's ID"},
    )


def subject_access_response(body: bytes, child_id: str) -> HttpResponse:
    response = HttpResponse(body, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="subject-access-{child_id}.zip"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def subject_access_page(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("reports.subject_access"):
        raise denied(
            request, object_type="subject_access_export", object_ref=request.GET.get("child_id", "page")
        )
    form = SubjectAccessForm(request.GET or None, auto_id="%s")
    if form.is_bound and form.is_valid():
        child_id = form.cleaned_data["child_id"].strip()
        child = subject_child(child_id=child_id)
        if child is None:
            access_log_record(
                actor=request.user,
                object_type="subject_access_export",
                object_ref=child_id,
                allowed=False,
                action="export",
                request=request,
            )
            form.add_error("child_id", f"There is no child with the ID {child_id} on the register")
        else:
            body, _ = subject_access_zip(child=child, requested_by=request.user.get_username())
            access_log_record(
                actor=request.user,
                object_type="subject_access_export",
                object_ref=child.child_id,
                allowed=True,
                action="export",
                request=request,
            )
            return subject_access_response(body, child.child_id)
    return render(
        request,
        "reports/subject_access.html",
        {"form": form, "error_list": form_error_summary(form) if form.is_bound else []},
    )


urlpatterns: list[URLPattern] = [path("reports/subject-access/", subject_access_page, name="subject-access")]
