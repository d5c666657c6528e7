"""Who is calling the API (CONTRACTS §4): a personal bearer token first, then the browser session.

Token clients therefore never need a CSRF token; a browser session does, for unsafe methods.
An endpoint that needs a permission names it in its auth (`api_auth(permission=...)`), so the
check runs as soon as the caller is known, before the request is parsed: someone who may not
import learns nothing about their upload, only 403."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer
from ninja.security.apikey import APIKeyCookie
from ninja.utils import check_csrf

from caseaudit.accounts.services import api_token_authenticate
from caseaudit.api.problems import ApiProblem


class _Permission:
    """The permission the endpoint needs once the caller is known ("may see but may not do")."""

    def __init__(self, permission: str | None, doing: str) -> None:
        self.permission = permission
        self.doing = doing

    def check(self, user: Any) -> Any:
        if self.permission is not None and not user.has_perm(self.permission):
            raise ApiProblem(403, f"You do not have permission to {self.doing}.")
        return user


class BearerTokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`, a personal token from the account's "API tokens" page.

    A token that is sent but unknown or revoked is refused outright (401) rather than
    falling back to the session: a client that presents a credential means to use it."""

    def __init__(self, permission: _Permission | None = None) -> None:
        super().__init__()
        self.permission = permission or _Permission(None, "")

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        token = token.strip()
        user = api_token_authenticate(raw=token) if token else None
        if user is None:
            raise AuthenticationError(message="The API token is not valid, or has been revoked.")
        # Permissions (request.user.has_perm) and selectors read the token's owner.
        request.user = user
        return self.permission.check(user)


class SessionCsrfAuth(APIKeyCookie):
    """The signed-in browser session. Unsafe methods must carry the CSRF token
    (`X-CSRFToken` header); a failed check is 403. Not signed in falls through to 401."""

    param_name: str = settings.SESSION_COOKIE_NAME

    def __init__(self, permission: _Permission | None = None) -> None:
        super().__init__(csrf=True)
        self.permission = permission or _Permission(None, "")

    def __call__(self, request: HttpRequest) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request) is not None:
            raise ApiProblem(
                403,
                "The CSRF check failed: send the `X-CSRFToken` header with the csrftoken cookie's value, "
                "or use a bearer token.",
            )
        return self.permission.check(user)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:  # pragma: no cover
        user = getattr(request, "user", None)
        return user if user is not None and user.is_authenticated else None


def api_auth(*, permission: str | None = None, doing: str = "do this") -> list[Any]:
    """The auth chain, in the order it is tried; with `permission`, a signed-in caller without
    it is 403 ("You do not have permission to <doing>")."""
    needed = _Permission(permission, doing)
    return [BearerTokenAuth(needed), SessionCsrfAuth(needed)]
