"""Limiting judgements say what they mean (CONTRACTS §11). Questions of versions loaded before
the key existed take it from their ref, as the shipped templates name them."""

from django.db import migrations, models

MEANINGS = ("child_seen_alone", "child_seen", "child_voice")


def meanings_from_refs(apps, schema_editor):
    Question = apps.get_model("templates_library", "Question")
    for question in Question.objects.filter(limiting=True, judgement=""):
        last = question.ref.rsplit(".", 1)[-1]
        if last in MEANINGS:
            question.judgement = last
            question.save(update_fields=["judgement"])


class Migration(migrations.Migration):
    dependencies = [
        ("templates_library", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="question",
            name="judgement",
            field=models.CharField(
                blank=True,
                choices=[
                    ("child_seen", "Child seen"),
                    ("child_seen_alone", "Child seen alone"),
                    ("child_voice", "Child's voice"),
                ],
                max_length=32,
            ),
        ),
        migrations.RunPython(meanings_from_refs, migrations.RunPython.noop),
    ]
