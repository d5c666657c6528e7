"""Monthly allocation (SEL). Access requests are the access app's; the audit discussion (SEL-7) is the
audits app's."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from caseaudit.accounts.roles import Role
from caseaudit.audits.models import Audit
from caseaudit.cases.models import Case
from caseaudit.org.models import Staff


def _default_auditor_roles() -> list[str]:
    return [Role.GROUP_MANAGER.value]


class AllocationSettings(models.Model):
    """The council's allocation rules (SEL-2, SEL-3), editable by QA and administrators. One row."""

    auditor_roles = models.JSONField(default=_default_auditor_roles, help_text="Roles whose holders audit.")
    cases_per_auditor = models.PositiveSmallIntegerField(default=1)
    closed_within_days = models.PositiveSmallIntegerField(
        default=30, help_text="A closed case is eligible if closed within this many days before the month."
    )
    audited_within_months = models.PositiveSmallIntegerField(
        default=3,
        help_text="A case audited within this many calendar months before the month is not eligible.",
    )
    due_day = models.PositiveSmallIntegerField(
        default=21, help_text="Stage 1 is due on this day of the month, or the working day before (AUD-5)."
    )
    access_approver_role = models.CharField(
        max_length=32,
        choices=Role.choices,
        default=Role.HEAD_OF_SERVICE,
        help_text="Who grants access to a restricted record: the nearest holder above the case's worker.",
    )

    class Meta:
        verbose_name_plural = "allocation settings"

    def __str__(self) -> str:
        return "Allocation settings"


class AllocationRun(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        CONFIRMED = "confirmed", "Confirmed"
        DISCARDED = "discarded", "Discarded"

    month = models.DateField(help_text="First day of the month allocated.")
    seed = models.BigIntegerField()
    per_auditor = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The solver's explanation as drafted: passed-over cases, relaxations, loads (SEL-4).
    result = models.JSONField(default=dict)

    class Meta:
        ordering = ["-month", "-created_at"]
        constraints = [
            # SEL-1: one confirmed allocation per month, even when two QA officers confirm at once.
            models.UniqueConstraint(
                fields=["month"], condition=Q(status="confirmed"), name="one_confirmed_allocation_per_month"
            )
        ]

    def __str__(self) -> str:
        return f"Allocation for {self.month:%B %Y} ({self.status})"


class AllocationItem(models.Model):
    run = models.ForeignKey(AllocationRun, on_delete=models.CASCADE, related_name="items")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="allocation_items")
    auditor = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="allocation_items")
    same_area = models.BooleanField()
    reasons = models.JSONField(default=list)
    warnings = models.JSONField(default=list, blank=True)
    adjusted = models.BooleanField(default=False)
    adjustment_reason = models.TextField(blank=True)
    audit = models.OneToOneField(
        Audit, null=True, blank=True, on_delete=models.PROTECT, related_name="allocation_item"
    )

    class Meta:
        ordering = ["case__case_id"]
        constraints = [models.UniqueConstraint(fields=["run", "case"], name="unique_case_per_run")]

    def __str__(self) -> str:
        return f"{self.case_id} → {self.auditor_id}"
