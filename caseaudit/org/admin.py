"""Administrators edit the organisation here; line-management changes rebuild the closure."""

from typing import Any

from django.contrib import admin
from django.db import transaction

from caseaudit.core.services import audit_event_record
from caseaudit.org.models import Authority, GeographicalArea, ServiceArea, Staff, StaffRole, Team
from caseaudit.org.services import line_management_rebuild


class HistoryAdmin(admin.ModelAdmin):
    """Every admin write is atomic and leaves an audit-history row."""

    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            audit_event_record(
                actor=request.user,
                action=f"{obj._meta.model_name}.{'changed' if change else 'created'}",
                object_type=obj._meta.model_name,
                object_ref=str(obj.pk),
                summary=f"Changed in administration: {obj}",
                changes={name: str(form.cleaned_data.get(name)) for name in form.changed_data},
            )


admin.site.register(Authority, HistoryAdmin)
admin.site.register(GeographicalArea, HistoryAdmin)
admin.site.register(ServiceArea, HistoryAdmin)


@admin.register(Team)
class TeamAdmin(HistoryAdmin):
    list_display = ["team_id", "name", "service_area", "geographical_area", "eligible_for_audit"]
    list_filter = ["eligible_for_audit", "geographical_area", "service_area"]
    search_fields = ["team_id", "name"]


class StaffRoleInline(admin.TabularInline):
    model = StaffRole
    extra = 1


@admin.register(Staff)
class StaffAdmin(HistoryAdmin):
    list_display = ["staff_id", "name", "email", "job_role", "team", "line_manager", "is_active"]
    list_filter = ["is_active", "team"]
    search_fields = ["staff_id", "name", "email"]
    raw_id_fields = ["line_manager", "user"]
    inlines = [StaffRoleInline]

    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            if "line_manager" in form.changed_data or not change:
                line_management_rebuild()
