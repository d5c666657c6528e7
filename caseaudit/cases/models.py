"""The case register, imported from the case-management system (INT-1)."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from caseaudit.org.models import Staff, Team


class RegisterImport(models.Model):
    """One import of the register: who, when, from what, and what it changed."""

    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source_name = models.CharField(max_length=300)
    via = models.CharField(max_length=16, default="command")
    ok = models.BooleanField(default=False)
    counts = models.JSONField(default=dict, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    error_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"Import of {self.source_name} at {self.started_at:%Y-%m-%d %H:%M}"


class Child(models.Model):
    child_id = models.CharField("child ID", max_length=64, unique=True)
    name = models.CharField(max_length=200)
    date_of_birth = models.DateField(null=True, blank=True)
    gender = models.CharField(max_length=50, blank=True)
    ethnicity = models.CharField(max_length=100, blank=True)
    disability = models.CharField(max_length=200, blank=True)
    # Any of the child's cases is restricted: the child's details are then shown only to
    # those with full access to a restricted case (CONTRACTS §3).
    restricted = models.BooleanField(default=False)
    in_latest_import = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "children"

    def __str__(self) -> str:
        return f"{self.name} ({self.child_id})"


class Case(models.Model):
    class CaseType(models.TextChoices):
        EARLY_HELP = "early_help", "Early Help"
        CIN = "cin", "Child in need"
        CP = "cp", "Child protection"
        CLA = "cla", "Child looked after"
        CARE_LEAVER = "care_leaver", "Care leaver"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    case_id = models.CharField("case ID", max_length=64, unique=True)
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="cases")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="cases")
    allocated_worker = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="caseload"
    )
    case_type = models.CharField(max_length=16, choices=CaseType.choices)
    start_date = models.DateField()
    closed_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    restricted = models.BooleanField(default=False)
    last_audited_on = models.DateField(
        null=True, blank=True, help_text="Date last audited before caseaudit, if known."
    )
    in_latest_import = models.BooleanField(default=True)

    class Meta:
        ordering = ["case_id"]
        indexes = [
            models.Index(fields=["status", "case_type"]),
            models.Index(fields=["team", "status"]),
        ]

    def __str__(self) -> str:
        return self.case_id
