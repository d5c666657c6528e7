"""Two QA officers confirming the same month at once create one allocation, not two (SEL-1).

PostgreSQL only: each thread has its own connection and transaction, both pass the "is the month
already confirmed?" check before either commits, and the conditional unique constraint refuses the
second. (On SQLite, IMMEDIATE transactions make the second wait for the first instead.)"""

import threading
from typing import Any

import pytest
from django.db import connection, connections

from caseaudit.allocation.errors import AllocationAlreadyConfirmed
from caseaudit.allocation.models import AllocationRun
from caseaudit.allocation.services import confirm as services_confirm
from caseaudit.allocation.tests.helpers import council, draft, templates
from caseaudit.audits.models import Audit
from caseaudit.conftest import Authority
from caseaudit.core.models import OutboxMessage
from caseaudit.org.tests.factories import StaffFactory

__all__ = ["council", "templates"]
pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL's concurrent transactions"
    ),
    pytest.mark.django_db(transaction=True),
]


@pytest.mark.parametrize("past_the_checks", [True, False], ids=["both-past-the-checks", "started-together"])
def test_two_confirmations_of_the_same_month_at_once_make_one(
    council: Authority, monkeypatch: Any, past_the_checks: bool
) -> None:
    first = draft(council)
    second = draft(council)
    AllocationRun.objects.filter(pk=first.pk).update(status="draft")  # two live drafts of December
    other_qa = StaffFactory(staff_id="QA2", team=None, roles=["qa_officer"])
    actors = {first.pk: council.people["qa_officer"].user, second.pk: other_qa.user}

    barrier = threading.Barrier(2, timeout=30)
    if past_the_checks:
        # Both confirmations are past their checks before either writes: the race the constraint guards.
        real_recheck = services_confirm._recheck

        def recheck_then_wait(*args: Any) -> None:
            real_recheck(*args)
            barrier.wait()

        monkeypatch.setattr(services_confirm, "_recheck", recheck_then_wait)
    outcomes: dict[int, str] = {}

    def confirm(run: AllocationRun) -> None:
        try:
            if not past_the_checks:
                barrier.wait()
            services_confirm.allocation_confirm(actor=actors[run.pk], run=run)
            outcomes[run.pk] = "confirmed"
        except AllocationAlreadyConfirmed as refused:
            outcomes[run.pk] = str(refused)
        except Exception as error:  # pragma: no cover - reported by the assertion below
            outcomes[run.pk] = f"unexpected {type(error).__name__}: {error}"
        finally:
            connections.close_all()

    threads = [threading.Thread(target=confirm, args=(run,)) for run in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert list(outcomes.values()).count("confirmed") == 1, outcomes
    refused = [text for text in outcomes.values() if text != "confirmed"]
    assert len(refused) == 1 and refused[0].startswith("December 2026 is already allocated (confirmed by"), (
        outcomes
    )
    confirmed = AllocationRun.objects.get(status="confirmed")
    assert Audit.objects.count() == confirmed.items.count() == 3
    assert set(Audit.objects.values_list("allocation_month", flat=True)) == {confirmed.month}
    assert OutboxMessage.objects.count() == 3
