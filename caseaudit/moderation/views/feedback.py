"""Pages of feedback (see caseaudit/moderation)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
