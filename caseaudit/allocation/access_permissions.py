"""Permissions of access requests and discussions (django-rules)."""
