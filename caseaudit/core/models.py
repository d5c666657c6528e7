"""The shared kernel's records: the audit history of every write and the log of every view."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditEvent(models.Model):
    """One append-only row per write (REC-3): who did what to which record, and when."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=64)
    object_type = models.CharField(max_length=64)
    object_ref = models.CharField(max_length=128)
    summary = models.TextField(blank=True)
    changes = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_ref"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type} {self.object_ref}"


class AccessLog(models.Model):
    """Every view of a child's record or audit, and every denial (SEC-1, SEC-2)."""

    class Outcome(models.TextChoices):
        ALLOWED = "allowed", "Allowed"
        DENIED = "denied", "Denied"

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=32, default="view")
    object_type = models.CharField(max_length=64)
    object_ref = models.CharField(max_length=128)
    outcome = models.CharField(max_length=8, choices=Outcome.choices, default=Outcome.ALLOWED)
    path = models.CharField(max_length=512, blank=True)
    via = models.CharField(max_length=16, default="web")

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_ref"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.outcome} {self.action} {self.object_type} {self.object_ref}"


class OutboxMessage(models.Model):
    """An email written in the same transaction as the change it reports and delivered
    after commit, with retries, so a mail-server failure loses nothing (CONTRACTS §7)."""

    created_at = models.DateTimeField(default=timezone.now)
    to = models.JSONField(default=list)
    cc = models.JSONField(default=list, blank=True)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    # [{"filename", "content" (text), "mimetype"}], e.g. a calendar invite.
    attachments = models.JSONField(default=list, blank=True)
    related_type = models.CharField(max_length=64, blank=True)
    related_ref = models.CharField(max_length=128, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(default=timezone.now, db_index=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True, db_index=True)
    gave_up_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.subject} to {', '.join(self.to)}"


class JobRun(models.Model):
    """A daily job's run for one day (caseaudit.core.jobs): one row per job and day, ever, so that
    however many workers run, each daily job runs once a day. A run that failed, or whose worker
    died, is taken again later by whichever worker comes first."""

    job = models.CharField(max_length=64)
    day = models.DateField(help_text="The day (Europe/London) the run is for.")
    started_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True, help_text="While a worker is running it.")
    worker = models.CharField(
        max_length=128, blank=True, help_text="host:pid of the worker that ran it last."
    )
    attempts = models.PositiveSmallIntegerField(default=1)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    gave_up_at = models.DateTimeField(null=True, blank=True)
    outcome = models.TextField(blank=True, help_text="What the job said it did.")
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["-day", "job"]
        constraints = [models.UniqueConstraint(fields=["job", "day"], name="one_job_run_a_day")]

    def __str__(self) -> str:
        return f"{self.job} on {self.day}"
