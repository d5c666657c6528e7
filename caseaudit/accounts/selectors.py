"""Who the signed-in person is in the organisation, and which roles they hold."""

from typing import Any

from caseaudit.accounts.roles import QA_ROLES, Role


def user_staff(user: Any) -> Any:
    """The staff record linked to `user`, or None (e.g. a break-glass superuser)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.staff
    except Exception:  # RelatedObjectDoesNotExist: an account with no staff record
        return None


def user_roles(user: Any) -> frozenset[str]:
    """The roles `user` holds, read once per request and cached on the user object."""
    if user is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_caseaudit_roles", None)
    if cached is None:
        staff = user_staff(user)
        if staff is None or not staff.is_active:
            cached = frozenset()
        else:
            cached = frozenset(staff.roles.values_list("role", flat=True))
        user._caseaudit_roles = cached
    return cached


def user_has_role(user: Any, *roles: str) -> bool:
    return bool(user_roles(user) & set(roles))


def user_is_qa(user: Any) -> bool:
    return user_has_role(user, *QA_ROLES)


def user_is_administrator(user: Any) -> bool:
    return bool(getattr(user, "is_superuser", False)) or user_has_role(user, Role.ADMINISTRATOR)


def api_tokens_of(*, user: Any) -> Any:
    from caseaudit.accounts.models import ApiToken

    return ApiToken.objects.filter(user=user).order_by("-created_at")
