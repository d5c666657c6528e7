"""Audits of a child's case (AUD, GRD, REC). An audit owns one questionnaire response (its
answers, section grades, comments and overall grade, keyed to the template version it was
started on: TPL-1, ADR 0006); its actions and compliance gaps are rows of their own; every
status change is an append-only row (REC-3)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from caseaudit.cases.models import Case
from caseaudit.org.models import Staff
from caseaudit.questionnaires.models import Response
from caseaudit.templates_library.models import TemplateVersion


class Audit(models.Model):
    class Status(models.TextChoices):
        ALLOCATED = "allocated", "Allocated"
        IN_PROGRESS = "in_progress", "In progress"
        SUBMITTED = "submitted", "Stage 1 submitted"
        HEAD_OF_QA_REVIEW = "head_of_qa_review", "With the head of QA"
        MODERATION = "moderation", "In Stage 2 moderation"
        PANEL = "panel", "Sampled for the moderation panel"
        FINAL = "final", "Final"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="audits")
    # Stage 1's questionnaire: answers, section grades, comments, the overall grade, the version
    # counter of the stale-save check, and the template version the audit was started on.
    response = models.OneToOneField(Response, on_delete=models.PROTECT, related_name="audit")
    audit_type = models.CharField(max_length=32, help_text="Token of the audit type, e.g. good_practice.")
    # What the type asks for: theme (thematic), line_of_enquiry (dip sample),
    # observed_practice and family_consent (practice week).
    type_details = models.JSONField(default=dict, blank=True)
    auditor = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="audits_as_auditor")
    # The allocated worker and their practice manager when the audit started: the audit is
    # about the work of that worker, even if the case moves on.
    worker = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="audits_as_worker"
    )
    practice_manager = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="audits_as_practice_manager"
    )
    practice_manager_is_fallback = models.BooleanField(default=False)
    audit_date = models.DateField(
        null=True, blank=True, help_text="The date of the audit, used in reporting."
    )
    window_start = models.DateField(null=True, blank=True)
    window_end = models.DateField(null=True, blank=True)
    due_date = models.DateField(null=True, blank=True)
    allocation_month = models.DateField(
        null=True, blank=True, help_text="First day of the month of the monthly allocation that made it."
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.IN_PROGRESS)
    # ACT-2: asked whenever a grade is Inadequate; with yes every action is due within 5 working days.
    safeguarding_concerns = models.BooleanField(null=True, blank=True)
    # Grades by stage (CONTRACTS §9), each {section_ref: grade, "overall": grade}: Stage 1's, frozen
    # at submission; what Stage 2 moderation left (null until then); and the effective grades, the
    # latest stage's (the head of QA's, the moderator's or the panel's), which every figure uses.
    # Every change of a grade after Stage 1 is a GradeChange row (who, when, from, to, why).
    stage1_grades = models.JSONField(default=dict, blank=True)
    moderated_grades = models.JSONField(null=True, blank=True)
    effective_grades = models.JSONField(default=dict, blank=True)
    # The limiting judgements of the Stage 1 answers by what they mean (CONTRACTS §11), frozen at
    # submission like stage1_grades: {"child_seen": "yes" | "no" | "na", ...}, one value per meaning
    # over every question with it ("no" if any is No, else "yes" if any is Yes, else "na").
    judgements = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)
    final_at = models.DateTimeField(null=True, blank=True, help_text="When no stage was left.")
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "due_date"]),
            models.Index(fields=["audit_type", "audit_date"]),
            # Stage 3 counts a period's audits: on PostgreSQL their ids come from the index alone
            models.Index(fields=["audit_date", "status", "id"], name="audit_period_idx"),
        ]

    def __str__(self) -> str:
        return f"Audit {self.pk} of case {self.case_id}"

    @property
    def template_version(self) -> TemplateVersion:
        """The template version the audit was started on: its response's (TPL-1)."""
        return self.response.template_version

    @property
    def overall_grade(self) -> str:
        """The effective overall grade: the latest stage's; Stage 1's response until submission."""
        return str(self.effective_grades.get("overall") or self.response.overall_grade or "")


