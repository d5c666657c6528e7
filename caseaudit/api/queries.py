"""Reads the API needs that the domain apps' selectors do not answer directly yet.
Built only from those selectors, so the scoping stays where it is (SEC-1)."""

from caseaudit.org.selectors import staff_geographical_area

__all__ = ["staff_geographical_area"]
