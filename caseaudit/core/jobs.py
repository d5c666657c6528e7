"""Scheduled jobs, run by `python manage.py worker` (docs/scheduled-jobs.md): no cron to write.

Two kinds, registered at import time by the app that owns the work (a lower layer learns of a
higher one only through a registry it owns, ADR 0005):

- a **daily** job runs once a day at or after its time (Europe/London), across every worker: its
  run is a JobRun row unique by (job, day), so the first worker to insert it runs it and the
  others skip. A run that fails is tried again with back-off, and one whose worker died is taken
  over after `STALE_AFTER`, so a daily job must be safe to run twice (reminders are). A worker that
  starts after the time runs the day's job at once; days when no worker ran are not run later.
- a **repeating** job runs every so often in each worker (e.g. the outbox's delivery each minute);
  it must be safe in several workers at once (the outbox claims each message).

`Scheduler.tick()` runs whatever is due; the worker calls it in a loop."""

import logging
import os
import socket
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as clock
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from caseaudit.core.models import JobRun
from caseaudit.core.outbox import outbox_deliver

logger = logging.getLogger(__name__)

LONDON = ZoneInfo("Europe/London")
STALE_AFTER = timedelta(hours=2)
MAX_ATTEMPTS = 5
OUTBOX_ROUNDS = 25  # at most this many outbox batches (of 200) a minute in each worker


@dataclass(frozen=True)
class DailyJob:
    name: str
    at: clock  # Europe/London
    run: Callable[[date], str]  # given the day; says what it did


@dataclass(frozen=True)
class RepeatingJob:
    name: str
    every: timedelta
    run: Callable[[], str]  # says what it did ("" when nothing)


_daily: dict[str, DailyJob] = {}
_repeating: dict[str, RepeatingJob] = {}


def job_daily(name: str, *, at: clock, run: Callable[[date], str]) -> DailyJob:
    """Register (or replace) a daily job: `run(day)` once a day at or after `at`, London time."""
    job = DailyJob(name=name, at=at, run=run)
    _daily[name] = job
    return job


def job_repeating(name: str, *, every: timedelta, run: Callable[[], str]) -> RepeatingJob:
    """Register (or replace) a job that each worker runs every `every`."""
    job = RepeatingJob(name=name, every=every, run=run)
    _repeating[name] = job
    return job


def jobs_daily() -> list[DailyJob]:
    return sorted(_daily.values(), key=lambda job: (job.at, job.name))


def jobs_repeating() -> list[RepeatingJob]:
    return sorted(_repeating.values(), key=lambda job: job.name)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:128]


def _backoff(attempts: int) -> timedelta:
    return timedelta(minutes=5 * 2 ** (attempts - 1))


@dataclass(frozen=True)
class Outcome:
    job: str
    day: date | None  # daily jobs only
    ok: bool
    text: str


def _claim(job: str, day: date, *, now: datetime, worker: str) -> tuple[int | None, bool]:
    """Take the day's run of `job`: (its row's id, or None when not ours; whether it is settled —
    finished or given up — so that nobody need ask again today)."""
    try:
        with transaction.atomic():
            run = JobRun.objects.create(job=job, day=day, started_at=now, claimed_at=now, worker=worker)
        return run.pk, False
    except IntegrityError:
        pass
    # Someone has it: take it over only if it failed and may be tried again, or its worker died.
    # The update is conditional, so of two workers trying at once only one takes it.
    mine = JobRun.objects.filter(job=job, day=day, finished_at__isnull=True, gave_up_at__isnull=True).filter(
        Q(claimed_at__isnull=True, next_attempt_at__lte=now) | Q(claimed_at__lt=now - STALE_AFTER)
    )
    if mine.update(claimed_at=now, worker=worker, attempts=F("attempts") + 1, next_attempt_at=None):
        return JobRun.objects.only("pk").get(job=job, day=day).pk, False
    settled = JobRun.objects.filter(job=job, day=day).filter(
        Q(finished_at__isnull=False) | Q(gave_up_at__isnull=False)
    )
    return None, settled.exists()


