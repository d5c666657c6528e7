# The audit discussion moved to the audits app (issue 9 A3): taken out of this app's state only.
# The table stays where it is until audits' 0007 renames it; no row is touched.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("allocation", "0002_accessrequest_moved_to_access"),
        ("audits", "0006_discussion_moved_from_allocation"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Discussion")],
            database_operations=[],
        ),
    ]
