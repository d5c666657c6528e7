"""Scheduled jobs (caseaudit/core/jobs.py) and `manage.py worker`: a daily job runs once a day at
its London time however many workers run, is retried when it fails and taken over when its worker
died; a repeating job runs on its interval; the worker exits cleanly on SIGTERM and SIGINT."""

import datetime
import os
import signal
import subprocess
import sys
import threading
import time
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from caseaudit.core import jobs
from caseaudit.core.jobs import (
    LONDON,
    MAX_ATTEMPTS,
    STALE_AFTER,
    DailyJob,
    RepeatingJob,
    Scheduler,
    jobs_daily,
    jobs_repeating,
)
from caseaudit.core.models import JobRun, OutboxMessage
from caseaudit.core.outbox import outbox_enqueue

ROOT = Path(__file__).resolve().parents[3]


def london(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=LONDON)


class Recorder:
    """A daily job that notes the days it ran for (and can be told to fail or be slow)."""

    def __init__(self, *, fail: int = 0, sleep: float = 0.0) -> None:
        self.days: list[datetime.date] = []
        self.fail = fail
        self.sleep = sleep
        self.lock = threading.Lock()

    def __call__(self, day: datetime.date) -> str:
        time.sleep(self.sleep)
        with self.lock:
            if self.fail:
                self.fail -= 1
                raise RuntimeError("mail server away")
            self.days.append(day)
        return f"did {day.isoformat()}"


def scheduler(job: Any, **kwargs: Any) -> Scheduler:
    return Scheduler(daily=[DailyJob("test_job", datetime.time(7, 0), job)], repeating=[], **kwargs)


def test_the_apps_register_their_jobs() -> None:
    daily = {job.name: job for job in jobs_daily()}
    assert daily["send_reminders"].at == datetime.time(7, 0)
    repeating = {job.name: job for job in jobs_repeating()}
    assert repeating["send_outbox"].every == datetime.timedelta(minutes=1)


@pytest.mark.django_db
def test_a_daily_job_runs_once_a_day_at_its_time_across_workers() -> None:
    job = Recorder()
    first, second = scheduler(job, worker="one"), scheduler(job, worker="two")
    assert first.tick(now=london(2026, 12, 3, 6, 59)) == []
    outcomes = first.tick(now=london(2026, 12, 3, 7, 0))
    assert [(o.job, o.day, o.ok, o.text) for o in outcomes] == [
        ("test_job", datetime.date(2026, 12, 3), True, "did 2026-12-03")
    ]
    assert first.tick(now=london(2026, 12, 3, 7, 1)) == []
    assert second.tick(now=london(2026, 12, 3, 9, 0)) == []  # another worker: the row is there
    assert first.tick(now=london(2026, 12, 4, 7, 0))[0].day == datetime.date(2026, 12, 4)
    assert job.days == [datetime.date(2026, 12, 3), datetime.date(2026, 12, 4)]
    run = JobRun.objects.get(job="test_job", day=datetime.date(2026, 12, 3))
    assert run.finished_at is not None and run.outcome == "did 2026-12-03" and run.worker == "one"


@pytest.mark.django_db
def test_once_settled_a_worker_does_not_ask_the_database_again_that_day(
    django_assert_num_queries: Any,
) -> None:
    worker = scheduler(Recorder())
    worker.tick(now=london(2026, 12, 3, 7, 0))
    with django_assert_num_queries(0):
        worker.tick(now=london(2026, 12, 3, 8, 0))


