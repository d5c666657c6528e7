"""The actions pages benchmark at toy size, so `make test` keeps it working (CONTRACTS §8)."""

from io import StringIO

import pytest
from django.core.management import call_command

from bench.action_pages import PAGES, format_pages, run_pages


@pytest.mark.django_db
def test_action_page_queries_do_not_grow() -> None:
    call_command("load_templates", stdout=StringIO())
    few, many = run_pages((40, 200), repeats=1)
    assert many.actions >= 200 > few.actions
    for page in PAGES:
        assert few.queries[page] == many.queries[page], format_pages([few, many])
