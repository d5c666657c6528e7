"""The django-rules predicates about who someone is, shared by every app's rules: the break-glass
superuser and the QA team (CONTRACTS §3)."""

from typing import Any

import rules

from caseaudit.accounts.selectors import user_is_qa


@rules.predicate
def is_superuser(user: Any) -> bool:
    return bool(getattr(user, "is_superuser", False))


@rules.predicate
def is_qa(user: Any) -> bool:
    return user_is_qa(user)
