"""Story boards (ESC-3): the published ones for all staff (each also a PDF); the worker and the
auditor write theirs and send it to QA; QA publishes. Never the child's name, date of birth or IDs:
the service refuses them on the field. A story board the person may not read is a plain 404
(denial logged); every view is logged."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_GET, require_http_methods

from caseaudit.actions.models import StoryBoard
from caseaudit.actions.recognition import FIELDS, MAX_TEXT, MAX_TITLE, story_board_publish, story_board_save
from caseaudit.actions.selectors_story import (
    story_board_get,
    story_boards_published,
    story_boards_to_publish,
    story_boards_to_write,
)
from caseaudit.actions.services import ActionRefused
from caseaudit.audits.documents import audit_pdf_bytes
from caseaudit.core.calendar import long_date
from caseaudit.core.denials import denied
from caseaudit.core.forms import form_error_summary
from caseaudit.core.services import access_log_record
from caseaudit.org.selectors import authority_name

HINTS = {
    "title": "For example, Hearing a child's wishes about contact",
    "what_we_did": "The work, in plain words",
    "what_changed": "For the child and their family",
    "what_others_can_learn": "What another worker could do the same way",
}


class StoryBoardForm(forms.Form):
    title = forms.CharField(
        label=FIELDS["title"], help_text=HINTS["title"], required=False, max_length=MAX_TITLE
    )
    what_we_did = forms.CharField(
        label=FIELDS["what_we_did"],
        help_text=HINTS["what_we_did"],
        widget=forms.Textarea,
        required=False,
        max_length=MAX_TEXT,
    )
    what_changed = forms.CharField(
        label=FIELDS["what_changed"],
        help_text=HINTS["what_changed"],
        widget=forms.Textarea,
        required=False,
        max_length=MAX_TEXT,
    )
    what_others_can_learn = forms.CharField(
        label=FIELDS["what_others_can_learn"],
        help_text=HINTS["what_others_can_learn"],
        widget=forms.Textarea,
        required=False,
        max_length=MAX_TEXT,
    )


def _row(board: StoryBoard) -> dict[str, Any]:
    return {
        "href": reverse("actions:story-board", args=[board.pk]),
        "title": board.title or f"Story board of case {board.audit.case.case_id}",
        "team": board.audit.case.team.name,
        "worker": board.audit.worker.name if board.audit.worker else "",
        "published": long_date(board.published_at.date()) if board.published_at else "",
        "status": board.get_status_display(),
    }


@login_required
@require_GET
def story_boards_page(request: HttpRequest) -> HttpResponse:
    is_qa = request.user.has_perm("actions.publish_story_board", None)
    return render(
        request,
        "actions/story_boards.html",
        {
            "published": [_row(board) for board in story_boards_published()[:200]],
            "to_publish": [_row(board) for board in story_boards_to_publish()] if is_qa else [],
            "to_write": [_row(board) for board in story_boards_to_write(user=request.user)],
        },
    )


def _board(request: HttpRequest, board_id: int) -> StoryBoard:
    board = story_board_get(user=request.user, board_id=board_id)
    if board is None:
        raise denied(request, object_type="story_board", object_ref=str(board_id))
    return board


def _log(request: HttpRequest, board: StoryBoard, action: str = "view") -> None:
    access_log_record(
        actor=request.user,
        object_type="story_board",
        object_ref=str(board.pk),
        allowed=True,
        action=action,
        request=request,
    )


@login_required
@require_http_methods(["GET", "POST"])
def story_board_page(request: HttpRequest, board_id: int) -> HttpResponse:
    board = _board(request, board_id)
    can_edit = board.status != StoryBoard.Status.PUBLISHED and request.user.has_perm(
        "actions.edit_story_board", board
    )
    can_publish = board.status == StoryBoard.Status.SUBMITTED and request.user.has_perm(
        "actions.publish_story_board", board
    )
    initial = {field: getattr(board, field) for field in FIELDS}
    form = StoryBoardForm(
        request.POST if request.method == "POST" and can_edit else None, initial=initial, auto_id="%s"
    )
    if request.method == "POST":
        step = request.POST.get("step", "")
        try:
            if step == "publish" and can_publish:
                story_board_publish(actor=request.user, board=board)
                messages.success(request, "Story board published: every member of staff can read it")
                return redirect(reverse("actions:story-board", args=[board.pk]))
            if step in ("save", "send") and can_edit:
                if form.is_valid():
                    story_board_save(
                        actor=request.user, board=board, texts=form.cleaned_data, send_to_qa=step == "send"
                    )
                    messages.success(
                        request,
                        "Story board sent to QA to publish" if step == "send" else "Story board saved",
                    )
                    return redirect(reverse("actions:story-board", args=[board.pk]))
            elif step not in ("save", "send", "publish") or not (can_edit or can_publish):
                raise PermissionDenied
        except ActionRefused as refused:
            for problem in refused.problems:
                if problem.field in form.fields and form.is_bound:
                    form.add_error(problem.field, problem.message)
                else:
                    messages.error(request, problem.message)
        except PermissionDenied:
            raise denied(
                request, object_type="story_board", object_ref=str(board_id), forbidden=True
            ) from None
    else:
        _log(request, board)
    return render(
        request,
        "actions/story_board.html",
        {
            "board": board,
            "row": _row(board),
            "form": form,
            "can_edit": can_edit,
            "can_publish": can_publish,
            "errors": form_error_summary(form) if form.is_bound else [],
            "sections": [(FIELDS[field], getattr(board, field)) for field in FIELDS if field != "title"],
        },
    )


@login_required
@require_GET
def story_board_pdf(request: HttpRequest, board_id: int) -> HttpResponse:
    board = _board(request, board_id)
    _log(request, board, action="download")
    html = render_to_string(
        "actions/pdf/story_board.html",
        {
            "board": board,
            "row": _row(board),
            "authority_name": authority_name(),
            "sections": [(FIELDS[f], getattr(board, f)) for f in FIELDS if f != "title"],
        },
    )
    response = HttpResponse(audit_pdf_bytes(html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="story-board-{board.pk}.pdf"'
    return response


urlpatterns: list[URLPattern] = [
    path("story-boards/", story_boards_page, name="story-boards"),
    path("story-boards/<int:board_id>/", story_board_page, name="story-board"),
    path("story-boards/<int:board_id>/pdf/", story_board_pdf, name="story-board-pdf"),
]
