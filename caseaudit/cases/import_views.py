"""The register upload page and the history of imports (INT-1), for QA and administrators."""

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.files.uploadedfile import UploadedFile
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from caseaudit.cases.importer import ImportSourceError, register_import_from_uploads, register_imports_recent
from caseaudit.core.services import access_log_record

ERRORS_SHOWN = 200
HISTORY_PAGE_SIZE = 25
TABLE_LABELS = {"teams": "Teams", "staff": "Staff", "children": "Children", "cases": "Cases"}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data] if data else [single(None, initial)]
        return [single(data, initial)]


class RegisterUploadForm(forms.Form):
    register_file = MultipleFileField(
        label="Register file",
        help_text="One .zip or .xlsx file, or up to three CSV files named teams.csv, staff.csv and cases.csv",
        error_messages={"required": "Select the register file to import"},
    )


def _require_import_permission(request: HttpRequest, object_ref: str) -> None:
    if not request.user.has_perm("cases.import_register"):
        access_log_record(
            actor=request.user,
            object_type="register_import",
            object_ref=object_ref,
            allowed=False,
            request=request,
        )
        raise Http404("No such page")


@login_required
@require_http_methods(["GET", "POST"])
def register_import_upload(request: HttpRequest) -> HttpResponse:
    _require_import_permission(request, "upload")
    posted = request.method == "POST"
    form = RegisterUploadForm(request.POST, request.FILES) if posted else RegisterUploadForm()
    problems: list[str] = []
    if posted and form.is_valid():
        try:
            outcome = register_import_from_uploads(
                files=form.cleaned_data["register_file"], actor=request.user, via="web"
            )
        except ImportSourceError as error:
            form.add_error("register_file", str(error))
        else:
            if outcome.ok and outcome.register_import is not None:
                return redirect(f"{reverse('cases:import-history')}?imported={outcome.register_import.pk}")
            count = len(outcome.errors)
            form.add_error(
                "register_file",
                f"The register has {count} error{'s' if count != 1 else ''} and nothing was imported: "
                "correct them and upload it again",
            )
            problems = [str(problem) for problem in outcome.errors]
    field_id = f"#{form['register_file'].id_for_label}"
    error_list = [{"text": str(error), "href": field_id} for error in form.errors.get("register_file", [])]
    error_list += [{"text": text, "href": ""} for text in problems[:ERRORS_SHOWN]]
    if len(problems) > ERRORS_SHOWN:
        more = len(problems) - ERRORS_SHOWN
        error_list.append({"text": f"and {more} more error{'s' if more != 1 else ''} not shown", "href": ""})
    return render(
        request,
        "cases/import_upload.html",
        {
            "form": form,
            "error_list": error_list,
            "file_attributes": {"accept": ".zip,.xlsx,.csv"},
        },
    )


def _counts_rows(counts: dict[str, dict[str, int]]) -> list[dict[str, Any]]:
    return [{"label": label, **counts[key]} for key, label in TABLE_LABELS.items() if key in counts]


@login_required
@require_http_methods(["GET"])
def register_import_history(request: HttpRequest) -> HttpResponse:
    _require_import_permission(request, "history")
    imports = register_imports_recent()
    page = Paginator(imports, HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    just_imported = None
    imported = request.GET.get("imported", "")
    if imported.isdigit():
        just_imported = imports.filter(pk=int(imported), ok=True).first()
    rows = [{"record": record, "counts": _counts_rows(record.counts or {})} for record in page.object_list]
    return render(
        request,
        "cases/import_history.html",
        {
            "page": page,
            "rows": rows,
            "just_imported": just_imported,
            "just_imported_counts": _counts_rows(just_imported.counts) if just_imported else [],
        },
    )
