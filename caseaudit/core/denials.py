"""One way to refuse a page: the denial is logged (SEC-1) and the person sees the plain
"not found or no access" page, with no hint that the record exists (CONTRACTS §3)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from caseaudit.core.services import access_log_record


def denied(
    request: HttpRequest, *, object_type: str, object_ref: str, forbidden: bool = False, action: str = "view"
) -> Exception:
    """Log the denial and return the exception to raise: Http404, or PermissionDenied (403) where
    the person may see the record but not do this (`forbidden`)."""
    access_log_record(
        actor=request.user,
        object_type=object_type,
        object_ref=str(object_ref),
        allowed=False,
        request=request,
    )
    return PermissionDenied("no access") if forbidden else Http404("not found or no access")
