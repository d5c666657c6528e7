from django.contrib import admin

from caseaudit.cases.models import RegisterImport


@admin.register(RegisterImport)
class RegisterImportAdmin(admin.ModelAdmin):
    list_display = ["started_at", "actor", "source_name", "via", "ok", "error_count"]
    readonly_fields = [f.name for f in RegisterImport._meta.fields]
