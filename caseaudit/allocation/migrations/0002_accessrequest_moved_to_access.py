# AccessRequest moved to the access app (issue 9 A3): taken out of this app's state only. The
# table stays where it is until access's 0002 renames it; no row is touched.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("access", "0001_initial"),
        ("allocation", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="AccessRequest")],
            database_operations=[],
        ),
    ]
