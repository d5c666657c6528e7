"""Loading the demo authority: the register through the real importer, then the authority's
name and the demo sign-ins' password."""

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from caseaudit.cases.importer import register_import_from_path
from caseaudit.core.services import audit_event_record
from caseaudit.demo.generator import (
    AUTHORITY_NAME,
    DEMO_PASSWORD,
    DEMO_SIGNINS,
    DemoSignin,
    RegisterSummary,
    write_register,
)
from caseaudit.demo.story import DemoStory, demo_story_play
from caseaudit.org.models import Authority
from caseaudit.templates_library.loader import templates_load


@dataclass
class DemoLoad:
    summary: RegisterSummary
    ok: bool
    counts: dict[str, Any] = field(default_factory=dict)
    errors: list[Any] = field(default_factory=list)
    signins: list[str] = field(default_factory=list)  # emails given the demo password
    story: DemoStory | None = None


def demo_authority_load(
    *, seed: int = 2026, children: int = 3000, staff: int = 150, history_months: int = 12
) -> DemoLoad:
    """Generate the demo register, import it with the real importer, name the authority and
    give the demo sign-ins the demo password. Nothing past the import happens if it refuses."""
    with tempfile.TemporaryDirectory(prefix="caseaudit-demo-") as folder:
        summary = write_register(Path(folder), seed=seed, children=children, staff=staff)
        # The demo's staff are created by this import, so they count as imported staff (the
        # demo authority is meant to look like an imported register). Loading the demo again,
        # at another size, replaces the demo register: that is what was asked for, so its
        # removals need no confirmation (the demo app is never installed in production).
        outcome = register_import_from_path(
            path=Path(folder), actor=None, via="command", confirm_removals=True
        )
    load = DemoLoad(
        summary=summary, ok=outcome.ok, counts=dict(outcome.counts or {}), errors=list(outcome.errors)
    )
    if not outcome.ok:
        return load
    with transaction.atomic():
        authority = Authority.objects.first() or Authority()
        authority.name = AUTHORITY_NAME
        authority.nation = Authority.Nation.ENGLAND
        authority.save()
        load.signins = demo_signins_set_password()
        audit_event_record(
            actor=None,
            action="demo.loaded",
            object_type="authority",
            object_ref=str(authority.pk),
            summary=f"Demo authority loaded (seed {seed}, {summary.cases} cases, {summary.staff} staff)",
        )
    # Then the month's work, through the same services the people would use (each its own write);
    # audits need the templates, whose loader is safe to re-run.
    templates_load()
    load.story = demo_story_play(history_months=history_months)
    return load


def demo_signins_set_password() -> list[str]:
    """Give each demo sign-in that has an account the demo password. Returns their emails."""
    done = []
    for signin, user in demo_signin_accounts():
        user.set_password(DEMO_PASSWORD)
        user.is_active = True
        user.save(update_fields=["password", "is_active"])
        done.append(signin.email)
    return done


def demo_signin_accounts() -> list[tuple[DemoSignin, Any]]:
    """The demo sign-ins whose account exists, in DEMO_SIGNINS order."""
    emails = [signin.email.lower() for signin in DEMO_SIGNINS]
    users = {user.username: user for user in get_user_model().objects.filter(username__in=emails)}
    return [(signin, users[signin.email.lower()]) for signin in DEMO_SIGNINS if signin.email.lower() in users]
