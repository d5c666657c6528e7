"""What mail and pages say of people, things and pages: names as people know them, counts in
words, and absolute links."""

from typing import Any

from django.conf import settings


def site_url(path: str) -> str:
    """An absolute link for mail, from the SITE_URL setting (links must work outside the browser);
    "" for no path."""
    if not path:
        return ""
    return str(getattr(settings, "SITE_URL", "http://127.0.0.1:8000")).rstrip("/") + path


def display_name(person: Any) -> str:
    """A user's or a member of staff's name as people know it."""
    if person is None:
        return "someone"
    # A User's str() is their staff record's name, else their username; a Staff's is their name.
    return str(person) or "someone"


def plural(count: int, word: str) -> str:
    """ "1 audit", "2 audits"."""
    return f"{count} {word}{'' if count == 1 else 's'}"
