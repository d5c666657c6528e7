"""After Stage 1 (CONTRACTS §9; MOD-1..4): the worker's say on the audit, the head of QA's decision
when they strongly disagree, Stage 2 moderation (its reflective discussion is a questionnaire
response of `stage2_moderation.yaml`), the moderation panel and its quarterly sample, and what
people are told (the QA inbox, case audit alerts on the home page).

The audit's status and grades live with the audit (audits.machines, audits.services_grades): this
app moves them only through those services."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from caseaudit.audits.models import Audit, AuditDocument
from caseaudit.org.models import Staff
from caseaudit.questionnaires.models import Response


def _default_panel_percents() -> dict[str, int]:
    return {"thematic": 20, "practice_week": 20}


class ModerationSettings(models.Model):
    """The council's settings for the stages after Stage 1. One row, editable by QA."""

    feedback_working_days = models.PositiveSmallIntegerField(
        default=5,
        help_text="Working days the worker has to give feedback before QA or the auditor may move it on.",
    )
    moderation_due_day = models.PositiveSmallIntegerField(
        default=21,
        help_text="Stage 2 of a monthly audit is due on this day of the month after its allocation, "
        "or the working day before.",
    )
    panel_sample_percent = models.JSONField(
        default=_default_panel_percents,
        help_text="Per audit type with `moderation: panel_sample`, the percentage sampled each quarter.",
    )
    qa_mailbox = models.EmailField(
        blank=True, help_text="The QA team's shared mailbox, sent a copy of every completed moderation."
    )

    class Meta:
        verbose_name_plural = "moderation settings"

    def __str__(self) -> str:
        return "Moderation settings"


class WorkerFeedback(models.Model):
    """The worker's say on a submitted audit, its findings and its plan (MOD-3), or the record
    that none was given within the window."""

    class Agreement(models.TextChoices):
        AGREE = "agree", "Agree"
        PARTLY_AGREE = "partly_agree", "Partly agree"
        STRONGLY_DISAGREE = "strongly_disagree", "Strongly disagree"
        NONE_GIVEN = "none_given", "No feedback given"

    audit = models.OneToOneField(Audit, on_delete=models.CASCADE, related_name="worker_feedback")
    agreement = models.CharField(max_length=20, choices=Agreement.choices)
    on_process = models.TextField(blank=True, help_text="Their view of the audit process.")
    on_findings = models.TextField(blank=True, help_text="Their view of the findings.")
    on_plan = models.TextField(blank=True, help_text="Their view of the plan (the actions).")
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    given_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Feedback on audit {self.audit_id}: {self.agreement}"


class HeadOfQaDecision(models.Model):
    """The head of QA's decision on an audit the worker strongly disputes (MOD-3): the auditor
    upheld, or grades and plan changed (the grade changes are audits.GradeChange rows)."""

    class Decision(models.TextChoices):
        AUDITOR_UPHELD = "auditor_upheld", "The auditor's audit is upheld"
        CHANGED = "changed", "Grades or plan changed"

    audit = models.OneToOneField(Audit, on_delete=models.CASCADE, related_name="head_of_qa_decision")
    decision = models.CharField(max_length=20, choices=Decision.choices)
    reason = models.TextField()
    plan_change = models.TextField(blank=True, help_text="How the plan changes, if it does.")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Head of QA decision on audit {self.audit_id}: {self.decision}"


class Moderation(models.Model):
    """Stage 2 of one audit (MOD-1, MOD-2): who moderates it and by when, the reflective
    discussion (a response of the Stage 2 template) and, on completion, the moderated grades."""

    audit = models.OneToOneField(Audit, on_delete=models.CASCADE, related_name="moderation")
    response = models.OneToOneField(Response, on_delete=models.PROTECT, related_name="moderation")
    moderator = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="moderations"
    )
    due_date = models.DateField(null=True, blank=True)
    opened_at = models.DateTimeField(default=timezone.now)
    assigned_at = models.DateTimeField(null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The discussion the moderator arranges with the group manager, practice manager and worker,
    # sent as a calendar invite (RFC 5545: a stable UID, SEQUENCE raised on every change).
    meeting_uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting_sequence = models.PositiveIntegerField(default=0)
    meeting_starts_at = models.DateTimeField(null=True, blank=True)
    meeting_minutes = models.PositiveSmallIntegerField(default=60)
    meeting_location = models.CharField(max_length=300, blank=True)
    meeting_link = models.URLField(blank=True)
    meeting_cancelled = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["completed_at", "due_date"])]

    def __str__(self) -> str:
        return f"Moderation of audit {self.audit_id}"


