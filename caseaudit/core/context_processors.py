"""What every page needs: the navigation for this person (the authority's name comes from org)."""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    items: list[dict[str, Any]] = []
    if user.is_authenticated:
        candidates = [
            ("Home", reverse("core:home"), None),
            ("Cases", reverse("cases:list"), "cases.list_cases"),
            ("Import register", reverse("cases:import"), "cases.import_register"),
            ("Organisation", reverse("org:teams"), "org.view_organisation"),
            ("Allocation", reverse("allocation:start"), "allocation.run_allocation"),
            ("My audits", reverse("allocation:my-audits"), "allocation.view_my_audits"),
            ("Access requests", reverse("access:list"), "access.view_access_requests"),
            ("Actions", reverse("actions:mine"), None),
            ("Story boards", reverse("actions:story-boards"), None),
            ("Reports", reverse("reports:dashboard"), "reports.view_dashboard"),
            ("Subject access", reverse("reports:subject-access"), "reports.subject_access"),
        ]
        if not user.has_perm("allocation.run_allocation") and user.has_perm("allocation.change_settings"):
            candidates.append(("Allocation settings", reverse("allocation:settings"), None))
        for text, href, perm in candidates:
            if perm is None or user.has_perm(perm):
                current = request.path == href or (href != "/" and request.path.startswith(href))
                items.append({"text": text, "href": href, "active": current})
        items.append({"text": "Sign out", "href": reverse("accounts:sign-out")})
    return {"navigation_items": items}
