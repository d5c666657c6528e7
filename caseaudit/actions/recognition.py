"""Recognition (ESC-3, CONTRACTS §10): an audit that becomes final as Good or Outstanding tells the
senior management team and invites the worker to write a Story Board with the auditor — what we
did, what changed for the child, what others can learn. They save it as they go and send it to QA;
QA publishes it, and every member of staff can read it (and its PDF). A story board never holds
the child's name, date of birth or IDs: every save refuses them, naming the field."""

import datetime
import re
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from caseaudit.accounts.roles import Role
from caseaudit.actions.mail import send_people
from caseaudit.actions.models import StoryBoard
from caseaudit.actions.services import ActionRefused
from caseaudit.audits.models import Audit
from caseaudit.core.calendar import long_date
from caseaudit.core.mail_text import site_url
from caseaudit.core.problems import Problem
from caseaudit.core.services import audit_event_record, user_or_none
from caseaudit.org.selectors import staff_list

RECOGNISED = ("good", "outstanding")
FIELDS = {
    "title": "Title",
    "what_we_did": "What we did",
    "what_changed": "What changed for the child",
    "what_others_can_learn": "What others can learn",
}
MAX_TEXT = 5000
MAX_TITLE = 200


def _grade_label(audit: Audit) -> str:
    labels = {grade["token"]: grade["label"] for grade in audit.template_version.grade_scale}
    return labels.get(audit.overall_grade, audit.overall_grade)


def recognition_invite(*, audit: Audit, actor: Any) -> StoryBoard | None:
    """Inside the transaction that makes the audit final: with a Good or Outstanding overall
    grade, invite the story board (once per audit) and tell SMT and the worker."""
    if audit.overall_grade not in RECOGNISED or StoryBoard.objects.filter(audit=audit).exists():
        return None
    board = StoryBoard.objects.create(audit=audit)
    audit_event_record(
        actor=actor,
        action="story_board.invited",
        object_type="story_board",
        object_ref=str(board.pk),
        summary=f"Audit {audit.pk} final as {_grade_label(audit)}: story board invited",
    )
    case, grade = audit.case, _grade_label(audit)
    link = site_url(reverse("actions:story-board", args=[board.pk]))
    send_people(
        [audit.worker],
        cc=[audit.auditor],
        subject=f"Good practice: write a story board of case {case.case_id}",
        lines=[
            f"The audit of case {case.case_id} ({case.team.name}) is final, graded {grade}. Well done.",
            "You are invited to write a story board with the auditor: what we did, what changed for "
            "the child and what others can learn. Once QA publishes it, all staff can read it.",
            "",
            "Write it here (never the child's name, date of birth or IDs):",
            link,
        ],
        kind="story_board",
        ref=board.pk,
    )
    send_people(
        staff_list(role=Role.SENIOR_MANAGER),
        subject=f"Good practice: an audit of case {case.case_id} is final as {grade}",
        lines=[
            f"The audit of case {case.case_id} ({case.team.name}) is final, graded {grade}. The worker "
            "has been invited to write a story board; you will be able to read it once QA publishes it.",
        ],
        kind="story_board",
        ref=board.pk,
    )
    return board


def _date_forms(day: datetime.date) -> list[str]:
    return [
        day.isoformat(),
        f"{day.day}/{day.month}/{day.year}",
        f"{day.day:02d}/{day.month:02d}/{day.year}",
        f"{day.day}.{day.month}.{day.year}",
        long_date(day),
        f"{day.day} {day:%b} {day.year}",
    ]


def identifying_problems(board: StoryBoard, texts: dict[str, str]) -> list[Problem]:
    """What in the texts would identify the child: their name (whole, or a first or last name of
    three letters or more), date of birth or child or case ID — each a problem on its field."""
    case = board.audit.case
    child = case.child
    # The whole name in any case; a first or last name (three letters or more) as a name is
    # written, capitalised, so the word "will" is not refused for a child called Will.
    parts = [part for part in re.split(r"[\s\-']+", child.name) if len(part) >= 3 and part.isalpha()]
    ids = [child.child_id, case.case_id]
    dates = _date_forms(child.date_of_birth) if child.date_of_birth else []
    problems = []
    for field, text in texts.items():
        lowered = text.lower()
        label = FIELDS[field]
        named = child.name.lower() in lowered or any(
            re.search(rf"\b{re.escape(part[0].upper() + part[1:])}\b", text) for part in parts
        )
        if named:
            problems.append(
                Problem(
                    "story_board",
                    field,
                    f"{label}: remove the child's name; story boards are read by all staff",
                    "identifies_child",
                )
            )
        if any(identifier and identifier.lower() in lowered for identifier in ids):
            problems.append(
                Problem(
                    "story_board", field, f"{label}: remove the child's or the case's ID", "identifies_child"
                )
            )
        if any(form.lower() in lowered for form in dates):
            problems.append(
                Problem(
                    "story_board", field, f"{label}: remove the child's date of birth", "identifies_child"
                )
            )
    return problems


