"""Which client is saving a response, for the check that stops a lost update (CONTRACTS §5).

A client is one API token or one browser session. Only one person edits a response as a rule
(the audit's auditor, say: audits/rules.py), so a lost update is rarely between two people: it
is one person's two clients, say a script and a browser tab, each saving over the other. Hence
the unit is the client, not the person. Two programs that share a token are one client here:
they must send `version`."""

import hashlib
from typing import Any

from django.http import HttpRequest


def request_client(request: HttpRequest) -> str:
    """A stable digest naming the client behind `request`: its bearer token (tried first, as the
    API's auth does), else its session, else its user. Digests only: no credential is stored."""
    scheme, _, credential = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and credential.strip():
        return _digest("token", credential.strip())
    session: Any = getattr(request, "session", None)
    if session is not None and session.session_key:
        return _digest("session", session.session_key)
    return _digest("user", str(getattr(request.user, "pk", "")))


def _digest(kind: str, value: str) -> str:
    return f"{kind}:{hashlib.sha256(f'{kind}:{value}'.encode()).hexdigest()[:32]}"
