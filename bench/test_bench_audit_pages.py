"""The audit-page benchmark at toy size, so `make test` keeps it working (CONTRACTS §8)."""

from io import StringIO

import pytest
from django.core.management import call_command

from bench.audit_pages import PAGES, format_figures, run


@pytest.mark.django_db
def test_audit_page_queries_do_not_grow_with_audits() -> None:
    call_command("load_templates", stdout=StringIO())
    few, many = run((3, 40), repeats=1)
    assert many.background_audits == 40
    for page in PAGES:
        assert few.queries[page] == many.queries[page], format_figures([few, many])
    assert many.pdf_bytes > 10_000
    assert "audits in db" in format_figures([few, many])
