"""Issue 9 A1, step 2 of 3: copy each audit's content into its own questionnaire response — its
template version, version counter and last saving client, overall grade and override reason, and
its answer and section rows, as they are (ids of the new rows are new; nothing refers to them).
Reversible: going back copies the responses' content into the audit's own fields and rows."""

from typing import Any

from django.db import migrations

BATCH = 500


def audits_to_responses(apps: Any, schema_editor: Any) -> None:
    Audit = apps.get_model("audits", "Audit")
    AuditAnswer = apps.get_model("audits", "AuditAnswer")
    AuditSection = apps.get_model("audits", "AuditSection")
    Response = apps.get_model("questionnaires", "Response")
    ResponseAnswer = apps.get_model("questionnaires", "ResponseAnswer")
    ResponseSection = apps.get_model("questionnaires", "ResponseSection")
    audits = Audit.objects.filter(response__isnull=True).order_by("pk")
    while batch := list(audits[:BATCH]):
        for audit in batch:
            audit.response = Response.objects.create(
                template_version_id=audit.template_version_id,
                version=audit.version,
                saved_by_client=audit.saved_by_client,
                overall_grade=audit.overall_grade,
                overall_override_reason=audit.overall_override_reason,
                created_at=audit.created_at,
                updated_at=audit.updated_at,
            )
        Audit.objects.bulk_update(batch, ["response"])
        response_of = {audit.pk: audit.response_id for audit in batch}
        ResponseAnswer.objects.bulk_create(
            ResponseAnswer(
                response_id=response_of[row.audit_id],
                question_ref=row.question_ref,
                value=row.value,
                reason=row.reason,
                updated_at=row.updated_at,
                updated_by_id=row.updated_by_id,
            )
            for row in AuditAnswer.objects.filter(audit_id__in=response_of).order_by("pk")
        )
        ResponseSection.objects.bulk_create(
            ResponseSection(
                response_id=response_of[row.audit_id],
                section_ref=row.section_ref,
                grade=row.grade,
                comments=row.comments,
                completed=row.completed,
                updated_at=row.updated_at,
            )
            for row in AuditSection.objects.filter(audit_id__in=response_of).order_by("pk")
        )


def responses_to_audits(apps: Any, schema_editor: Any) -> None:
    Audit = apps.get_model("audits", "Audit")
    AuditAnswer = apps.get_model("audits", "AuditAnswer")
    AuditSection = apps.get_model("audits", "AuditSection")
    ResponseAnswer = apps.get_model("questionnaires", "ResponseAnswer")
    ResponseSection = apps.get_model("questionnaires", "ResponseSection")
    for audit in Audit.objects.filter(response__isnull=False).select_related("response").order_by("pk"):
        response = audit.response
        audit.template_version_id = response.template_version_id
        audit.version = response.version
        audit.saved_by_client = response.saved_by_client
        audit.overall_grade = response.overall_grade
        audit.overall_override_reason = response.overall_override_reason
        audit.save(
            update_fields=[
                "template_version",
                "version",
                "saved_by_client",
                "overall_grade",
                "overall_override_reason",
            ]
        )
        AuditAnswer.objects.filter(audit=audit).delete()
        AuditAnswer.objects.bulk_create(
            AuditAnswer(
                audit=audit,
                question_ref=row.question_ref,
                value=row.value,
                reason=row.reason,
                updated_at=row.updated_at,
                updated_by_id=row.updated_by_id,
            )
            for row in ResponseAnswer.objects.filter(response=response).order_by("pk")
        )
        AuditSection.objects.filter(audit=audit).delete()
        AuditSection.objects.bulk_create(
            AuditSection(
                audit=audit,
                section_ref=row.section_ref,
                grade=row.grade,
                comments=row.comments,
                completed=row.completed,
                updated_at=row.updated_at,
            )
            for row in ResponseSection.objects.filter(response=response).order_by("pk")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("audits", "0003_audit_response"),
    ]

    operations = [migrations.RunPython(audits_to_responses, responses_to_audits)]