@pytest.mark.django_db
def test_the_time_is_london_time_in_summer_and_winter() -> None:
    job = Recorder()
    worker = scheduler(job)
    utc = datetime.UTC
    # 06:30 UTC is 07:30 in British Summer Time: due; in winter it is 06:30 in London: not yet
    assert worker.tick(now=datetime.datetime(2026, 7, 1, 6, 30, tzinfo=utc))
    assert not worker.tick(now=datetime.datetime(2026, 12, 1, 6, 30, tzinfo=utc))
    assert worker.tick(now=datetime.datetime(2026, 12, 1, 7, 0, tzinfo=utc))
    # 23:30 UTC on 31 July is already 1 August in London: a job at midnight runs for 1 August
    midnight = Scheduler(daily=[DailyJob("midnight", datetime.time(0, 0), job)], repeating=[])
    outcome = midnight.tick(now=datetime.datetime(2026, 7, 31, 23, 30, tzinfo=utc))[0]
    assert outcome.day == datetime.date(2026, 8, 1)


@pytest.mark.django_db
def test_a_failed_run_is_retried_with_back_off_then_given_up() -> None:
    job = Recorder(fail=MAX_ATTEMPTS + 1)
    worker = scheduler(job)
    now = london(2026, 12, 3, 7, 0)
    failed = worker.tick(now=now)
    assert not failed[0].ok and "mail server away" in failed[0].text and "attempt 1" in failed[0].text
    run = JobRun.objects.get()
    assert run.claimed_at is None and run.finished_at is None and "RuntimeError" in run.last_error
    assert worker.tick(now=now + datetime.timedelta(minutes=1)) == []  # not yet: back-off
    for _attempt in range(2, MAX_ATTEMPTS + 1):
        run.refresh_from_db()
        assert run.next_attempt_at is not None
        now = run.next_attempt_at + datetime.timedelta(seconds=1)
        outcome = scheduler(job).tick(now=now)[0]  # any worker may take it
        assert not outcome.ok
    run.refresh_from_db()
    assert run.attempts == MAX_ATTEMPTS and run.gave_up_at is not None
    assert "gave up" in outcome.text
    assert scheduler(job).tick(now=now + datetime.timedelta(days=0, hours=10)) == []
    assert job.days == []


@pytest.mark.django_db
def test_a_run_whose_worker_died_is_taken_over_when_stale() -> None:
    day = datetime.date(2026, 12, 3)
    started = london(2026, 12, 3, 7, 0)
    JobRun.objects.create(job="test_job", day=day, started_at=started, claimed_at=started, worker="dead")
    job = Recorder()
    assert scheduler(job).tick(now=started + STALE_AFTER - datetime.timedelta(minutes=1)) == []
    taken = scheduler(job).tick(now=started + STALE_AFTER + datetime.timedelta(minutes=1))
    assert taken[0].ok and job.days == [day]
    run = JobRun.objects.get()
    assert run.attempts == 2 and run.finished_at is not None and run.worker != "dead"


@pytest.mark.django_db
def test_a_repeating_job_runs_on_its_interval_and_a_failure_does_not_stop_the_rest() -> None:
    calls: list[float] = []

    def tick() -> str:
        calls.append(time.monotonic())
        return "delivered" if len(calls) == 1 else ""

    def broken() -> str:
        raise RuntimeError("boom")

    worker = Scheduler(
        daily=[],
        repeating=[
            RepeatingJob("broken", datetime.timedelta(minutes=1), broken),
            RepeatingJob("tick", datetime.timedelta(minutes=1), tick),
        ],
    )
    now = london(2026, 12, 3, 12, 0)
    first = worker.tick(now=now, monotonic=1000.0)
    assert [(o.job, o.ok) for o in first] == [("broken", False), ("tick", True)]
    assert worker.tick(now=now, monotonic=1059.0) == [] and len(calls) == 1
    assert [o.job for o in worker.tick(now=now, monotonic=1060.0)] == ["broken"]  # tick says nothing
    assert len(calls) == 2


@pytest.mark.django_db
def test_the_outbox_job_delivers_queued_mail(mailoutbox: Any) -> None:
    outbox_enqueue(to=["pm@example.test"], subject="Hello", body="Body")  # its on-commit never runs here
    assert jobs.outbox_send() == "sent 1, will retry 0, gave up 0"
    assert [m.subject for m in mailoutbox] == ["Hello"]
    assert OutboxMessage.objects.get().sent_at is not None
    assert jobs.outbox_send() == ""


