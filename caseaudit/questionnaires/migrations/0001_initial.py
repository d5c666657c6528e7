import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("templates_library", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Response",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "version",
                    models.PositiveIntegerField(
                        default=1,
                        help_text="Raised on every save that changes something; stale saves are refused.",
                    ),
                ),
                ("saved_by_client", models.CharField(blank=True, max_length=48)),
                ("overall_grade", models.CharField(blank=True, max_length=40)),
                ("overall_override_reason", models.TextField(blank=True)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("updated_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "template_version",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="responses",
                        to="templates_library.templateversion",
                    ),
                ),
            ],
        ),
        migrations.CreateModel(
            name="ResponseAnswer",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("question_ref", models.CharField(max_length=127)),
                ("value", models.TextField(blank=True)),
                ("reason", models.TextField(blank=True, help_text="Why NA, where the question asks for a reason.")),
                ("updated_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "response",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="answers",
                        to="questionnaires.response",
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
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("response", "question_ref"), name="unique_response_answer")
                ],
            },
        ),
        migrations.CreateModel(
            name="ResponseSection",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("section_ref", models.SlugField(max_length=63)),
                ("grade", models.CharField(blank=True, max_length=40)),
                ("comments", models.TextField(blank=True)),
                (
                    "completed",
                    models.BooleanField(default=False, help_text="The person marked the section as done."),
                ),
                ("updated_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "response",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="sections",
                        to="questionnaires.response",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("response", "section_ref"), name="unique_response_section")
                ],
            },
        ),
    ]
