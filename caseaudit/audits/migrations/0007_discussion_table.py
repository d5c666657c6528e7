# The moved Discussion's table takes the audits app's name: allocation_discussion becomes
# audits_discussion (a rename: its rows, keys and indexes stay).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("audits", "0006_discussion_moved_from_allocation"),
        ("allocation", "0003_discussion_moved_to_audits"),
    ]

    operations = [
        migrations.AlterModelTable(name="discussion", table=None),
    ]
