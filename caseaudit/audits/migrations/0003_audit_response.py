"""Issue 9 A1, step 1 of 3: each audit gets a questionnaire response (nullable until step 2 fills
it). The template version becomes nullable here, before step 3 removes it, so that going back
can add it again and fill it before it is required once more."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("audits", "0002_audit_saved_by_client"),
        ("questionnaires", "0001_initial"),
        ("templates_library", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="audit",
            name="template_version",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="audits",
                to="templates_library.templateversion",
            ),
        ),
        migrations.AddField(
            model_name="audit",
            name="response",
            field=models.OneToOneField(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="audit",
                to="questionnaires.response",
            ),
        ),
    ]
