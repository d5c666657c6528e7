# Issue 15: only staff created by a register import are deactivated by a later import.
# Staff already in the database are marked by cases.0002 (the register import lives there).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="staff",
            name="created_by_import",
            field=models.BooleanField(
                default=False,
                help_text="Created by a register import: deactivated when a later staff import leaves them out.",
            ),
        ),
    ]
