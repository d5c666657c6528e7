from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from caseaudit.accounts.models import ApiToken, User


@admin.register(User)
class CaseauditUserAdmin(UserAdmin):
    pass


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["token_hash"]
