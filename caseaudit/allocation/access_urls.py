"""Access-request and discussion pages (filled in by their UI)."""

from django.urls import URLPattern

app_name = "access"
urlpatterns: list[URLPattern] = []
