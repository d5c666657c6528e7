"""Access requests to restricted records (SEL-6) and the approver's decisions on them."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from caseaudit.cases.models import Case
from caseaudit.org.models import Staff


class AccessRequest(models.Model):
    """An auditor's request to open a restricted record; a named approver decides (SEL-6)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for a decision"
        GRANTED = "granted", "Granted"
        REFUSED = "refused", "Refused"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="access_requests")
    requester = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="access_requests")
    reason = models.TextField()
    approver = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="access_requests_to_decide")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Access to {self.case_id} for {self.requester_id}: {self.status}"
