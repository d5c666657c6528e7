from django.contrib import admin

from caseaudit.core.models import AccessLog, AuditEvent, OutboxMessage


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


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "subject", "attempts", "sent_at", "gave_up_at", "last_error"]
    list_filter = ["sent_at", "gave_up_at"]
