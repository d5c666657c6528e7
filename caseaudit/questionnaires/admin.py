"""Responses in the administration: read only. Every change goes through the owner's services,
which check the template's rules and keep the history (REC-3)."""

from django.contrib import admin

from caseaudit.core.admin_mixins import ReadOnlyAdminMixin
from caseaudit.questionnaires.models import Response, ResponseAnswer, ResponseSection


class SectionInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ResponseSection
    extra = 0
    fields = ("section_ref", "grade", "completed", "updated_at")


class AnswerInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ResponseAnswer
    extra = 0
    fields = ("question_ref", "value", "reason", "updated_at")


@admin.register(Response)
class ResponseAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("id", "template_version", "version", "overall_grade", "updated_at")
    list_select_related = ("template_version",)
    inlines = [SectionInline, AnswerInline]
