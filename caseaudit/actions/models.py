"""Every action to done, and every Inadequate audit escalated (ACT-1..4, ESC-1; CONTRACTS §10).

An action is written with its audit (the Stage 1 form, Stage 2's moderator: `audits.AuditAction`,
ADR 0007); from submission on, this app owns its life: each status change and each progress note
is an ActionEvent row (append-only: who, when, from, to, the note), each reminder sent a
ActionReminder row unique by (action, kind, day), so a rerun or two workers never send one twice.
An Escalation is opened the moment an audit's effective overall grade becomes Inadequate (one
open per audit) and is closed only with a recorded outcome."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from caseaudit.audits.models import Audit, AuditAction


def _default_escalation_roles() -> list[str]:
    return ["practice_manager", "group_manager", "head_of_service", "qa"]


class ActionSettings(models.Model):
    """The council's settings for actions, reminders and escalations. One row, editable by QA."""

    reminder_working_days_before = models.PositiveSmallIntegerField(
        default=2, help_text="Working days before an action's due date that its owner is reminded."
    )
    overdue_every_working_days = models.PositiveSmallIntegerField(
        default=5, help_text="While an action stays overdue, its owner is reminded this often (working days)."
    )
    escalation_working_days = models.PositiveSmallIntegerField(
        default=5, help_text="An escalation is due this many working days after the audit date."
    )
    escalation_roles = models.JSONField(
        default=_default_escalation_roles,
        help_text="Who is alerted when an escalation opens: practice_manager, group_manager, "
        "head_of_service (of the worker's line) and qa (the QA team).",
    )

    class Meta:
        verbose_name_plural = "action settings"

    def __str__(self) -> str:
        return "Action settings"


class ActionEvent(models.Model):
    """One thing that happened to an action: a progress note, or a change of status with its
    note. Append-only: never changed, never deleted."""

    class Kind(models.TextChoices):
        PROGRESS = "progress", "Progress noted"
        DONE = "done", "Marked as done"
        SIGNED_OFF = "signed_off", "Signed off"
        SENT_BACK = "sent_back", "Sent back"
        CANCELLED = "cancelled", "Cancelled"

    action = models.ForeignKey(AuditAction, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16, blank=True)
    note = models.TextField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.action_id})"


class ActionReminder(models.Model):
    """A reminder sent about an action (ACT-3): one per action, kind and day, ever."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", "Due soon"
        OVERDUE = "overdue", "Overdue"
        STILL_OVERDUE = "still_overdue", "Still overdue"

    action = models.ForeignKey(AuditAction, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    on = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["action", "kind", "on"], name="one_action_reminder_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} reminder of action {self.action_id} on {self.on}"


class Escalation(models.Model):
    """ESC-1: an audit whose effective overall grade became Inadequate, until someone records what
    was done to keep the child safe."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    class Outcome(models.TextChoices):
        SAFETY_PLAN_REVIEWED = "safety_plan_reviewed", "Safety plan reviewed"
        STRATEGY_DISCUSSION = "strategy_discussion", "Strategy discussion held"
        CHILD_PROTECTION_ENQUIRY = "child_protection_enquiry", "Child protection enquiry (section 47)"
        CASE_STEPPED_UP = "case_stepped_up", "Case stepped up"
        NO_FURTHER_ACTION = "no_further_action", "No further action"

    audit = models.ForeignKey(Audit, on_delete=models.PROTECT, related_name="escalations")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    stage = models.CharField(max_length=20, help_text="The audit's status when it opened, e.g. submitted.")
    grade_ref = models.CharField(max_length=64, default="overall")
    opened_at = models.DateTimeField(default=timezone.now)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    due_date = models.DateField()
    outcome_code = models.CharField(max_length=32, choices=Outcome.choices, blank=True)
    outcome = models.TextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["audit"], condition=Q(status="open"), name="one_open_escalation_per_audit"
            ),
        ]
        indexes = [models.Index(fields=["status", "due_date"])]

    def __str__(self) -> str:
        return f"Escalation of audit {self.audit_id} ({self.status})"


class EscalationReminder(models.Model):
    """A reminder that an escalation is overdue: one per escalation and day, ever."""

    escalation = models.ForeignKey(Escalation, on_delete=models.CASCADE, related_name="reminders")
    on = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["escalation", "on"], name="one_escalation_reminder_a_day"),
        ]


class Supervision(models.Model):
    """ACT-4: a supervision the worker's line manager recorded, carrying the audits' actions into
    it: a note per action discussed. The agenda of the next one starts after the latest `held_on`."""

    worker = models.ForeignKey("org.Staff", on_delete=models.PROTECT, related_name="supervisions")
    supervisor = models.ForeignKey(
        "org.Staff", null=True, blank=True, on_delete=models.PROTECT, related_name="supervisions_held"
    )
    held_on = models.DateField()
    note = models.TextField(blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["worker", "held_on"])]

    def __str__(self) -> str:
        return f"Supervision of {self.worker_id} on {self.held_on}"


class SupervisionActionNote(models.Model):
    """What the supervision said of one action, and the action's status then."""

    supervision = models.ForeignKey(Supervision, on_delete=models.CASCADE, related_name="action_notes")
    action = models.ForeignKey(AuditAction, on_delete=models.PROTECT, related_name="supervision_notes")
    status = models.CharField(max_length=16)
    note = models.TextField()

    class Meta:
        ordering = ["supervision", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["supervision", "action"], name="one_note_per_action_a_supervision"
            )
        ]


class StoryBoard(models.Model):
    """ESC-3: good practice celebrated. A final Good or Outstanding audit invites the worker to
    write, with the auditor, what we did, what changed for the child and what others can learn;
    QA publishes it for all staff. It never holds the child's name, date of birth or IDs (checked
    on every save)."""

    class Status(models.TextChoices):
        INVITED = "invited", "Invited"
        SUBMITTED = "submitted", "Waiting to be published"
        PUBLISHED = "published", "Published"

    audit = models.OneToOneField(Audit, on_delete=models.PROTECT, related_name="story_board")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.INVITED)
    title = models.CharField(max_length=200, blank=True)
    what_we_did = models.TextField(blank=True)
    what_changed = models.TextField(blank=True)
    what_others_can_learn = models.TextField(blank=True)
    invited_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-published_at", "-invited_at", "-id"]
        indexes = [models.Index(fields=["status", "published_at"])]

    def __str__(self) -> str:
        return self.title or f"Story board of audit {self.audit_id}"
