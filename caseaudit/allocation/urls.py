"""Allocation pages (filled in by the allocation UI)."""

from django.urls import URLPattern

app_name = "allocation"
urlpatterns: list[URLPattern] = []
