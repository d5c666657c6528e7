"""Permissions over the organisation: any active member of staff may read its structure."""

from typing import Any

import rules

from caseaudit.accounts.predicates import is_qa
from caseaudit.accounts.selectors import user_is_administrator, user_staff


@rules.predicate
def is_active_staff_or_superuser(user: Any) -> bool:
    staff = user_staff(user)
    return bool(getattr(user, "is_superuser", False)) or (staff is not None and staff.is_active)


@rules.predicate
def may_administer(user: Any) -> bool:
    return user_is_administrator(user)


rules.add_perm("org.view_organisation", rules.is_authenticated & is_active_staff_or_superuser)
rules.add_perm("org.administer", rules.is_authenticated & may_administer)

# The council's closure days count out of every working-day deadline (core.calendar): QA and
# administrators keep them.
rules.add_perm("org.manage_closure_days", rules.is_authenticated & (is_qa | may_administer))
