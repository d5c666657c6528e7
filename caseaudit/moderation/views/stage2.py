"""Pages of stage2 (see caseaudit/moderation)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
