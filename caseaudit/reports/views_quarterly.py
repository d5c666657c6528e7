"""The quarterly report's page (QA-3): the quarter's headline figures and confirmed themes, the
text QA writes ("what we will do next"), and one click to the PDF or the spreadsheet — the same
documents `quarterly_report --quarter` writes. Every view and download is logged."""

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from caseaudit.core.denials import denied
from caseaudit.core.forms import form_error_summary
from caseaudit.core.services import access_log_record
from caseaudit.moderation.sampling import Quarter
from caseaudit.reports.quarterly import quarterly_data
from caseaudit.reports.quarterly_documents import quarterly_pdf, quarterly_xlsx
from caseaudit.reports.services_quarterly import QuarterlyRefused, next_steps_save
from caseaudit.reports.views_themes import quarter_choices

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class NextStepsForm(forms.Form):
    next_steps = forms.CharField(
        label="What we will do next",
        help_text="For the Steering Group: what the service will do about the themes, strengths and barriers "
        "of the quarter. It is printed in the report as written.",
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,  # its length is the service's to check (next_steps_save)
    )


def _quarter(token: str, today: datetime.date) -> Quarter:
    try:
        return Quarter.parse(token)
    except ValueError:
        return Quarter.last_complete(today)


@login_required
@require_http_methods(["GET", "POST"])
def quarterly_page(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("reports.view_quarterly"):
        raise denied(request, object_type="quarterly_report", object_ref="page")
    today = timezone.localdate()
    quarter = _quarter(request.GET.get("period") or request.POST.get("period") or "", today)
    can_write = request.user.has_perm("reports.write_quarterly")
    data = quarterly_data(quarter=quarter, today=today)
    form = NextStepsForm(initial={"next_steps": data.next_steps}, auto_id="%s")
    errors: list[dict[str, str]] = []
    if request.method == "POST":
        if not can_write:
            raise denied(request, object_type="quarterly_report", object_ref=quarter.token, forbidden=True)
        form = NextStepsForm(request.POST, auto_id="%s")
        if form.is_valid():
            try:
                next_steps_save(actor=request.user, quarter=quarter, text=form.cleaned_data["next_steps"])
            except QuarterlyRefused as refused:
                errors = [{"text": p.message, "href": "#next_steps"} for p in refused.problems]
            else:
                messages.success(request, "What we will do next is saved: it is in the report")
                return HttpResponseRedirect(
                    reverse("reports:quarterly") + f"?period={quarter.year}Q{quarter.number}"
                )
        errors += form_error_summary(form)
    access_log_record(
        actor=request.user,
        object_type="quarterly_report",
        object_ref=quarter.token,
        allowed=True,
        request=request,
    )
    token = f"{quarter.year}Q{quarter.number}"
    return render(
        request,
        "reports/quarterly.html",
        {
            "data": data,
            "quarter": quarter,
            "token": token,
            "periods": quarter_choices(today),
            "form": form,
            "error_list": errors,
            "can_write": can_write,
            "can_manage_themes": request.user.has_perm("reports.manage_themes"),
            "pdf_href": reverse("reports:quarterly-pdf", args=[token]),
            "xlsx_href": reverse("reports:quarterly-xlsx", args=[token]),
        },
    )


def _download(request: HttpRequest, token: str, kind: str) -> HttpResponse:
    if not request.user.has_perm("reports.view_quarterly"):
        raise denied(request, object_type="quarterly_report", object_ref=token, action="download")
    try:
        quarter = Quarter.parse(token)
    except ValueError:
        raise denied(request, object_type="quarterly_report", object_ref=token, action="download") from None
    data = quarterly_data(quarter=quarter, today=timezone.localdate())
    access_log_record(
        actor=request.user,
        object_type="quarterly_report",
        object_ref=quarter.token,
        allowed=True,
        action="download",
        request=request,
    )
    body, content_type = (
        (quarterly_pdf(data), "application/pdf") if kind == "pdf" else (quarterly_xlsx(data), XLSX)
    )
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="quarterly-report-{quarter.year}-Q{quarter.number}.{kind}"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def quarterly_pdf_download(request: HttpRequest, token: str) -> HttpResponse:
    return _download(request, token, "pdf")


@login_required
@require_GET
def quarterly_xlsx_download(request: HttpRequest, token: str) -> HttpResponse:
    return _download(request, token, "xlsx")


urlpatterns: list[URLPattern] = [
    path("reports/quarterly/", quarterly_page, name="quarterly"),
    path("reports/quarterly/<str:token>/report.pdf", quarterly_pdf_download, name="quarterly-pdf"),
    path("reports/quarterly/<str:token>/report.xlsx", quarterly_xlsx_download, name="quarterly-xlsx"),
]
