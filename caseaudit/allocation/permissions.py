"""Permissions of the monthly allocation (django-rules)."""
