"""Audits in the administration: read only. Every change to an audit goes through the services,
which check the grading rules and keep the history (REC-3)."""

from django.contrib import admin

from caseaudit.audits.models import Audit, AuditAction, AuditStatusChange, ComplianceGap
from caseaudit.core.admin_mixins import ReadOnlyAdminMixin


class ActionInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = AuditAction
    extra = 0
    fields = ("what", "owner", "owner_is_fallback", "due_date", "status")


class StatusChangeInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = AuditStatusChange
    extra = 0
    fields = ("at", "from_status", "to_status", "by")


@admin.register(Audit)
class AuditAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("id", "case", "audit_type", "status", "auditor", "audit_date", "response")
    list_filter = ("status", "audit_type")
    search_fields = ("case__case_id",)
    list_select_related = ("case", "auditor", "response__template_version")
    inlines = [ActionInline, StatusChangeInline]


@admin.register(ComplianceGap)
class ComplianceGapAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("id", "audit", "kind", "flagged_at", "addressed_at")
    list_filter = ("kind",)
