"""One read-only administration for what only the services may change (audits, allocations,
templates): the admin shows the records but adds, changes and deletes nothing, so every change
keeps its rules and its history (REC-3)."""

from typing import Any

from django.http import HttpRequest


class ReadOnlyAdminMixin:
    """Mix into a ModelAdmin or an inline, before the admin class."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
