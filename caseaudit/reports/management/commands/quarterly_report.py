"""`python manage.py quarterly_report --quarter 2026Q4 --out DIR`: the QA quarterly report (QA-3)
as DIR/report.pdf and DIR/report.xlsx — the same documents as the page's one-click downloads,
every figure the API's for the same quarter (counted as QA counts: every audit)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from caseaudit.core.services import audit_event_record
from caseaudit.moderation.sampling import Quarter
from caseaudit.reports.quarterly import quarterly_data
from caseaudit.reports.quarterly_documents import quarterly_pdf, quarterly_xlsx


class Command(BaseCommand):
    help = "Write the QA quarterly report of a quarter as report.pdf and report.xlsx."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--quarter", required=True, help="the quarter, e.g. 2026Q4")
        parser.add_argument("--out", required=True, help="the folder to write report.pdf and report.xlsx in")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            quarter = Quarter.parse(options["quarter"])
        except ValueError as error:
            raise CommandError(str(error)) from None
        folder = Path(options["out"])
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise CommandError(f"--out {folder}: {error.strerror}") from None
        data = quarterly_data(quarter=quarter, today=timezone.localdate())
        written = []
        for name, body in (("report.pdf", quarterly_pdf(data)), ("report.xlsx", quarterly_xlsx(data))):
            path = folder / name
            path.write_bytes(body)
            written.append(path)
        audit_event_record(
            actor=None,
            action="quarterly_report.written",
            object_type="quarterly_report",
            object_ref=quarter.token,
            summary=f"Quarterly report of {quarter.label} written to {folder}",
        )
        self.stdout.write(
            f"{quarter.label}: {data.summary['audits']} audits; wrote "
            + " and ".join(str(p) for p in written)
        )
