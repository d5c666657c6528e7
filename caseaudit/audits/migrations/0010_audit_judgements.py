"""Each audit past Stage 1 keeps its limiting judgements by meaning (CONTRACTS §11), as
`audit_submit` now freezes them; audits submitted before are filled from their answers, by the
rule of caseaudit/audits/judgements.py ("no" if any No, else "yes" if any Yes, else "na")."""

from collections import defaultdict

from django.db import migrations, models

AFTER_STAGE1 = ("submitted", "head_of_qa_review", "moderation", "panel", "final")


def judgements_from_answers(apps, schema_editor):
    Audit = apps.get_model("audits", "Audit")
    Question = apps.get_model("templates_library", "Question")
    ResponseAnswer = apps.get_model("questionnaires", "ResponseAnswer")
    asked: dict[int, dict[str, str]] = defaultdict(dict)
    for template_id, ref, meaning in (
        Question.objects.filter(limiting=True).exclude(judgement="").values_list("template_id", "ref", "judgement")
    ):
        asked[template_id][ref] = meaning
    audits = Audit.objects.filter(status__in=AFTER_STAGE1).select_related("response")
    for audit in audits.iterator(chunk_size=500):
        refs = asked.get(audit.response.template_version_id, {})
        given: dict[str, set[str]] = defaultdict(set)
        for ref, value in ResponseAnswer.objects.filter(
            response_id=audit.response_id, question_ref__in=refs
        ).values_list("question_ref", "value"):
            given[refs[ref]].add(value)
        found = {}
        for meaning, values in given.items():
            for value in ("no", "yes", "na"):
                if value in values:
                    found[meaning] = value
                    break
        if found:
            Audit.objects.filter(pk=audit.pk).update(judgements=found)


class Migration(migrations.Migration):
    dependencies = [
        ("audits", "0009_action_lifecycle"),
        ("questionnaires", "0001_initial"),
        ("templates_library", "0002_question_judgement"),
    ]

    operations = [
        migrations.AddField(
            model_name="audit",
            name="judgements",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.RunPython(judgements_from_answers, migrations.RunPython.noop),
    ]
