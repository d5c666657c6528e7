"""The reminders benchmark at toy size, so `make test` keeps it working (CONTRACTS §8)."""

from io import StringIO

import pytest
from django.core.management import call_command

from bench.reminders import format_figures, run


@pytest.mark.django_db
def test_send_reminders_sends_then_sends_nothing_the_same_day() -> None:
    call_command("load_templates", stdout=StringIO())
    actions, (first, again, following) = run(300)
    table = format_figures(actions, [first, again, following], "SQLite")
    assert actions == 300
    assert first.total > 100 and first.sent["overdue"] > 0 and first.sent["due_soon"] > 0, table
    assert again.total == 0 and again.skipped == first.total, table
    assert again.queries < 10, table  # the rerun reads only what is owed, none of it
    assert following.sent["still_overdue"] > 0 and following.skipped == 0, table
    assert "queries/reminder" in table
