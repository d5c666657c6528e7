"""The monthly allocation in the administration: read only. Drafts, changes, confirmations and the
settings go through the services (and their pages), which check the rules and keep the history."""

from django.contrib import admin

from caseaudit.allocation.models import AllocationItem, AllocationRun, AllocationSettings
from caseaudit.core.admin_mixins import ReadOnlyAdminMixin


class ItemInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = AllocationItem
    extra = 0
    fields = ("case", "auditor", "same_area", "adjusted", "adjustment_reason", "audit")


@admin.register(AllocationRun)
class AllocationRunAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("id", "month", "status", "seed", "per_auditor", "created_at", "confirmed_at")
    list_filter = ("status",)
    exclude = ("result",)  # the explanation is shown on the allocation pages
    inlines = [ItemInline]


@admin.register(AllocationSettings)
class AllocationSettingsAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("__str__", "cases_per_auditor", "due_day", "closed_within_days", "audited_within_months")
