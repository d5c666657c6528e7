"""The monthly allocation in the administration: read only. Drafts, changes, confirmations and the
settings go through the services (and their pages), which check the rules and keep the history."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from caseaudit.allocation.models import AllocationItem, AllocationRun, AllocationSettings


class _ReadOnly:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ItemInline(_ReadOnly, admin.TabularInline):
    model = AllocationItem
    extra = 0
    fields = ("case", "auditor", "same_area", "adjusted", "adjustment_reason", "audit")


@admin.register(AllocationRun)
class AllocationRunAdmin(_ReadOnly, admin.ModelAdmin):
    list_display = ("id", "month", "status", "seed", "per_auditor", "created_at", "confirmed_at")
    list_filter = ("status",)
    exclude = ("result",)  # the explanation is shown on the allocation pages
    inlines = [ItemInline]


@admin.register(AllocationSettings)
class AllocationSettingsAdmin(_ReadOnly, admin.ModelAdmin):
    list_display = ("__str__", "cases_per_auditor", "due_day", "closed_within_days", "audited_within_months")