@pytest.mark.django_db
def test_worker_once_runs_the_due_daily_job_once_even_called_twice(authority: Any) -> None:
    from caseaudit.actions.models import ActionReminder
    from caseaudit.actions.tests.helpers import audit_with_actions

    audit_with_actions(authority, due=datetime.date(2026, 12, 24))
    outputs = []
    for _ in range(2):
        out = StringIO()
        call_command("worker", "--once", "--now", "2026-12-29T07:05", stdout=out)
        outputs.append(out.getvalue())
    assert "send_reminders (2026-12-29): reminders for 2026-12-29: sent due soon 0, overdue 2" in outputs[0]
    assert "send_reminders" not in outputs[1]
    assert JobRun.objects.filter(job="send_reminders").count() == 1
    assert ActionReminder.objects.filter(on=datetime.date(2026, 12, 29)).count() == 2
    early = StringIO()
    call_command("worker", "--once", "--now", "2026-12-30T06:59", stdout=early)
    assert "send_reminders" not in early.getvalue()


def test_worker_refuses_now_without_once() -> None:
    with pytest.raises(Exception, match="--now needs --once"):
        call_command("worker", "--now", "2026-12-29T07:05")


@pytest.mark.django_db
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_the_worker_stops_cleanly_on_sigterm_and_sigint(signum: int) -> None:
    before = signal.getsignal(signum)
    timer = threading.Timer(0.5, os.kill, (os.getpid(), signum))
    out = StringIO()
    start = time.monotonic()
    timer.start()
    try:
        call_command("worker", "--interval", "60", stdout=out)
    finally:
        timer.cancel()
    assert time.monotonic() - start < 10  # woke from its wait, did not sleep the minute out
    assert f"{signal.Signals(signum).name}, stopping" in out.getvalue()
    assert out.getvalue().rstrip().endswith("worker stopped")
    assert signal.getsignal(signum) == before  # handlers given back


# --- several workers at once (PostgreSQL) -------------------------------------------------

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_run_a_daily_job_once() -> None:
    job = Recorder(sleep=0.3)
    barrier = threading.Barrier(4)
    results: list[Any] = []

    def work(name: str) -> None:
        try:
            barrier.wait()
            results.append(scheduler(job, worker=name).tick(now=london(2026, 12, 3, 7, 0)))
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(f"w{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert job.days == [datetime.date(2026, 12, 3)]
    assert sorted(len(outcomes) for outcomes in results) == [0, 0, 0, 1]
    assert JobRun.objects.count() == 1


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_worker_processes_at_once_send_the_days_reminders_once(authority: Any) -> None:
    from caseaudit.actions.models import ActionReminder
    from caseaudit.actions.tests.helpers import audit_with_actions

    audit_with_actions(authority, due=datetime.date(2026, 12, 24), count=5)
    settings = connection.settings_dict
    url = f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT'] or 5432}/{settings['NAME']}"
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST_")}
    env |= {"DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "caseaudit.config.settings.test"}
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = settings["PASSWORD"]
    command = [sys.executable, "manage.py", "worker", "--once", "--now", "2026-12-29T07:05"]
    workers = [
        subprocess.Popen(  # noqa: S603
            command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    outputs = [worker.communicate(timeout=120) for worker in workers]
    assert all(worker.returncode == 0 for worker in workers), outputs
    ran = [out for out, _ in outputs if "send_reminders (2026-12-29)" in out]
    assert len(ran) == 1, outputs
    assert "overdue 5" in ran[0]
    assert ActionReminder.objects.filter(on=datetime.date(2026, 12, 29)).count() == 5
    assert JobRun.objects.get(job="send_reminders").finished_at is not None
