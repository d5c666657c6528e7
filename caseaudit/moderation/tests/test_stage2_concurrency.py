"""Two moderators taking the same audit at once leave one moderator (MOD-2); the second is told
who took it (409).

PostgreSQL only: each thread has its own connection and transaction. The first to lock the audit's
row holds it (a pause while it holds the Moderation row's lock too), the second waits for the lock,
then reads the Moderation as the first left it. (On SQLite, the second would simply wait for the
first's whole write transaction.)"""

import threading
import time
from typing import Any

import pytest
from django.db import connection, connections

from caseaudit.conftest import Authority
from caseaudit.core.models import OutboxMessage
from caseaudit.moderation.models import Moderation
from caseaudit.moderation.services import stage2
from caseaudit.moderation.services.stage2 import ModerationTaken, moderation_take
from caseaudit.moderation.tests.helpers import people_added
from caseaudit.moderation.tests.test_stage2_helpers import in_moderation

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL's concurrent transactions"
    ),
    pytest.mark.django_db(transaction=True),
]


def test_two_moderators_taking_the_same_audit_at_once_leave_one(
    authority: Authority, monkeypatch: Any
) -> None:
    people = people_added(authority)
    audit = in_moderation(authority)
    OutboxMessage.objects.all().delete()
    real_lock = stage2._lock

    def lock_then_hold(locked: Any) -> Moderation:
        moderation = real_lock(locked)
        time.sleep(0.3)  # the other thread is at the audit's lock by now
        return moderation

    monkeypatch.setattr(stage2, "_lock", lock_then_hold)
    barrier = threading.Barrier(2, timeout=30)
    outcomes: dict[str, str] = {}

    def take(who: str) -> None:
        try:
            barrier.wait()
            moderation_take(actor=people[who].user, audit=type(audit).objects.get(pk=audit.pk))
            outcomes[who] = "taken"
        except ModerationTaken as refused:
            outcomes[who] = f"{refused.status}: {refused.problems[0].message}"
        except Exception as error:  # pragma: no cover - reported by the assertion below
            outcomes[who] = f"unexpected {type(error).__name__}: {error}"
        finally:
            connections.close_all()

    threads = [threading.Thread(target=take, args=(who,)) for who in ("moderator", "moderator_2")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert list(outcomes.values()).count("taken") == 1, outcomes
    winner = next(who for who, outcome in outcomes.items() if outcome == "taken")
    loser = next(who for who in outcomes if who != winner)
    assert outcomes[loser] == f"409: This audit has already been taken by {people[winner].name}.", outcomes
    assert Moderation.objects.get(audit=audit).moderator == people[winner]
    assert OutboxMessage.objects.count() == 1  # only the winner is mailed
