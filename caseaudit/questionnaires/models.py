"""A response to a questionnaire: the answers, section grades and comments given to one loaded
template version (TPL-1), with its own version counter for the stale-save check (CONTRACTS §5).

A response belongs to whatever asked the questions: the Stage 1 audit owns one today
(`Audit.response`); Stage 2 moderation, the worker's feedback and family feedback will each own
one of their own. What is particular to the owner (an audit's date, type details, actions and
compliance gaps) stays with the owner. See docs/adr/0006-questionnaire-engine.md."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from caseaudit.templates_library.models import TemplateVersion


class Response(models.Model):
    template_version = models.ForeignKey(TemplateVersion, on_delete=models.PROTECT, related_name="responses")
    version = models.PositiveIntegerField(
        default=1, help_text="Raised on every save that changes something; stale saves are refused."
    )
    # The client (an API token or a browser session, as a digest: see clients.py) whose save made
    # the current version; blank until the first save. A save without a version from any other
    # client is refused (CONTRACTS §5, services.response_lock).
    saved_by_client = models.CharField(max_length=48, blank=True)
    overall_grade = models.CharField(max_length=40, blank=True)
    overall_override_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Response {self.pk} to {self.template_version.ref} v{self.template_version.version}"


class ResponseAnswer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question_ref = models.CharField(max_length=127)
    value = models.TextField(blank=True)
    reason = models.TextField(blank=True, help_text="Why NA, where the question asks for a reason.")
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "question_ref"], name="unique_response_answer")
        ]

    def __str__(self) -> str:
        return f"{self.question_ref}={self.value}"


class ResponseSection(models.Model):
    """A section's grade and comments box (TPL-4), and whether the person marked it as done."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="sections")
    section_ref = models.SlugField(max_length=63)
    grade = models.CharField(max_length=40, blank=True)
    comments = models.TextField(blank=True)
    completed = models.BooleanField(default=False, help_text="The person marked the section as done.")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "section_ref"], name="unique_response_section")
        ]

    def __str__(self) -> str:
        return f"{self.section_ref}: {self.grade}"
