"""`python manage.py send_reminders [--today YYYY-MM-DD] [--format json]` (ACT-3, CONTRACTS §10).

Sends the day's action and escalation reminders through the outbox and prints what was sent per
kind and what was skipped because it had been sent already (a rerun, or another worker). Safe to
run again and in parallel. The worker (`manage.py worker`) runs it every day at 07:00 Europe/London
(docs/scheduled-jobs.md); this command is for a run by hand or a day to catch up.
Exit status: 0 done (also on a day that is not a working day: nothing to send); 2 a bad date."""

import contextlib
import datetime
import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from caseaudit.actions.reminders import reminders_send


def _day(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--today must be a date as YYYY-MM-DD, not {value!r}", returncode=2) from None


class Command(BaseCommand):
    help = "Send today's action and escalation reminders (each at most once a day)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", default=None, help="The day to run for, YYYY-MM-DD (default today)")
        parser.add_argument("--format", choices=["text", "json"], default="text", dest="output_format")

    def handle(self, *args: Any, **options: Any) -> None:
        today = _day(options["today"]) if options["today"] else timezone.localdate()
        # Mail goes out after each commit; a console mail backend (development) must not mix it
        # into the command's own output, which may be JSON for another program.
        with contextlib.redirect_stdout(sys.stderr):
            run = reminders_send(today=today)
        if options["output_format"] == "json":
            self.stdout.write(json.dumps(run.as_dict()))
            return
        if not run.working_day:
            self.stdout.write(f"{today.isoformat()} is not a working day: no reminders sent.")
            return
        self.stdout.write(f"Reminders for {today.isoformat()}:")
        for kind, count in run.sent.items():
            self.stdout.write(f"  {kind.replace('_', ' ')}: {count} sent")
        self.stdout.write(f"  skipped (already sent today): {run.skipped}")
        if run.unmailed:
            self.stdout.write(f"  with nobody to mail (owner inactive or without an address): {run.unmailed}")
