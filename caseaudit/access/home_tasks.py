"""What the home page shows from access requests: the approver's requests waiting (SEL-6)."""

from typing import Any

from django.urls import reverse

from caseaudit.access.selectors import access_requests_waiting_count
from caseaudit.core.home import HomeLink, HomeTask, home_provider
from caseaudit.core.mail_text import plural


@home_provider
def approver_tasks(user: Any) -> list[HomeTask]:
    waiting = access_requests_waiting_count(user=user)
    if not waiting:
        return []
    verb = "is" if waiting == 1 else "are"
    return [
        HomeTask(
            "Access requests",
            [f"{plural(waiting, 'request')} to open a restricted record {verb} waiting for your decision."],
            [HomeLink("Decide on access requests", reverse("access:list"))],
            order=20,
        )
    ]
