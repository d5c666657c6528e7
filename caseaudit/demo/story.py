"""The demo's shared story, played through the real services after the register is imported, so
that each printed sign-in has its own part of it (issue 9, B9):

- the QA officer has confirmed this month's allocation;
- the group manager (the auditor) has audits to do, one of them of the demo social worker's case,
  with its discussion arranged with her, and a restricted case of hers to ask access for;
- the head of service, above the worker, has that access request to decide;
- the social worker and her practice manager see the audit of her case on their home pages;
- the year before this month is history (history.py): audits across the service, moderated, with
  their actions worked and family feedback, for Stage 3's figures."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from caseaudit.access.services import access_request_create
from caseaudit.allocation.errors import AllocationRefused
from caseaudit.allocation.models import AllocationRun
from caseaudit.allocation.selectors import allocation_confirmed_run
from caseaudit.allocation.services.adjust import allocation_adjust
from caseaudit.allocation.services.confirm import allocation_confirm
from caseaudit.allocation.services.drafts import allocation_draft
from caseaudit.audits.models import Audit
from caseaudit.audits.services_discussions import discussion_arrange
from caseaudit.cases.models import Case
from caseaudit.core.calendar import is_working_day, month_start
from caseaudit.demo.history import HistoryStory, demo_history_play
from caseaudit.demo.organisation import fixed_email
from caseaudit.demo.story_actions import ActionsStory, demo_actions_play
from caseaudit.demo.story_stage2 import Stage2Story, demo_stage2_play
from caseaudit.org.models import ClosureDay, Staff
from caseaudit.org.services_calendar import closure_day_add

REASON = "Demo: the demo auditor audits the demo social worker's case."


@dataclass(frozen=True)
class DemoStory:
    month: datetime.date
    audits: int
    auditor_audit_id: int
    restricted_case_id: str
    after_stage1: Stage2Story | None = None
    actions: ActionsStory | None = None
    history: HistoryStory | None = None


def _person(key: str) -> Staff:
    return Staff.objects.select_related("user").get(email=fixed_email(key))


def _give_to(run: AllocationRun, *, case: Case, auditor: Staff, qa: Staff) -> None:
    """Make `case` one of `auditor`'s in the draft, through the adjust service and its hard rules:
    if the draft did not pick it, it first takes the place of another case (the auditor's own
    where they have one), then it is given to the auditor."""
    if not run.items.filter(case=case).exists():
        candidates = run.items.select_related("case").exclude(case__allocated_worker=case.allocated_worker)
        ordered = sorted(candidates, key=lambda item: (item.auditor_id != auditor.pk, item.case.case_id))
        for item in ordered:
            try:
                allocation_adjust(
                    actor=qa.user,
                    run=run,
                    case_id=item.case.case_id,
                    replacement_case_id=case.case_id,
                    reason=REASON,
                )
            except AllocationRefused:
                continue  # that item's auditor may not audit this case: try the next
            break
        else:
            raise ValueError(f"no case of the draft could make way for {case.case_id}")
    item = run.items.get(case=case)
    if item.auditor_id != auditor.pk:
        allocation_adjust(
            actor=qa.user, run=run, case_id=case.case_id, auditor_staff_id=auditor.staff_id, reason=REASON
        )


def _next_working_day_at(hour: int, *, after: datetime.date) -> datetime.datetime:
    day = after + datetime.timedelta(days=1)
    while not is_working_day(day):
        day += datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _christmas_closure(qa: Any, today: datetime.date) -> None:
    """The council closes between Christmas and New Year (ACT-2: not working days), kept by QA."""
    for year in (today.year - 1, today.year):
        for day in range(27, 32):
            date = datetime.date(year, 12, day)
            if is_working_day(date) and not ClosureDay.objects.filter(day=date).exists():
                closure_day_add(actor=qa.user, day=date, name="Christmas closure")


def demo_story_play(*, today: datetime.date | None = None, history_months: int = 12) -> DemoStory | None:
    """Play the story for this month; None when the month is already allocated (a demo loaded
    again keeps the story it has)."""
    today = today or timezone.localdate()
    month = month_start(today)
    if allocation_confirmed_run(month=month) is not None:
        return None
    qa, auditor, worker = _person("qa.officer"), _person("group.manager"), _person("social.worker")
    _christmas_closure(qa, today)
    open_cases = Case.objects.filter(allocated_worker=worker, status=Case.Status.OPEN).order_by("case_id")
    case = open_cases.filter(restricted=False).first()
    restricted = open_cases.filter(restricted=True).first()
    if case is None or restricted is None:
        raise ValueError("the demo social worker needs an open case and an open restricted case")

    run = allocation_draft(actor=qa.user, month=month)
    _give_to(run, case=case, auditor=auditor, qa=qa)
    _give_to(run, case=restricted, auditor=auditor, qa=qa)
    confirmed = allocation_confirm(actor=qa.user, run=run)

    audit = Audit.objects.get(case=case, allocation_month=month)
    discussion_arrange(
        actor=auditor.user,
        audit=audit,
        starts_at=_next_working_day_at(10, after=today),
        duration_minutes=60,
        location="Northshire House, meeting room 2",
    )
    access_request_create(
        actor=auditor.user,
        case=restricted,
        reason="I audit this case this month and need to read the record before the discussion.",
    )
    taken = set(confirmed.items.values_list("case_id", flat=True)) | {restricted.pk}
    after_stage1 = demo_stage2_play(today=today, taken=taken)
    actions = demo_actions_play(today=today, stage2=after_stage1)
    history = (
        demo_history_play(today=today, taken=taken | set(after_stage1.cases), months=history_months)
        if history_months > 0
        else None
    )
    return DemoStory(
        after_stage1=after_stage1,
        actions=actions,
        history=history,
        month=month,
        audits=confirmed.items.count(),
        auditor_audit_id=audit.pk,
        restricted_case_id=restricted.case_id,
    )
