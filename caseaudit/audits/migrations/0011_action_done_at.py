"""An action keeps when it was last marked done (Stage 3's "completed on time", CONTRACTS §11);
actions done or signed off before take it from their last "done" event."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def done_at_from_events(apps, schema_editor):
    AuditAction = apps.get_model("audits", "AuditAction")
    ActionEvent = apps.get_model("actions", "ActionEvent")
    last_done = ActionEvent.objects.filter(action=OuterRef("pk"), to_status="done").order_by("-at", "-pk")
    AuditAction.objects.filter(status__in=["done", "signed_off"]).update(
        done_at=Subquery(last_done.values("at")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("audits", "0010_audit_judgements"),
        ("actions", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditaction",
            name="done_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(done_at_from_events, migrations.RunPython.noop),
    ]
