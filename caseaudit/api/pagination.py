"""Pages of a list (CONTRACTS §4): `?page=N` from 1 and `page_size` (default 50, at most 500)
answer `{"items": [...], "count": n}`; a page past the end simply has no items."""

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.db.models import QuerySet
from ninja import Field, Schema

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 500

T = TypeVar("T")


class PageParams(Schema):
    page: int = Field(1, ge=1, description="Page number, from 1. A page past the end has no items.")
    page_size: int = Field(
        DEFAULT_PAGE_SIZE,
        ge=1,
        le=MAX_PAGE_SIZE,
        description=f"Items per page, at most {MAX_PAGE_SIZE}.",
    )


def page_of(
    rows: QuerySet[Any] | Sequence[Any], *, params: PageParams, present: Callable[[Any], T]
) -> dict[str, Any]:
    """One page of `rows`, each shaped by `present`, and the total count over every page."""
    count = rows.count() if isinstance(rows, QuerySet) else len(rows)
    start = (params.page - 1) * params.page_size
    window = rows[start : start + params.page_size] if start < count else []
    return {"items": [present(row) for row in window], "count": count}
