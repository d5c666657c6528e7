"""The Stage 3 benchmark at toy size, so `make test` keeps it working (CONTRACTS §8): the summary
agrees with the hand-written SQL, the dashboard answers, the report's documents are made and the
themes beat the baseline."""

from io import StringIO

import pytest
from django.core.management import call_command

from bench.reports import format_figures, run


@pytest.mark.django_db
def test_the_reports_bench_counts_what_the_hand_written_sql_counts() -> None:
    call_command("load_templates", stdout=StringIO())
    figures = run(total=300, fragments=400, repeats=1)
    table = format_figures(figures, "SQLite")
    assert figures.same_as_sql, table
    assert figures.answers == 300 * 40 and figures.quarter_audits > 0, table
    assert figures.timings[0].queries <= 8, table  # a fixed number of queries
    assert figures.ari_ours > figures.ari_baseline, table
    assert "dashboard page" in table