class ModerationGrade(models.Model):
    """The moderator's view of one grade of the audit (a section's, or "overall"): agreed, or
    changed to `grade` with a reason. Applied to the audit's grades on completion."""

    moderation = models.ForeignKey(Moderation, on_delete=models.CASCADE, related_name="grades")
    ref = models.CharField(max_length=63)
    agree = models.BooleanField(default=True)
    grade = models.CharField(max_length=40, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["moderation", "ref"], name="unique_moderation_grade")]

    def __str__(self) -> str:
        return f"{self.ref}: {'agreed' if self.agree else self.grade}"


class PanelSampleDraw(models.Model):
    """One quarter's draw of the moderation panel's sample for one audit type (MOD-4): the
    percentage, the seed and the pool, so the same draw can be made again and explained."""

    quarter = models.DateField(help_text="First day of the quarter.")
    audit_type = models.CharField(max_length=32)
    percent = models.PositiveSmallIntegerField()
    seed = models.BigIntegerField()
    pool_size = models.PositiveIntegerField()
    drawn_at = models.DateTimeField(default=timezone.now)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["quarter", "audit_type"], name="unique_panel_draw")]

    def __str__(self) -> str:
        return f"Panel sample of {self.audit_type} for {self.quarter:%Y-%m}"


class Panel(models.Model):
    """A meeting of the audit moderation panel (MOD-4), with its chair, place or link, and invite."""

    starts_at = models.DateTimeField()
    minutes = models.PositiveSmallIntegerField(default=120)
    chair = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="panels_chaired")
    location = models.CharField(max_length=300, blank=True)
    online_link = models.URLField(blank=True)
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0)
    cancelled = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-starts_at", "-id"]

    def __str__(self) -> str:
        return f"Moderation panel on {self.starts_at:%Y-%m-%d}"


class PanelAudit(models.Model):
    """An audit sampled for the panel: why it was drawn, the panel that considers it, and the
    chair's final decision (confirmed, or changed with reasons)."""

    class Decision(models.TextChoices):
        CONFIRMED = "confirmed", "Confirmed"
        CHANGED = "changed", "Changed"

    audit = models.OneToOneField(Audit, on_delete=models.CASCADE, related_name="panel_audit")
    draw = models.ForeignKey(
        PanelSampleDraw, null=True, blank=True, on_delete=models.PROTECT, related_name="audits"
    )
    panel = models.ForeignKey(Panel, null=True, blank=True, on_delete=models.PROTECT, related_name="audits")
    why = models.TextField(help_text="Why this audit is in the sample.")
    decision = models.CharField(max_length=16, choices=Decision.choices, blank=True)
    reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Audit {self.audit_id} at the panel"


class QaInboxItem(models.Model):
    """A copy of a completed moderation (or another finished stage) for the QA team's in-app
    inbox, with the document it came with; marked as read by whoever in QA reads it."""

    class Kind(models.TextChoices):
        MODERATION_COMPLETED = "moderation_completed", "Stage 2 moderation completed"
        HEAD_OF_QA_DECIDED = "head_of_qa_decided", "Head of QA decision"
        PANEL_DECIDED = "panel_decided", "Panel decision"

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="qa_inbox_items")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    document = models.ForeignKey(
        AuditDocument, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    summary = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} for audit {self.audit_id}"


class AuditAlert(models.Model):
    """Something a person is told about an audit of their line (ESC-2, MOD-3): shown on their home
    page until they dismiss it (mail goes out through the outbox beside it)."""

    class Kind(models.TextChoices):
        FEEDBACK_REQUESTED = "feedback_requested", "Your feedback on the audit is asked for"
        FEEDBACK_GIVEN = "feedback_given", "The worker has given feedback"
        HEAD_OF_QA_DECIDED = "head_of_qa_decided", "The head of QA has decided"
        MODERATION_COMPLETED = "moderation_completed", "Case audit alert: Stage 2 moderation completed"
        PANEL_INVITED = "panel_invited", "Invited to the moderation panel"
        PANEL_DECIDED = "panel_decided", "The moderation panel has decided"

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="alerts")
    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="audit_alerts")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    text = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    dismissed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["staff", "dismissed_at"])]

    def __str__(self) -> str:
        return f"{self.kind} to {self.staff_id} on audit {self.audit_id}"
