"""The demo's story of actions and escalations (issue 11), played through the real services on
the audits of the story after Stage 1 (story_stage2), so each demo sign-in has its part:

- Joanne Hughes (practice manager) owns the chronology actions: October's moderated audit's is
  done and waits for her group manager's sign-off; the overdue October audit's is overdue; the
  November one is due soon. She signs off what Jo marks done.
- Jo Carter (social worker) owns the actions to meet the child: October's moderated audit's is
  signed off by Joanne; November's is done, waiting for Joanne; the overdue audit's has progress.
- Two November audits of Jo's team graded Inadequate: each opened an escalation at submission;
  Richard Osei (head of service) closed one with its outcome, the other is open and overdue, on
  the home page of Joanne, the group manager above her, Richard and the QA team.
- Joanne's last supervision of Jo, early in November, with notes on October's actions; her next
  agenda holds November's audits and every action not yet signed off.
All synthetic."""

import datetime
from dataclasses import dataclass

from caseaudit.actions.escalation import escalation_close
from caseaudit.actions.models import Escalation, StoryBoard
from caseaudit.actions.recognition import story_board_publish, story_board_save
from caseaudit.actions.services import action_done, action_progress, action_sign_off
from caseaudit.actions.supervision import supervision_record
from caseaudit.audits.deadlines import SAFEGUARDING_WORKING_DAYS
from caseaudit.audits.models import AuditAction
from caseaudit.cases.models import Case
from caseaudit.core.calendar import months_before
from caseaudit.demo.story_stage2 import Stage2Story, _person, _submitted, _working_day, demo_actions
from caseaudit.org.selectors import working_calendar


@dataclass(frozen=True)
class ActionsStory:
    signed_off: int
    awaiting_sign_off: int
    overdue: int
    escalations_open: int
    escalations_closed: int
    story_boards_published: int = 0
    story_boards_invited: int = 0


STORY = {
    "title": "Joint working with the school around a young carer",
    "what_we_did": "We met the young person at school each fortnight, with the pastoral lead, and "
    "agreed a plan with them for the days their mum is unwell.",
    "what_changed": "Attendance went from 70% to 94% in a term; they now have a young carers' card and "
    "a named teacher to go to.",
    "what_others_can_learn": "Ask where the young person wants to meet; bring the school in early; "
    "write the plan in their words.",
}


def _actions(audit_id: int) -> tuple[AuditAction, AuditAction]:
    """(the practice manager's, the worker's) actions of a story audit."""
    first, second = AuditAction.objects.filter(audit_id=audit_id).select_related("audit__worker", "owner")
    return first, second


def demo_actions_play(*, today: datetime.date, stage2: Stage2Story) -> ActionsStory:
    pm, worker, head = _person("practice.manager"), _person("social.worker"), _person("head.of.service")
    auditor = _person("group.manager")

    pm_action, worker_action = _actions(stage2.audits["moderated"])
    action_progress(actor=pm.user, action=pm_action, note="Chronology updated to the end of October.")
    action_done(actor=pm.user, action=pm_action, note="Chronology complete; the school's concerns are in it.")
    action_done(
        actor=worker.user, action=worker_action, note="Met the child at school on a Tuesday lunchtime."
    )
    action_sign_off(
        actor=pm.user, action=worker_action, note="Wishes recorded in the child's words; well done."
    )

    _, supervised = _actions(stage2.audits["overdue"])
    action_progress(actor=worker.user, action=supervised, note="Visit booked; the school asked to move it.")

    _, worker_action = _actions(stage2.audits["awaiting"])
    action_done(
        actor=worker.user, action=worker_action, note="Seen at school; wishes written up in the plan."
    )

    # ACT-4: Joanne's last supervision of Jo, early in November, carrying October's actions into it.
    overdue_pm_action = _actions(stage2.audits["overdue"])[0]
    supervision_record(
        actor=pm.user,
        worker=worker,
        held_on=_working_day(months_before(today.replace(day=1), 1) + datetime.timedelta(days=4)),
        note="Caseload of 14; two audits in October; reflective discussion on the child's voice.",
        action_notes={
            supervised.pk: "Agreed Jo meets the child at school before half-term ends.",
            overdue_pm_action.pk: "Joanne to finish the chronology with the school's concerns.",
        },
        today=today,
    )

    cases = list(Case.objects.filter(pk__in=stage2.cases[:2]).order_by("case_id"))
    november = months_before(today.replace(day=1), 1)
    escalations = []
    for index, case in enumerate(cases):
        # ACT-2: the first found safeguarding concerns, so its actions are due within 5 working days.
        audit_date = _working_day(november + datetime.timedelta(days=17 + index * 3))
        concerns = index == 0
        due = working_calendar().after(audit_date, SAFEGUARDING_WORKING_DAYS) if concerns else None
        audit = _submitted(
            auditor=auditor,
            case=case,
            audit_type="good_practice",
            audit_date=audit_date,
            grade="inadequate",
            actions=demo_actions(audit_date, worker, due=due),
            safeguarding_concerns=concerns,
        )
        escalations.append(Escalation.objects.get(audit=audit, status=Escalation.Status.OPEN))
    if escalations:
        escalation_close(
            actor=head.user,
            escalation=escalations[0],
            outcome_code=Escalation.Outcome.STRATEGY_DISCUSSION,
            outcome="Strategy discussion with the police and the school; the safety plan was updated and "
            "visits are now weekly.",
        )
    # ESC-3: last quarter's Thematic audits went final as Good: each invited a story board. One is
    # written by its worker and published by QA; the rest wait for their workers.
    qa = _person("qa.officer")
    boards = list(
        StoryBoard.objects.filter(audit__audit_type="thematic").select_related("audit__worker__user")
    )
    published = 0
    for board in boards[:1]:
        assert board.audit.worker is not None
        story_board_save(
            actor=board.audit.worker.user,
            board=board,
            texts=STORY,
            send_to_qa=True,
        )
        story_board_publish(actor=qa.user, board=board)
        published += 1
    return ActionsStory(
        signed_off=1,
        awaiting_sign_off=2,
        overdue=2,
        escalations_open=max(len(escalations) - 1, 0),
        escalations_closed=1 if escalations else 0,
        story_boards_published=published,
        story_boards_invited=len(boards) - published,
    )
