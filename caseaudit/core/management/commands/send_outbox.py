"""Deliver queued mail; run from cron or with --loop as a small worker."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from caseaudit.core.outbox import outbox_deliver


class Command(BaseCommand):
    help = "Send the outbox's due messages, retrying failures with back-off."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", action="store_true", help="keep running")
        parser.add_argument("--interval", type=int, default=30, help="seconds between rounds with --loop")

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            counts = outbox_deliver()
            self.stdout.write(
                f"sent {counts['sent']}, will retry {counts['failed']}, gave up {counts['gave_up']}"
            )
            if not options["loop"]:
                return
            time.sleep(options["interval"])
