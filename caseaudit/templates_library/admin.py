"""Templates are edited as YAML and loaded with `manage.py load_templates`, which keeps every
version (TPL-1); here they can only be read. Audit types are settings and can be edited."""

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from caseaudit.core.admin_mixins import ReadOnlyAdminMixin
from caseaudit.core.calendar import long_date
from caseaudit.core.services import audit_event_record
from caseaudit.templates_library.models import (
    AuditType,
    GradeDescriptor,
    Question,
    Section,
    TemplateFile,
    TemplateVersion,
)


class ReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    pass


class ReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):
    extra = 0
    show_change_link = True


class SectionInline(ReadOnlyInline):
    model = Section
    fields = ["order", "ref", "title", "graded", "minutes"]


class QuestionInline(ReadOnlyInline):
    model = Question
    fields = ["order", "ref", "text", "answer_type", "na_allowed", "na_requires_reason", "limiting"]


class GradeDescriptorInline(ReadOnlyInline):
    model = GradeDescriptor
    fields = ["grade", "order", "text", "source"]


@admin.register(TemplateFile)
class TemplateFileAdmin(ReadOnlyAdmin):
    list_display = ["ref", "version", "filename", "sha256", "loaded_at"]
    list_filter = ["ref"]


@admin.register(TemplateVersion)
class TemplateVersionAdmin(ReadOnlyAdmin):
    list_display = [
        "title",
        "ref",
        "version",
        "version_label",
        "kind",
        "is_current",
        "next_review_date",
        "review",
    ]
    list_filter = ["kind", "is_current", "ref"]
    inlines = [SectionInline]

    @admin.display(description="Review")
    def review(self, obj: TemplateVersion) -> str:
        if obj.is_current and obj.next_review_date and obj.next_review_date < timezone.localdate():
            return f"Overdue since {long_date(obj.next_review_date)}"
        return ""


@admin.register(Section)
class SectionAdmin(ReadOnlyAdmin):
    list_display = ["title", "ref", "template", "order", "graded"]
    list_filter = ["template"]
    inlines = [QuestionInline, GradeDescriptorInline]


@admin.register(AuditType)
class AuditTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "token", "template_ref", "review_window_months", "is_active"]
    readonly_fields = ["token", "source_file"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # the five types come from audit_types.yaml (CONTRACTS §5)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            audit_event_record(
                actor=request.user,
                action="audit_type.updated",
                object_type="audit_type",
                object_ref=obj.token,
                summary=f"Changed in administration: {obj}",
                changes={name: str(form.cleaned_data.get(name)) for name in form.changed_data},
            )
