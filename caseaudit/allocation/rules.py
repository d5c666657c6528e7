"""Permissions of the monthly allocation (django-rules). A Django
superuser passes every check."""

from typing import Any

import rules

from caseaudit.accounts.selectors import user_is_administrator, user_is_qa
from caseaudit.allocation.selectors import user_is_auditor


@rules.predicate
def is_qa(user: Any) -> bool:
    """QA officers and the head of QA run the monthly allocation (SEL-1)."""
    return user_is_qa(user)


@rules.predicate
def is_administrator(user: Any) -> bool:
    return user_is_administrator(user)


@rules.predicate
def is_auditor(user: Any) -> bool:
    """Holds a role whose holders audit (the setting; group managers by default, SEL-3)."""
    return user_is_auditor(user)


rules.add_perm("allocation.run_allocation", rules.is_authenticated & is_qa)
rules.add_perm("allocation.change_settings", rules.is_authenticated & (is_qa | is_administrator))
rules.add_perm("allocation.view_my_audits", rules.is_authenticated & is_auditor)
