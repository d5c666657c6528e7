# AccessRequest moved here from the allocation app (issue 9 A3). Its table already exists
# (allocation's 0001 made it), so this migration only adds the model to the access app's state;
# allocation's 0002 then takes it out of allocation's state, and 0002 here renames the table.
# Nothing is copied, so no row is lost.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor):
    """Permissions and admin history follow the model to its new app."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="access", model="accessrequest").exists():
        ContentType.objects.filter(app_label="allocation", model="accessrequest").update(app_label="access")


def move_content_type_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="allocation", model="accessrequest").exists():
        ContentType.objects.filter(app_label="access", model="accessrequest").update(app_label="allocation")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("allocation", "0001_initial"),
        ("cases", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("org", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="AccessRequest",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("reason", models.TextField()),
                        ("status", models.CharField(choices=[("pending", "Waiting for a decision"), ("granted", "Granted"), ("refused", "Refused")], default="pending", max_length=16)),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("decided_at", models.DateTimeField(blank=True, null=True)),
                        ("decision_reason", models.TextField(blank=True)),
                        ("approver", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="access_requests_to_decide", to="org.staff")),
                        ("case", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="access_requests", to="cases.case")),
                        ("decided_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL)),
                        ("requester", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="access_requests", to="org.staff")),
                    ],
                    options={
                        "ordering": ["-created_at", "-id"],
                        "db_table": "allocation_accessrequest",
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
