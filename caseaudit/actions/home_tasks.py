"""What the home page shows from actions and escalations (ACT-1, ESC-1, ESC-2): to an action's
owner, their overdue, due-soon and done actions; to a signer, the actions waiting for their
sign-off; to the people an open escalation alerts (and senior managers), each open escalation; to
QA and managers, their line's and teams' actions with counts. Each names the case ID only (the
audit's own page names the child, to those who may see it)."""

from typing import Any

from django.urls import reverse
from django.utils import timezone

from caseaudit.accounts.roles import QA_ROLES, Role
from caseaudit.accounts.selectors import user_has_role
from caseaudit.actions.selectors import action_counts, action_list
from caseaudit.actions.selectors_lists import SOON_DAYS, escalations_alerting, my_action_counts
from caseaudit.core.calendar import long_date
from caseaudit.core.home import HomeLink, HomeRow, HomeTask, home_provider
from caseaudit.core.mail_text import plural

SHOWN = 10
MANAGERS = (
    Role.PRACTICE_MANAGER,
    Role.GROUP_MANAGER,
    Role.HEAD_OF_SERVICE,
    Role.SERVICE_MANAGER,
    *QA_ROLES,
)


@home_provider
def my_action_tasks(user: Any) -> list[HomeTask]:
    counts = my_action_counts(user=user, today=timezone.localdate())
    tasks = []
    owned = counts["overdue"] + counts["due_soon"] + counts["open"] + counts["done"]
    if owned:
        lines = []
        if counts["overdue"]:
            lines.append(f"{plural(counts['overdue'], 'action')} overdue.")
        if counts["due_soon"]:
            lines.append(f"{plural(counts['due_soon'], 'action')} due in the next {SOON_DAYS // 7} weeks.")
        if counts["open"]:
            lines.append(f"{plural(counts['open'], 'action')} due later.")
        if counts["done"]:
            lines.append(f"{plural(counts['done'], 'action')} done, awaiting sign-off.")
        tasks.append(
            HomeTask(
                "Your actions",
                lines,
                [HomeLink("Go to My actions", reverse("actions:mine"))],
                tag=f"{counts['overdue']} overdue" if counts["overdue"] else "",
                order=15,
            )
        )
    if counts["to_sign_off"]:
        tasks.append(
            HomeTask(
                f"{plural(counts['to_sign_off'], 'action')} to sign off",
                ["Done by their owners: check each, then sign it off or send it back."],
                [HomeLink("Sign off actions", reverse("actions:mine") + "#to-sign-off")],
                order=16,
            )
        )
    return tasks


@home_provider
def escalation_tasks(user: Any) -> list[HomeTask]:
    today = timezone.localdate()
    escalations = list(escalations_alerting(user=user, today=today)[: SHOWN + 1])
    if not escalations:
        return []
    rows = []
    overdue = 0
    for escalation in escalations[:SHOWN]:
        audit = escalation.audit
        late = escalation.due_date < today
        overdue += late
        worker = audit.worker.name if audit.worker else "no allocated worker"
        status = "overdue: outcome was due by" if late else "outcome due by"
        rows.append(
            HomeRow(
                HomeLink(
                    f"Case {audit.case.case_id}",
                    reverse("actions:escalation", args=[escalation.pk]),
                    ": escalation",
                ),
                f"Graded Inadequate ({audit.case.team.name}, {worker}), {status} "
                f"{long_date(escalation.due_date)}.",
            )
        )
    lines = ["Audits graded Inadequate: record what was done to keep the child safe."]
    if len(escalations) > SHOWN:
        lines.append(f"The {SHOWN} due soonest are shown.")
    return [
        HomeTask(
            "Open escalations",
            lines,
            [HomeLink("See all escalations", reverse("actions:escalations"))],
            rows=rows,
            tag=f"{overdue} overdue" if overdue else "",
            order=5,
        )
    ]


@home_provider
def line_action_tasks(user: Any) -> list[HomeTask]:
    if not user_has_role(user, *MANAGERS):
        return []
    today = timezone.localdate()
    counts = action_counts(actions=action_list(user=user, today=today), today=today)
    if not (counts["open"] or counts["done"]):
        return []
    lines = [
        f"{plural(counts['open'], 'action')} open, {counts['overdue']} overdue; "
        f"{counts['done']} done, awaiting sign-off."
    ]
    heading = "Actions of the audits you oversee" if user_has_role(user, *QA_ROLES) else "Your line's actions"
    return [
        HomeTask(
            heading,
            lines,
            [HomeLink("See the actions", reverse("actions:list"))],
            tag=f"{counts['overdue']} overdue" if counts["overdue"] else "",
            order=55,
        )
    ]