def story_board_save(
    *, actor: Any, board: StoryBoard, texts: dict[str, str], send_to_qa: bool = False
) -> StoryBoard:
    """The worker or the auditor saves the story board; with `send_to_qa` every part is needed and
    it waits for QA to publish. Refused (422) with every problem, nothing saved."""
    if not actor.has_perm("actions.edit_story_board", board):
        raise PermissionDenied("Only the worker and the auditor write the story board.")
    cleaned = {field: (texts.get(field) or "").strip() for field in FIELDS}
    problems = identifying_problems(board, cleaned)
    if board.status == StoryBoard.Status.PUBLISHED:
        problems.append(
            Problem(
                "story_board", "status", "A published story board can no longer be changed", "wrong_status"
            )
        )
    for field, text in cleaned.items():
        limit = MAX_TITLE if field == "title" else MAX_TEXT
        if len(text) > limit:
            problems.append(
                Problem("story_board", field, f"{FIELDS[field]} must be {limit} characters or fewer")
            )
        elif send_to_qa and not text:
            problems.append(Problem("story_board", field, f"Enter {FIELDS[field].lower()}"))
    if problems:
        raise ActionRefused(problems)
    with transaction.atomic():
        board.refresh_from_db(fields=["status"], from_queryset=StoryBoard.objects.select_for_update())
        if board.status == StoryBoard.Status.PUBLISHED:
            raise ActionRefused(
                [Problem("story_board", "status", "A published story board can no longer be changed")]
            )
        changed = {
            field: [len(getattr(board, field)), len(text)]
            for field, text in cleaned.items()
            if getattr(board, field) != text
        }
        for field, text in cleaned.items():
            setattr(board, field, text)
        if send_to_qa:
            board.status = StoryBoard.Status.SUBMITTED
        board.updated_at, board.updated_by = timezone.now(), user_or_none(actor)
        board.save()
        audit_event_record(
            actor=actor,
            action="story_board.sent_to_qa" if send_to_qa else "story_board.saved",
            object_type="story_board",
            object_ref=str(board.pk),
            summary=f"Story board of audit {board.audit_id} {'sent to QA' if send_to_qa else 'saved'}",
            changes={"length": changed},
        )
    return board


def story_board_publish(*, actor: Any, board: StoryBoard) -> StoryBoard:
    """QA publishes a story board sent to them; the worker and the auditor are told."""
    if not actor.has_perm("actions.publish_story_board", board):
        raise PermissionDenied("Only QA publishes story boards.")
    with transaction.atomic():
        board.refresh_from_db(from_queryset=StoryBoard.objects.select_for_update())
        if board.status != StoryBoard.Status.SUBMITTED:
            raise ActionRefused(
                [
                    Problem(
                        "story_board",
                        "status",
                        "Only a story board sent to QA can be published; this one is "
                        f"{board.get_status_display().lower()}",
                        "wrong_status",
                    )
                ]
            )
        problems = identifying_problems(board, {field: getattr(board, field) for field in FIELDS})
        if problems:
            raise ActionRefused(problems)
        board.status, board.published_at, board.published_by = (
            StoryBoard.Status.PUBLISHED,
            timezone.now(),
            user_or_none(actor),
        )
        board.save(update_fields=["status", "published_at", "published_by"])
        audit_event_record(
            actor=actor,
            action="story_board.published",
            object_type="story_board",
            object_ref=str(board.pk),
            summary=f"Story board of audit {board.audit_id} published",
            changes={"status": ["submitted", "published"]},
        )
        send_people(
            [board.audit.worker, board.audit.auditor],
            subject="Your story board is published",
            lines=[
                "QA has published your story board; every member of staff can now read it.",
                "",
                site_url(reverse("actions:story-board", args=[board.pk])),
            ],
            kind="story_board",
            ref=board.pk,
        )
    return board
