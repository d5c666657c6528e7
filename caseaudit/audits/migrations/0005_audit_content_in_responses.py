"""Issue 9 A1, step 3 of 3: the audit's content now lives in its response (step 2 copied it):
the response is required, and the audit's own copies of it go."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("audits", "0004_copy_audit_content_to_responses"),
    ]

    operations = [
        migrations.AlterField(
            model_name="audit",
            name="response",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="audit",
                to="questionnaires.response",
            ),
        ),
        migrations.RemoveField(model_name="audit", name="template_version"),
        migrations.RemoveField(model_name="audit", name="version"),
        migrations.RemoveField(model_name="audit", name="saved_by_client"),
        migrations.RemoveField(model_name="audit", name="overall_grade"),
        migrations.RemoveField(model_name="audit", name="overall_override_reason"),
        migrations.DeleteModel(name="AuditAnswer"),
        migrations.DeleteModel(name="AuditSection"),
    ]
