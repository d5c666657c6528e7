"""Who is signed in, for the home page's "You" (registered into core's home page)."""

from collections.abc import Iterator
from typing import Any

from caseaudit.accounts.roles import Role
from caseaudit.accounts.selectors import user_roles, user_staff
from caseaudit.core.home import home_profile_provider


@home_profile_provider
def signed_in_as(user: Any) -> Iterator[str]:
    staff = user_staff(user)
    if staff is None:
        yield f"Signed in as {user.get_username()}."
    else:
        parts = [staff.name, staff.job_role, staff.team.name if staff.team_id else ""]
        yield f"Signed in as {', '.join(part for part in parts if part)}."
    roles = sorted(Role(role).label for role in user_roles(user))
    if roles:
        yield f"Your roles: {', '.join(roles)}."
