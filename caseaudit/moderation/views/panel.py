"""Pages of panel (see caseaudit/moderation)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
