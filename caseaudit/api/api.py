"""The JSON API (INT-3), mounted at /api/: auth, errors as problem+json, and the routers.

Swagger UI at /api/docs is served from ninja's own static files ("ninja" is in INSTALLED_APPS),
never from a CDN a council network would block."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponseNotAllowed
from django.urls import URLPattern, URLResolver, path, re_path
from ninja import NinjaAPI, Swagger
from ninja.openapi.schema import OpenAPISchema

from caseaudit.api.auth import api_auth
from caseaudit.api.problems import (
    PROBLEM_CONTENT_TYPE,
    not_found_view,
    problem_handlers_register,
    problem_response,
)
from caseaudit.api.routers import (
    access,
    actions,
    allocations,
    audits,
    cases,
    discussions,
    family,
    feedback,
    moderation,
    organisation,
    panels,
    register,
    reports,
    supervision,
    templates,
)

DESCRIPTION = """
The case register and the organisation of the council, as the signed-in person may see them.

**Authentication.** Send `Authorization: Bearer <token>` with a personal token (create and
revoke tokens on your account's "API tokens" page), or use the browser session (unsafe methods
then need the `X-CSRFToken` header). The token is tried first.

**Lists** take `page` (from 1) and `page_size` (default 50, at most 500) and answer
`{"items": [...], "count": n}`; a page past the end has no items.

**Errors** are `application/problem+json` (RFC 9457): `type`, `title`, `status`, `detail` and
`errors` (`ref`, `field`, `message`). 400 malformed request (including a body that cannot be read:
JSON that does not parse, multipart without its boundary), 401 not signed in, 403 you may see
but may not do this, 404 unknown or not visible to you, 409 the record changed since the version
you loaded (see `PATCH /api/audits/{audit_id}` for when `version` must be sent), 413 a body over
the size limit, 422 refused by a rule, 503 a stored document is not available.
"""


def _problem_on_wrong_method(view: Callable[..., Any]) -> Callable[..., Any]:
    """ninja answers a wrong method with a bare 405; give it the problem+json body too."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            return problem_response(
                405,
                f"{request.method} is not allowed here. Allowed: {response['Allow']}.",
                headers={"Allow": response["Allow"]},
            )
        return response

    wrapped.csrf_exempt = True  # type: ignore[attr-defined]  # as ninja's own views
    return wrapped


class DocsPage(Swagger):
    """Swagger UI in a page of ours: language, a heading, a main landmark and a link back to the app."""

    template = "api/swagger.html"


class CaseauditAPI(NinjaAPI):
    """ninja's API with every answer of /api/... in our shape: unknown paths and wrong methods
    as problems, and 4xx/5xx documented as `application/problem+json` in the OpenAPI schema."""

    @property
    def urls(self) -> tuple[list[URLResolver | URLPattern], str, str]:
        patterns, app_name, namespace = super().urls
        result: list[URLResolver | URLPattern] = []
        for pattern in patterns:
            if isinstance(pattern, URLPattern) and pattern.name == "openapi-view":
                # The documentation is for staff: sign in first (the schema itself stays open to
                # API clients, which fetch it with their token or without one).
                result.append(
                    URLPattern(
                        pattern.pattern, login_required(pattern.callback), pattern.default_args, pattern.name
                    )
                )
            elif isinstance(pattern, URLPattern) and pattern.name == "api-root":
                # ninja's root raises Http404, which Django would answer with the HTML page.
                result.append(path("", not_found_view, name="api-root"))
            elif isinstance(pattern, URLPattern):
                result.append(
                    URLPattern(
                        pattern.pattern,
                        _problem_on_wrong_method(pattern.callback),
                        pattern.default_args,
                        pattern.name,
                    )
                )
            else:
                result.append(pattern)
        # Anything else under /api/ is an unknown endpoint: 404 problem, not the HTML page.
        result.append(re_path(r"^.*$", not_found_view, name="not-found"))
        return result, app_name, namespace

    def get_openapi_schema(self, **kwargs: Any) -> OpenAPISchema:
        schema = super().get_openapi_schema(**kwargs)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                for status, response in operation.get("responses", {}).items():
                    content = response.get("content", {})
                    if str(status)[0] in "45" and "application/json" in content:
                        content[PROBLEM_CONTENT_TYPE] = content.pop("application/json")
        return schema


api = CaseauditAPI(
    title="caseaudit API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=api_auth(),
    # No deep links: Swagger UI puts them inside each operation's button (nested controls, axe).
    docs=DocsPage(settings={"deepLinking": False}),
)
problem_handlers_register(api)
api.add_router("", organisation.router)
api.add_router("", cases.router)
api.add_router("", register.router)
api.add_router("", templates.router)
api.add_router("", audits.router)
api.add_router("", allocations.router)
api.add_router("", access.router)
api.add_router("", discussions.router)
api.add_router("", feedback.router)
api.add_router("", moderation.router)
api.add_router("", panels.router)
api.add_router("", family.router)
api.add_router("", actions.router)
api.add_router("", supervision.router)
api.add_router("", reports.router)
