from django.contrib import admin

from caseaudit.core.models import AccessLog, AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "action", "object_type", "object_ref", "summary"]
    list_filter = ["action", "object_type"]
    readonly_fields = [f.name for f in AuditEvent._meta.fields]


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "action", "object_type", "object_ref", "outcome", "via"]
    list_filter = ["outcome", "object_type", "via"]
    readonly_fields = [f.name for f in AccessLog._meta.fields]
