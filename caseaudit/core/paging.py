"""The GOV.UK pagination component's arguments for a Django page, shared by every list page."""

from typing import Any
from urllib.parse import urlencode


def pagination_params(page: Any, query: dict[str, Any], label: str) -> dict[str, object] | None:
    """Arguments of the GOV.UK pagination component for a Django `Page`; None for a single page.
    `query` is the list's filters, kept on every link; `label` names the landmark ("Pages of cases")."""
    paginator = page.paginator
    if paginator.num_pages <= 1:
        return None

    def href(n: int) -> str:
        return "?" + urlencode({**query, "page": n})

    number = page.number
    items: list[dict[str, object]] = []
    for n in paginator.get_elided_page_range(number, on_each_side=2, on_ends=1):
        if n == paginator.ELLIPSIS:
            items.append({"ellipsis": True})
        else:
            items.append({"number": str(n), "href": href(int(n)), "current": n == number})
    result: dict[str, object] = {"items": items, "landmarkLabel": label}
    if page.has_previous():
        result["previous"] = {"href": href(number - 1)}
    if page.has_next():
        result["next"] = {"href": href(number + 1)}
    return result
