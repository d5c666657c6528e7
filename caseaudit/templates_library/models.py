"""Audit templates as versioned data (TPL-1).

`TemplateFile` is the raw YAML exactly as it was loaded, with its hash; the other models are
the rows built from it. A loaded version is never edited: a changed file becomes a new
`TemplateFile` and a new `TemplateVersion`, and only `is_current` moves. Audits point at the
`TemplateVersion` they were started on, so they keep it."""

from django.db import models
from django.db.models import Q
from django.utils import timezone


class TemplateFile(models.Model):
    """One version of one YAML file of audit_templates/, stored as it was read."""

    ref = models.SlugField(max_length=63, help_text="The file's `ref`: a template ref, or audit_types.")
    version = models.PositiveIntegerField(help_text="Numbered by the loader: 1, 2, 3... per ref.")
    sha256 = models.CharField(max_length=64)
    filename = models.CharField(max_length=255)
    raw_text = models.TextField()
    loaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["ref", "version"]
        constraints = [
            models.UniqueConstraint(fields=["ref", "version"], name="unique_template_file_version"),
            models.UniqueConstraint(fields=["ref", "sha256"], name="unique_template_file_hash"),
        ]

    def __str__(self) -> str:
        return f"{self.filename} v{self.version} ({self.sha256[:12]})"


class TemplateVersion(models.Model):
    class Kind(models.TextChoices):
        AUDIT = "audit", "Audit"
        FEEDBACK = "feedback", "Family feedback"
        MODERATION = "moderation", "Moderation"

    file = models.OneToOneField(TemplateFile, on_delete=models.PROTECT, related_name="template_version")
    ref = models.SlugField(max_length=63)
    version = models.PositiveIntegerField()
    version_label = models.CharField(max_length=40, help_text="The council's own label, from the file.")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    # Document control (TPL-1); empty where the source document does not say.
    document_title = models.CharField(max_length=200)
    approved_date = models.DateField(null=True, blank=True)
    updated_date = models.DateField(null=True, blank=True)
    approving_body = models.CharField(max_length=200, blank=True)
    next_review_date = models.DateField(null=True, blank=True)
    owner = models.CharField(max_length=200, blank=True)
    lead_contact = models.CharField(max_length=200, blank=True)
    source = models.CharField(max_length=300, blank=True)
    grade_scale = models.JSONField(default=list, help_text='Best first: [{"token": ..., "label": ...}]')
    limiting_ceiling = models.CharField(max_length=40, blank=True)
    overall_grade_rule = models.JSONField(default=dict)
    review_window_months = models.PositiveSmallIntegerField(null=True, blank=True)
    moderates = models.JSONField(default=list, blank=True)
    is_current = models.BooleanField(default=False)

    class Meta:
        ordering = ["ref", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["ref", "version"], name="unique_template_version"),
            models.UniqueConstraint(
                fields=["ref"], condition=Q(is_current=True), name="one_current_template_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (version {self.version}{', current' if self.is_current else ''})"


class Section(models.Model):
    template = models.ForeignKey(TemplateVersion, on_delete=models.PROTECT, related_name="sections")
    order = models.PositiveSmallIntegerField()
    ref = models.SlugField(max_length=63)
    title = models.CharField(max_length=200)
    guidance = models.TextField(blank=True)
    minutes = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Time guidance.")
    graded = models.BooleanField(default=False)
    comments_label = models.CharField(max_length=200, default="Comments")
    repeat = models.CharField(max_length=32, blank=True)
    actions_table = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["template", "order"]
        constraints = [models.UniqueConstraint(fields=["template", "ref"], name="unique_section_ref")]

    def __str__(self) -> str:
        return self.title


class Judgement(models.TextChoices):
    """What a limiting judgement means (CONTRACTS §11), whatever a template calls the question."""

    CHILD_SEEN = "child_seen", "Child seen"
    CHILD_SEEN_ALONE = "child_seen_alone", "Child seen alone"
    CHILD_VOICE = "child_voice", "Child's voice"


class Question(models.Model):
    class AnswerType(models.TextChoices):
        YES_NO_NA = "yes_no_na", "Yes / No (/ NA)"
        GRADE = "grade", "Grade"
        TEXT = "text", "Free text"
        DATE = "date", "Date"
        CHOICE = "choice", "Choice"

    template = models.ForeignKey(TemplateVersion, on_delete=models.PROTECT, related_name="questions")
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="questions")
    order = models.PositiveSmallIntegerField()
    ref = models.CharField(max_length=127)
    text = models.TextField()
    help = models.TextField(blank=True)
    answer_type = models.CharField(max_length=16, choices=AnswerType.choices)
    choices = models.JSONField(default=list, blank=True)
    multiple = models.BooleanField(default=False)
    na_allowed = models.BooleanField(default=False)
    na_requires_reason = models.BooleanField(default=False)
    na_reason_help = models.TextField(blank=True)
    required = models.BooleanField(default=True)
    required_if = models.JSONField(null=True, blank=True)
    limiting = models.BooleanField(default=False, help_text="A limiting judgement (GRD-2).")
    # What the limiting judgement means, the key the reports count it under (CONTRACTS §11)
    judgement = models.CharField(max_length=32, choices=Judgement.choices, blank=True)
    limits = models.JSONField(default=list, blank=True, help_text="Refs of the sections it limits.")
    escalation = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["section__order", "order"]
        constraints = [models.UniqueConstraint(fields=["template", "ref"], name="unique_question_ref")]

    def __str__(self) -> str:
        return self.ref


class GradeDescriptor(models.Model):
    """What a grade looks like for a section (TPL-2), shown beside it."""

    class Source(models.TextChoices):
        SEED = "seed", "The source document's words"
        WRITTEN = "written", "Written for this template"

    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="descriptors")
    grade = models.CharField(max_length=40)
    order = models.PositiveSmallIntegerField()
    text = models.TextField()
    source = models.CharField(max_length=8, choices=Source.choices)

    class Meta:
        ordering = ["section", "grade", "order"]

    def __str__(self) -> str:
        return f"{self.section.ref} {self.grade} {self.order}"


class AuditType(models.Model):
    """An audit type (TPL-3). Settings, not history: a changed audit_types.yaml updates them."""

    token = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    template_ref = models.SlugField(max_length=63)
    review_window_months = models.PositiveSmallIntegerField()
    requires = models.JSONField(default=list, blank=True, help_text="Fields an audit of this type records.")
    rules = models.JSONField(default=dict, blank=True)
    source_file = models.ForeignKey(TemplateFile, on_delete=models.PROTECT, related_name="audit_types")
    is_active = models.BooleanField(default=True, help_text="False once it is no longer in the file.")

    class Meta:
        ordering = ["token"]

    def __str__(self) -> str:
        return self.name
