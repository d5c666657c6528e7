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

from caseaudit.cases.importer import (
    ImportOutcome,
    ImportSourceError,
    Removals,
    register_import_from_uploads,
    register_imports_recent,
)
from caseaudit.cases.importer.limits import ImportLimits, size_text
from caseaudit.cases.importer.removals import removal_share
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
    # The confirmation step (issue 15): shown only after an upload that would deactivate or
    # un-list too much; it confirms those numbers, so a file that would remove more asks again.
    confirm_removals = forms.BooleanField(required=False)
    confirmed_staff = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    confirmed_cases = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["register_file"]
        field.help_text = f"{field.help_text}, up to {size_text(ImportLimits.current().upload_bytes)} in all"

    def confirmed_removals(self) -> Removals | None:
        if not self.cleaned_data.get("confirm_removals"):
            return None
        return Removals(
            staff_deactivated=self.cleaned_data.get("confirmed_staff") or 0,
            cases_unlisted=self.cleaned_data.get("confirmed_cases") or 0,
        )


def _plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def _confirmation(removals: Removals) -> dict[str, Any]:
    """The checkbox that confirms these removals, and what it says."""
    label = (
        f"Yes, deactivate {removals.staff_deactivated:,} staff and take "
        f"{_plural(removals.cases_unlisted, 'case')} out of the latest import"
    )
    return {
        "removals": removals,
        "checkboxes": {
            "name": "confirm_removals",
            "idPrefix": "confirm_removals",
            "fieldset": {
                "legend": {
                    "text": "Confirm what this import takes away",
                    "classes": "govuk-fieldset__legend--s",
                }
            },
            "hint": {"text": "Choose the file again as well: uploaded files are not kept."},
            "errorMessage": {"text": "Tick the box to confirm, then choose the file and upload it again"},
            "items": [{"value": "on", "text": label, "id": "confirm_removals"}],
        },
    }


def _refusal_errors(form: RegisterUploadForm, outcome: ImportOutcome) -> list[str]:
    """Put the refusal on the form; return the problems to list one by one."""
    if outcome.confirmation_needed and outcome.removals is not None:
        return [str(problem) for problem in outcome.errors]
    if outcome.register_changed:
        form.add_error("register_file", outcome.errors[0].message.capitalize())
        return []
    count = outcome.error_count
    form.add_error(
        "register_file",
        f"The register has {count:,} error{'s' if count != 1 else ''} and nothing was imported: "
        "correct them and upload it again",
    )
    return [str(problem) for problem in outcome.errors]


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
    not_listed = 0
    confirmation: dict[str, Any] | None = None
    error_list: list[dict[str, str]] = []
    if posted and form.is_valid():
        try:
            outcome = register_import_from_uploads(
                files=form.cleaned_data["register_file"],
                actor=request.user,
                via="web",
                confirm_removals=bool(form.cleaned_data["confirm_removals"]),
                confirmed_removals=form.confirmed_removals(),
            )
        except ImportSourceError as error:
            form.add_error("register_file", str(error))
        else:
            if outcome.ok and outcome.register_import is not None:
                return redirect(f"{reverse('cases:import-history')}?imported={outcome.register_import.pk}")
            problems = _refusal_errors(form, outcome)
            not_listed = outcome.errors_not_listed
            if outcome.confirmation_needed and outcome.removals is not None:
                message = outcome.removals.message(removal_share())
                confirmation = _confirmation(outcome.removals) | {"message": message}
                error_list.append(
                    {
                        "text": f"Nothing was imported. {message}: if the file is right, tick the box and "
                        "upload it again",
                        "href": "#confirm_removals",
                    }
                )
    field_id = f"#{form['register_file'].id_for_label}"
    error_list += [{"text": str(error), "href": field_id} for error in form.errors.get("register_file", [])]
    error_list += [{"text": text, "href": ""} for text in problems[:ERRORS_SHOWN]]
    more = len(problems) + not_listed - ERRORS_SHOWN
    if more > 0:
        error_list.append(
            {"text": f"and {more:,} more error{'s' if more != 1 else ''} not shown", "href": ""}
        )
    return render(
        request,
        "cases/import_upload.html",
        {
            "form": form,
            "error_list": error_list,
            "confirmation": confirmation,
            "removal_share": f"{removal_share():.0%}",
            "file_attributes": {"accept": ".zip,.xlsx,.csv"},
        },
    )


def _counts_rows(counts: dict[str, Any]) -> list[dict[str, Any]]:
    """Each table's counts; `not_in_latest_import` and `deactivated` are None for imports
    recorded before they were counted (issue 15)."""
    return [
        {"label": label, "not_in_latest_import": None, "deactivated": None, **counts[key]}
        for key, label in TABLE_LABELS.items()
        if key in counts
    ]


def _deactivated(counts: dict[str, Any]) -> int | None:
    staff = counts.get("staff") or {}
    return staff.get("deactivated")


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
    rows = [
        {
            "record": record,
            "counts": _counts_rows(record.counts or {}),
            "unconfirmed": None if record.ok else (record.counts or {}).get("confirmation_needed"),
        }
        for record in page.object_list
    ]
    return render(
        request,
        "cases/import_history.html",
        {
            "page": page,
            "rows": rows,
            "just_imported": just_imported,
            "just_imported_counts": _counts_rows(just_imported.counts) if just_imported else [],
            "just_imported_deactivated": _deactivated(just_imported.counts) if just_imported else None,
        },
    )
