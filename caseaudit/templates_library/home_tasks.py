"""The home page's reminder to administrators and QA that a template in use is past its next review
date (TPL-1 document control): audits keep being started on it until a new version is loaded."""

from typing import Any

from django.urls import reverse
from django.utils import timezone

from caseaudit.accounts.roles import Role
from caseaudit.accounts.selectors import user_has_role, user_is_qa
from caseaudit.core.calendar import long_date
from caseaudit.core.home import HomeLink, HomeTask, home_provider
from caseaudit.templates_library.selectors import templates_past_review


@home_provider
def templates_to_review(user: Any) -> list[HomeTask]:
    if not (user_is_qa(user) or user_has_role(user, Role.ADMINISTRATOR) or user.is_superuser):
        return []
    overdue = list(templates_past_review(today=timezone.localdate()))
    if not overdue:
        return []
    lines = []
    for template in overdue:
        owner = f" Its owner is {template.owner}." if template.owner else ""
        lines.append(
            f"{template.title} (version {template.version_label or template.version}) was due for review "
            f"on {long_date(template.next_review_date)}.{owner}"
        )
    lines.append(
        "Load the reviewed version with the load_templates command: audits keep the version they began on."
    )
    links = []
    if user.is_staff:  # the administration is open to administrators only
        links = [
            HomeLink(
                "Templates in the administration",
                reverse("admin:templates_library_templateversion_changelist"),
            )
        ]
    count = len(overdue)
    return [
        HomeTask(
            "Templates past their review date",
            lines,
            links,
            tag=f"{count} to review",
            order=80,
        )
    ]
