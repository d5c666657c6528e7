# The audit discussion (SEL-7) moved here from the allocation app (issue 9 A3). Its table already
# exists (allocation's 0001 made it), so this migration only adds the model to this app's state;
# allocation's 0003 then takes it out of allocation's state, and 0007 here renames the table.
# Nothing is copied, so no row is lost.

import uuid

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor):
    """Permissions and admin history follow the model to its new app."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="audits", model="discussion").exists():
        ContentType.objects.filter(app_label="allocation", model="discussion").update(app_label="audits")


def move_content_type_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="allocation", model="discussion").exists():
        ContentType.objects.filter(app_label="audits", model="discussion").update(app_label="allocation")


class Migration(migrations.Migration):
    dependencies = [
        ("audits", "0005_audit_content_in_responses"),
        ("allocation", "0002_accessrequest_moved_to_access"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Discussion",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("uid", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                        (
                            "sequence",
                            models.PositiveIntegerField(default=0, help_text="Raised on every change (RFC 5545)."),
                        ),
                        ("starts_at", models.DateTimeField()),
                        ("duration_minutes", models.PositiveSmallIntegerField(default=60)),
                        ("location", models.CharField(blank=True, max_length=300)),
                        ("online_link", models.URLField(blank=True)),
                        ("cancelled", models.BooleanField(default=False)),
                        ("updated_at", models.DateTimeField(default=django.utils.timezone.now)),
                        (
                            "audit",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="discussion",
                                to="audits.audit",
                            ),
                        ),
                        (
                            "updated_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={"db_table": "allocation_discussion"},
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
