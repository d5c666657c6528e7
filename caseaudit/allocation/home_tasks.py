"""What the home page shows from the monthly allocation: an auditor's audits to do (SEL-5), and for
QA this month's allocation and how far its Stage 1 audits have got (SEL-1, AUD-5)."""

from typing import Any

from django.urls import reverse
from django.utils import timezone

from caseaudit.access.selectors import access_requests_of
from caseaudit.accounts.selectors import user_staff
from caseaudit.allocation.models import AllocationRun
from caseaudit.allocation.selectors import allocation_month_progress, allocation_run_list, my_audits
from caseaudit.allocation.services.confirm import stage1_due_date
from caseaudit.audits.machines import EDITABLE
from caseaudit.core.calendar import long_date, month_label, months_before
from caseaudit.core.home import HomeLink, HomeTask, home_provider
from caseaudit.core.mail_text import plural


@home_provider
def auditor_tasks(user: Any) -> list[HomeTask]:
    if not user.has_perm("allocation.view_my_audits"):
        return []
    today = timezone.localdate()
    to_do = [audit for audit in my_audits(user=user) if audit.status in EDITABLE]
    if not to_do:
        return [
            HomeTask(
                "Your audits",
                ["You have no audits to do."],
                [HomeLink("My audits", reverse("allocation:my-audits"))],
                order=10,
            )
        ]
    lines = [f"You have {plural(len(to_do), 'audit')} to do."]
    due = [audit.due_date for audit in to_do if audit.due_date is not None]
    if due:
        lines[0] += f" The next is due by {long_date(min(due))}."
    staff = user_staff(user)
    restricted = [audit.case_id for audit in to_do if audit.case.restricted]
    if staff is not None and restricted:
        granted = access_requests_of(staff=staff, case_pks=restricted)
        closed = [pk for pk in restricted if granted.get(pk) != "granted"]
        if closed:
            lines.append(f"{plural(len(closed), 'case')} restricted: ask for access before you can open it.")
    overdue = sum(1 for audit in to_do if audit.due_date is not None and audit.due_date < today)
    return [
        HomeTask(
            "Your audits",
            lines,
            [HomeLink("Go to My audits", reverse("allocation:my-audits"))],
            tag=f"{overdue} overdue" if overdue else "",
            order=10,
        )
    ]


@home_provider
def qa_allocation_tasks(user: Any) -> list[HomeTask]:
    """This month's allocation and the next: confirmed (with how far Stage 1 has got), a draft
    waiting, or not drafted yet."""
    if not user.has_perm("allocation.run_allocation"):
        return []
    today = timezone.localdate()
    this_month = today.replace(day=1)
    lines: list[str] = []
    links: list[HomeLink] = []
    overdue = 0
    for month in (this_month, months_before(this_month, -1)):
        label = month_label(month)
        runs = [
            run for run in allocation_run_list(month=month) if run.status != AllocationRun.Status.DISCARDED
        ]
        confirmed = next((run for run in runs if run.status == AllocationRun.Status.CONFIRMED), None)
        if confirmed is not None:
            progress = allocation_month_progress(month=month, today=today)
            due = f", due by {long_date(progress.due_date)}" if progress.due_date else ""
            counts = f"{plural(progress.audits, 'audit')}, {progress.submitted} submitted"
            lines.append(f"{label}: confirmed, {counts}{due}.")
            links.append(
                HomeLink(f"See {label}", reverse("allocation:run", args=[confirmed.pk]), "'s allocation")
            )
            overdue += progress.overdue
        elif runs:
            lines.append(f"{label}: a draft is waiting to be reviewed and confirmed.")
            links.append(HomeLink(f"Review the {label} draft", reverse("allocation:run", args=[runs[0].pk])))
        else:
            due = (
                f" Stage 1 is due by {long_date(stage1_due_date(month=month))}."
                if month == this_month
                else ""
            )
            lines.append(f"{label}: not drafted yet.{due}")
            start = reverse("allocation:start") + f"?month={month:%Y-%m}"
            links.append(HomeLink(f"Run the allocation for {label}", start))
    return [
        HomeTask("Monthly allocation", lines, links, tag=f"{overdue} overdue" if overdue else "", order=30)
    ]