class AuditAction(models.Model):
    """A SMART action raised by the audit (AUD-4): what, who, by when, impact for the child."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"
        SIGNED_OFF = "signed_off", "Signed off"
        CANCELLED = "cancelled", "Cancelled"

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="actions")
    order = models.PositiveSmallIntegerField(default=0)
    what = models.TextField()
    owner = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="audit_actions"
    )
    owner_is_fallback = models.BooleanField(default=False)
    due_date = models.DateField()
    impact = models.TextField(help_text="The expected impact for the child.")
    # Why the due date is later than 4 weeks after the audit (CONTRACTS §10: allowed only with one).
    due_reason = models.TextField(blank=True)
    # The status is the actions app's to change after submission (open → done → signed off, or
    # cancelled), each change an ActionEvent row; `status_at` is when it last changed.
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    status_at = models.DateTimeField(null=True, blank=True)
    # When it was last marked done (kept when signed off, cleared when sent back): Stage 3's
    # "completed on time" compares it with the due date (reports.figures).
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["order", "id"]
        indexes = [
            models.Index(fields=["status", "due_date"]),
            models.Index(fields=["owner", "status"]),
        ]

    def __str__(self) -> str:
        return self.what[:60]


class ComplianceGap(models.Model):
    """A gap the auditor flags for the worker to address before the audit is final (AUD-3)."""

    class Kind(models.TextChoices):
        SUPERVISION = "supervision", "Supervision"
        CASE_NOTES = "case_notes", "Case notes"
        CHRONOLOGY = "chronology", "Chronology"
        VISITS = "visits", "Visits"
        OTHER = "other", "Other"

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="compliance_gaps")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    note = models.TextField()
    flagged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    flagged_at = models.DateTimeField(default=timezone.now)
    addressed_at = models.DateTimeField(null=True, blank=True)
    addressed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    addressed_note = models.TextField(blank=True)

    class Meta:
        ordering = ["flagged_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.note[:40]}"


class AuditStatusChange(models.Model):
    """Append-only status history: who, when, from, to, and the machine's event that moved it."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    event = models.CharField(max_length=40, blank=True, help_text="The named event, e.g. feedback_given.")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status or '—'} → {self.to_status}"


class AuditDocument(models.Model):
    """The rendered PDF of an audit at a stage, stored against the child's file (REC-1).
    Served only through a view that checks permission and logs the access."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="documents")
    stage = models.CharField(max_length=16, default="stage1")
    file = models.FileField(upload_to="audit_documents/%Y/%m/")
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.stage} document of audit {self.audit_id}"


class Discussion(models.Model):
    """The audit discussion the auditor arranges with the worker (SEL-7), sent as an invite."""

    audit = models.OneToOneField(Audit, on_delete=models.CASCADE, related_name="discussion")
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0, help_text="Raised on every change (RFC 5545).")
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(default=60)
    location = models.CharField(max_length=300, blank=True)
    online_link = models.URLField(blank=True)
    cancelled = models.BooleanField(default=False)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return f"Discussion for audit {self.audit_id} at {self.starts_at:%Y-%m-%d %H:%M}"


class GradeChange(models.Model):
    """A grade changed after Stage 1 (CONTRACTS §9): by the head of QA, the Stage 2 moderator or
    the moderation panel. Append-only: who, when, from, to and the reason."""

    class Stage(models.TextChoices):
        HEAD_OF_QA = "head_of_qa", "Head of QA review"
        STAGE2 = "stage2", "Stage 2 moderation"
        PANEL = "panel", "Moderation panel"

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="grade_changes")
    stage = models.CharField(max_length=16, choices=Stage.choices)
    ref = models.CharField(max_length=63, help_text='A section ref, or "overall".')
    from_grade = models.CharField(max_length=40, blank=True)
    to_grade = models.CharField(max_length=40)
    reason = models.TextField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.stage} {self.ref}: {self.from_grade} → {self.to_grade}"


class FamilyRespondent(models.Model):
    """One person asked for family feedback on an audit (FAM-1, FAM-2): the child or young person,
    a parent or carer, or another family member; their consent, and only with consent their
    answers to the five questions of `family_feedback.yaml`, in their own words (a response of
    that template)."""

    class Who(models.TextChoices):
        CHILD = "child", "Child or young person"
        PARENT_CARER = "parent_carer", "Parent or carer"
        OTHER_FAMILY = "other_family", "Other family member"

    class Consent(models.TextChoices):
        YES = "yes", "Yes"
        NO = "no", "No"
        NOT_ASKED = "not_asked", "Not asked"
        NA = "na", "Not applicable"

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="family_respondents")
    order = models.PositiveSmallIntegerField(default=0)
    who = models.CharField(max_length=16, choices=Who.choices)
    consent = models.CharField(max_length=16, choices=Consent.choices)
    consent_date = models.DateField(null=True, blank=True)
    reason = models.TextField(blank=True, help_text="Why not asked, or why not applicable.")
    response = models.OneToOneField(
        Response, null=True, blank=True, on_delete=models.PROTECT, related_name="family_respondent"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return f"{self.get_who_display()} ({self.consent})"
