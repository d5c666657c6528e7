"""`python manage.py worker [--once] [--interval SECONDS] [--now YYYY-MM-DDTHH:MM]`: runs the
scheduled jobs (caseaudit/core/jobs.py; docs/scheduled-jobs.md) — the outbox each minute, the
daily jobs (reminders at 07:00 Europe/London) once a day across however many workers run.

Runs until SIGTERM or SIGINT, then finishes the job in hand and exits 0 (a second signal ends it
at once). `--once` runs what is due and exits; `--now` runs as if at that time (London time when
no offset is given), e.g. to run a missed day's jobs by hand."""

import contextlib
import signal
import sys
import threading
from datetime import datetime
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import close_old_connections, connection
from django.utils import timezone

from caseaudit.core.jobs import LONDON, Outcome, Scheduler, jobs_daily, jobs_repeating

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


def _moment(value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--now must be a time as YYYY-MM-DDTHH:MM, not {value!r}", returncode=2) from None
    return moment.replace(tzinfo=LONDON) if moment.tzinfo is None else moment


class Command(BaseCommand):
    help = "Run the scheduled jobs (outbox delivery, daily reminders) until stopped."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="run what is due now, then exit")
        parser.add_argument(
            "--interval", type=float, default=15.0, help="seconds between looks at the clock (default 15)"
        )
        parser.add_argument("--now", default=None, help="run as if at this time (with --once)")

    def handle(self, *args: Any, **options: Any) -> None:
        now = _moment(options["now"]) if options["now"] else None
        if now is not None and not options["once"]:
            raise CommandError("--now needs --once", returncode=2)
        scheduler = Scheduler()
        if options["once"]:
            self._tick(scheduler, now)
            return
        stop = threading.Event()

        def _stop(signum: int, frame: FrameType | None) -> None:
            self.stdout.write(f"worker: {signal.Signals(signum).name}, stopping after the job in hand")
            stop.set()
            signal.signal(signum, signal.SIG_DFL)  # a second one ends it at once

        previous = {sig: signal.signal(sig, _stop) for sig in STOP_SIGNALS}
        daily = ", ".join(f"{job.name} at {job.at:%H:%M}" for job in jobs_daily())
        repeating = ", ".join(
            f"{job.name} every {job.every.total_seconds():.0f} s" for job in jobs_repeating()
        )
        self.stdout.write(f"worker {scheduler.worker}: {repeating}; daily (Europe/London): {daily}")
        try:
            while not stop.is_set():
                self._tick(scheduler, None)
                stop.wait(options["interval"])
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        self.stdout.write("worker stopped")

    def _tick(self, scheduler: Scheduler, now: datetime | None) -> None:
        _connections_refresh()
        try:
            # A console mail backend (development) prints mail; keep it out of the worker's log.
            with contextlib.redirect_stdout(sys.stderr):
                outcomes = scheduler.tick(now=now)
        except Exception as error:  # e.g. the database is away: say so, try again next time
            self.stderr.write(f"worker: {type(error).__name__}: {error}")
            outcomes = []
        finally:
            _connections_refresh()
        for outcome in outcomes:
            self.stdout.write(_line(outcome))


def _connections_refresh() -> None:
    """Drop a connection the database closed or that outlived CONN_MAX_AGE (a long-running loop),
    but never one inside a transaction (a test's)."""
    if not connection.in_atomic_block:
        close_old_connections()


def _line(outcome: Outcome) -> str:
    stamp = f"{timezone.localtime():%Y-%m-%d %H:%M:%S}"
    day = f" ({outcome.day.isoformat()})" if outcome.day else ""
    return f"{stamp} {outcome.job}{day}: {outcome.text}"
