"""The authority's name, on every page and document."""

from typing import Any

from django.http import HttpRequest

from caseaudit.org.selectors import authority_name


def authority(request: HttpRequest) -> dict[str, Any]:
    return {"authority_name": authority_name()}
