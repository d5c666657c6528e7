"""The Stage 2 moderation benchmark at toy size, so `make test` keeps it working (CONTRACTS §8)."""

from io import StringIO

import pytest
from django.core.management import call_command

from bench.moderation import PAGES, format_balance, format_pages, run_balance, run_pages


@pytest.mark.django_db
def test_moderation_page_queries_do_not_grow_and_the_queue_balances() -> None:
    call_command("load_templates", stdout=StringIO())
    (few, many), people, moderated = run_pages((30, 120), repeats=1)
    assert many.audits >= 120 and many.queued > few.queued
    for page in PAGES:
        assert few.queries[page] == many.queries[page], format_pages([few, many])
    balanced = run_balance(template_audit=moderated, qa=people["qa"].user, audits=40, moderators=6)
    assert balanced.assigned == 40 and balanced.spread <= 1, format_balance(balanced)
    assert "Balancing 40 audits" in format_balance(balanced)
