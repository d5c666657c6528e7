"""Reads of story boards (ESC-3): published ones for all staff; the ones waiting for QA; the ones
a person is invited to write. Each permission is the rules' (`actions.view_story_board`)."""

from typing import Any

from django.db.models import Q, QuerySet

from caseaudit.actions.models import StoryBoard
from caseaudit.cases.selectors import case_scope

JOINS = ("audit__case__team", "audit__worker", "audit__auditor", "audit__response__template_version")


def story_boards_published() -> QuerySet[StoryBoard]:
    return (
        StoryBoard.objects.filter(status=StoryBoard.Status.PUBLISHED)
        .select_related(*JOINS)
        .order_by("-published_at")
    )


def story_boards_to_publish() -> QuerySet[StoryBoard]:
    return (
        StoryBoard.objects.filter(status=StoryBoard.Status.SUBMITTED)
        .select_related(*JOINS)
        .order_by("updated_at")
    )


def story_boards_to_write(*, user: Any) -> QuerySet[StoryBoard]:
    staff_pk = case_scope(user=user).staff_pk
    if staff_pk is None:
        return StoryBoard.objects.none()
    return (
        StoryBoard.objects.filter(Q(audit__worker_id=staff_pk) | Q(audit__auditor_id=staff_pk))
        .exclude(status=StoryBoard.Status.PUBLISHED)
        .select_related(*JOINS)
        .order_by("invited_at")
    )


def story_board_get(*, user: Any, board_id: int) -> StoryBoard | None:
    board = StoryBoard.objects.select_related(*JOINS, "audit__case__child").filter(pk=board_id).first()
    return board if board is not None and user.has_perm("actions.view_story_board", board) else None
