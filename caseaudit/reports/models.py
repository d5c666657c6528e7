"""Themes of a period's free text (QA-2): suggested by reports.themes, then renamed, merged,
split, discarded and confirmed by the QA officer, who is in charge of them. Confirmed themes are
kept per period (a quarter, mostly), so the quarters' themes can be compared.

A fragment is one free text of an audit (a section comment, the strengths, the issues, an action's
impact, a moderation record, a family answer), copied with the key of where it came from; it sits
in at most one theme of a period (a unique key per period)."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from caseaudit.audits.models import Audit


class Theme(models.Model):
    class Kind(models.TextChoices):
        STRENGTH = "strength", "Strength"
        BARRIER = "barrier", "Barrier"
        MIXED = "mixed", "Mixed"

    class Status(models.TextChoices):
        SUGGESTED = "suggested", "Suggested"
        CONFIRMED = "confirmed", "Confirmed"
        DISCARDED = "discarded", "Discarded"

    period_start = models.DateField()
    period_end = models.DateField()
    label = models.CharField(max_length=200)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SUGGESTED)
    area = models.CharField(max_length=40, blank=True, help_text="The core area of practice it grew from.")
    terms = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["period_start", "status", "label", "pk"]
        indexes = [models.Index(fields=["period_start", "period_end", "status"])]

    def __str__(self) -> str:
        return f"{self.label} ({self.period_start}–{self.period_end})"


class ThemeFragment(models.Model):
    class Source(models.TextChoices):
        SECTION_COMMENT = "section_comment", "Section comment"
        STRENGTHS = "strengths", "What the worker did well"
        ISSUES = "issues", "Significant issues"
        ANSWER = "answer", "Audit answer"
        ACTION_IMPACT = "action_impact", "Action's expected impact"
        MODERATION = "moderation", "Moderation record"
        FAMILY = "family", "Family feedback"

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="fragments")
    period_start = models.DateField()
    period_end = models.DateField()
    key = models.CharField(max_length=64, help_text="Where it came from, e.g. section:12 or answer:345.")
    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="theme_fragments")
    source = models.CharField(max_length=20, choices=Source.choices)
    text = models.TextField()

    class Meta:
        ordering = ["audit_id", "key"]
        constraints = [
            models.UniqueConstraint(
                fields=["period_start", "period_end", "key"], name="fragment_in_one_theme"
            )
        ]

    def __str__(self) -> str:
        return self.text[:60]


class QuarterlyReport(models.Model):
    """What QA writes for a quarter's report to the Policy and Practice Steering Group (QA-3):
    "what we will do next". The figures are never stored: they are counted when it is made."""

    quarter_start = models.DateField(unique=True)
    next_steps = models.TextField(blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-quarter_start"]

    def __str__(self) -> str:
        return f"Quarterly report from {self.quarter_start}"
