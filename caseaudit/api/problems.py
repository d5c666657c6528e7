"""Errors as `application/problem+json` (RFC 9457), the shape CONTRACTS §4 fixes:
`{"type", "title", "status", "detail", "errors": [{"ref", "field", "message"}]}`.

Every error path of the API ends here: our own `ApiProblem`s, ninja's validation and
authentication errors, Django's `Http404` / `PermissionDenied`, unknown routes, wrong
methods, a body that cannot be read (a multipart upload without its boundary, JSON that does not
parse: 400, not 500) and anything unexpected (500, logged with its traceback)."""

import json
import logging
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import (
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from caseaudit.core.problems import Refused
from caseaudit.core.services import access_log_record

if TYPE_CHECKING:
    from ninja import NinjaAPI

logger = logging.getLogger(__name__)

# How ninja's message starts when a body does not parse (ninja.params.models.BodyModel).
BODY_NOT_PARSED = "Cannot parse request body"

PROBLEM_CONTENT_TYPE = "application/problem+json"
# Stable identifiers, never fetched: `.example` is reserved (RFC 2606) so nobody can own it.
PROBLEM_TYPE_BASE = "https://caseaudit.example/problems/"

# status -> (type slug, title). Titles are fixed per type, as RFC 9457 asks; `detail` varies.
PROBLEM_KINDS: dict[int, tuple[str, str]] = {
    400: ("bad-request", "The request is malformed"),
    401: ("not-signed-in", "Not signed in"),
    403: ("forbidden", "You may not do this"),
    404: ("not-found", "Not found"),
    405: ("method-not-allowed", "Method not allowed"),
    409: ("stale-version", "The record has changed since you loaded it"),
    413: ("content-too-large", "The request is too large"),
    422: ("refused", "Refused by a rule"),
    429: ("too-many-requests", "Too many requests"),
    500: ("server-error", "Something went wrong on our side"),
    503: ("unavailable", "Not available at the moment"),
}


class ProblemError(Schema):
    """One thing wrong: `ref` is the question, section, action, parameter or row it is about."""

    ref: str | None = None
    field: str | None = None
    message: str


class Problem(Schema):
    """An error response (RFC 9457, `application/problem+json`)."""

    type: str
    title: str
    status: int
    detail: str
    errors: list[ProblemError] = []


class ApiProblem(Exception):
    """Raise from an endpoint to answer with a problem; `extra` adds members (RFC 9457 §3.2)."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        errors: Iterable[Mapping[str, Any]] = (),
        extra: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = [dict(e) for e in errors]
        self.extra = dict(extra or {})
        self.headers = dict(headers or {})


def not_visible(request: HttpRequest, *, object_type: str, object_ref: Any, detail: str) -> ApiProblem:
    """The API's one denial: the access log's row (SEC-1), then a 404 problem to raise, the same as
    for a record that does not exist (CONTRACTS §3)."""
    access_log_record(
        actor=request.user,
        object_type=object_type,
        object_ref=str(object_ref),
        allowed=False,
        request=request,
        via="api",
    )
    return ApiProblem(404, detail)


def refused_problem(exc: Refused, detail: str) -> ApiProblem:
    """Every app's refusal by a rule as the API's problem: `exc.status` (422, or 409 for a conflict)
    with each of its problems; `detail` says what did not happen, unless the refusal says it."""
    return ApiProblem(
        exc.status, exc.detail or detail, errors=[problem.as_dict() for problem in exc.problems]
    )


def problem_type(status: int) -> str:
    slug, _ = PROBLEM_KINDS.get(status, ("error", "Error"))
    return PROBLEM_TYPE_BASE + slug


def problem_body(
    status: int,
    detail: str,
    *,
    errors: Iterable[Mapping[str, Any]] = (),
    extra: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    _, title = PROBLEM_KINDS.get(status, ("error", "Error"))
    body: dict[str, Any] = {
        "type": problem_type(status),
        "title": title,
        "status": status,
        "detail": detail,
        "errors": [
            {"ref": e.get("ref"), "field": e.get("field"), "message": str(e.get("message", ""))}
            for e in errors
        ],
    }
    for key, value in (extra or {}).items():
        body.setdefault(key, value)
    return body


def problem_response(
    status: int,
    detail: str,
    *,
    errors: Iterable[Mapping[str, Any]] = (),
    extra: Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
) -> HttpResponse:
    body = problem_body(status, detail, errors=errors, extra=extra)
    response = HttpResponse(
        json.dumps(body, cls=DjangoJSONEncoder), status=status, content_type=PROBLEM_CONTENT_TYPE
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _validation_errors(raw: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """ninja's `loc` is (source, name, ...): the source ("query", "body", "file", "path")
    becomes `ref`, the rest the dotted `field`."""
    errors = []
    for item in raw:
        loc = [str(part) for part in item.get("loc", ())]
        errors.append(
            {
                "ref": loc[0] if loc else None,
                "field": ".".join(loc[1:]) or None,
                "message": item.get("msg", "is not valid"),
            }
        )
    return errors


def _on_api_problem(request: HttpRequest, exc: ApiProblem) -> HttpResponse:
    return problem_response(exc.status, exc.detail, errors=exc.errors, extra=exc.extra, headers=exc.headers)


def _on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = _validation_errors(exc.errors)
    return problem_response(400, "The request has errors: see `errors`.", errors=errors)


def _on_authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    detail = exc.message
    if detail == AuthenticationError().message:  # ninja's default: nothing usable was sent
        detail = "Sign in, or send `Authorization: Bearer <token>`."
    return problem_response(401, detail, headers={"WWW-Authenticate": 'Bearer realm="caseaudit"'})


def _on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400 and exc.message.startswith(BODY_NOT_PARSED):
        # ninja's words for a JSON body that does not parse; say what to send instead.
        return problem_response(
            400,
            "The request body is not valid JSON: send a JSON object with `Content-Type: application/json`.",
            errors=[{"ref": "body", "field": None, "message": "is not valid JSON"}],
        )
    return problem_response(exc.status_code, exc.message)


def _on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return problem_response(404, "Not found, or you do not have access.")


def _on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return problem_response(403, str(exc) or "You do not have permission to do this.")


def _on_unreadable_body(
    request: HttpRequest, exc: MultiPartParserError | UnreadablePostError
) -> HttpResponse:
    """A body Django cannot read: multipart without its boundary, or with a broken one, or a
    connection that dropped mid-upload. The client's fault, so 400, whichever endpoint it was."""
    if isinstance(exc, MultiPartParserError):
        detail = (
            "The multipart body could not be read. Send `multipart/form-data` with its boundary, "
            "as an HTTP library does when it is given the files."
        )
    else:
        detail = "The request body could not be read: the upload was cut off. Send it again."
    return problem_response(400, detail, errors=[{"ref": "body", "field": None, "message": str(exc)}])


def _on_suspicious_body(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
    """What Django itself refuses (too many fields or files, a body over the size limit, ...),
    logged to `django.security` as Django does, answered as a problem."""
    if isinstance(exc, RequestDataTooBig):
        status = 413
        detail = f"The request body is larger than the {settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes allowed."
    elif isinstance(exc, TooManyFieldsSent | TooManyFilesSent):
        status, detail = 400, f"The request body has too many parts: {exc}"
    else:
        status, detail = 400, "The request was refused as unsafe."
    security_logger = logging.getLogger(f"django.security.{exc.__class__.__name__}")
    security_logger.error(str(exc), extra={"status_code": status, "request": request})
    return problem_response(status, detail)


def _on_unexpected(request: HttpRequest, exc: Exception | type[Exception]) -> HttpResponse:
    traceback = exc if isinstance(exc, BaseException) else True
    logger.error("Unexpected error in the API at %s", request.path, exc_info=traceback)
    return problem_response(500, "The error has been logged. Please try again later.")


def problem_handlers_register(api: "NinjaAPI") -> None:
    """Replace ninja's default handlers (plain `{"detail": ...}`, 422 for validation)."""
    api.add_exception_handler(Exception, _on_unexpected)
    api.add_exception_handler(ApiProblem, _on_api_problem)  # type: ignore[arg-type]
    api.add_exception_handler(ValidationError, _on_validation_error)  # type: ignore[arg-type]
    api.add_exception_handler(AuthenticationError, _on_authentication_error)  # type: ignore[arg-type]
    api.add_exception_handler(HttpError, _on_http_error)  # type: ignore[arg-type]
    api.add_exception_handler(Http404, _on_not_found)  # type: ignore[arg-type]
    api.add_exception_handler(PermissionDenied, _on_permission_denied)  # type: ignore[arg-type]
    api.add_exception_handler(MultiPartParserError, _on_unreadable_body)  # type: ignore[arg-type]
    api.add_exception_handler(UnreadablePostError, _on_unreadable_body)  # type: ignore[arg-type]
    api.add_exception_handler(SuspiciousOperation, _on_suspicious_body)  # type: ignore[arg-type]


def not_found_view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Any path under /api/ that names no endpoint."""
    return problem_response(404, f"There is no API endpoint at {request.path}.")