def daily_job_run(job: DailyJob, *, day: date, now: datetime, worker: str) -> tuple[Outcome | None, bool]:
    """Run `job` for `day` unless another run has it. (What happened or None; whether it is settled.)
    Times written are `now` plus the time the job took, so that a run "as if at" a time keeps to it."""
    run_id, settled = _claim(job.name, day, now=now, worker=worker)
    if run_id is None:
        return None, settled
    started = time.monotonic()
    try:
        text = job.run(day)
    except Exception as error:  # a job's failure is recorded and retried; the worker goes on
        logger.exception("daily job %s for %s failed", job.name, day)
        message = f"{type(error).__name__}: {error}"[:2000]
        failed_at = now + timedelta(seconds=time.monotonic() - started)
        attempts = JobRun.objects.values_list("attempts", flat=True).get(pk=run_id)
        gave_up = attempts >= MAX_ATTEMPTS
        JobRun.objects.filter(pk=run_id).update(
            claimed_at=None,
            last_error=message,
            gave_up_at=failed_at if gave_up else None,
            next_attempt_at=None if gave_up else failed_at + _backoff(attempts),
        )
        verdict = "gave up" if gave_up else f"will retry (attempt {attempts} of {MAX_ATTEMPTS})"
        return Outcome(job.name, day, False, f"failed, {verdict}: {message}"), gave_up
    JobRun.objects.filter(pk=run_id).update(
        claimed_at=None,
        finished_at=now + timedelta(seconds=time.monotonic() - started),
        outcome=text[:10_000],
        last_error="",
    )
    return Outcome(job.name, day, True, text), True


@dataclass
class Scheduler:
    """Runs the jobs that are due; one per worker process."""

    daily: Iterable[DailyJob] | None = None  # default: the registry, read at each tick
    repeating: Iterable[RepeatingJob] | None = None
    worker: str = field(default_factory=worker_name)
    _settled: dict[str, date] = field(default_factory=dict)  # daily jobs done for the day
    _last: dict[str, float] = field(default_factory=dict)  # repeating jobs' last run (monotonic)

    def tick(self, *, now: datetime | None = None, monotonic: float | None = None) -> list[Outcome]:
        """Run what is due at `now` (default: the clock). Repeating jobs first (mail waits less)."""
        now = now or timezone.now()
        monotonic = time.monotonic() if monotonic is None else monotonic
        outcomes: list[Outcome] = []
        repeating = list(self.repeating) if self.repeating is not None else jobs_repeating()
        for job in repeating:
            last = self._last.get(job.name)
            if last is not None and monotonic - last < job.every.total_seconds():
                continue
            self._last[job.name] = monotonic
            try:
                text = job.run()
            except Exception as error:  # logged; tried again at its next time
                logger.exception("job %s failed", job.name)
                outcomes.append(Outcome(job.name, None, False, f"failed: {type(error).__name__}: {error}"))
                continue
            if text:
                outcomes.append(Outcome(job.name, None, True, text))
        local = now.astimezone(LONDON)
        daily = list(self.daily) if self.daily is not None else jobs_daily()
        for daily_job in daily:
            if local.time() < daily_job.at or self._settled.get(daily_job.name) == local.date():
                continue
            outcome, settled = daily_job_run(daily_job, day=local.date(), now=now, worker=self.worker)
            if settled:
                self._settled[daily_job.name] = local.date()
            if outcome is not None:
                outcomes.append(outcome)
        return outcomes


def outbox_send() -> str:
    """Deliver the outbox's due mail (what `manage.py send_outbox` does), a few batches a round."""
    total = {"sent": 0, "failed": 0, "gave_up": 0}
    for _ in range(OUTBOX_ROUNDS):
        counts = outbox_deliver()
        for key, value in counts.items():
            total[key] += value
        if sum(counts.values()) == 0:
            break
    if not any(total.values()):
        return ""
    return f"sent {total['sent']}, will retry {total['failed']}, gave up {total['gave_up']}"


job_repeating("send_outbox", every=timedelta(minutes=1), run=outbox_send)
