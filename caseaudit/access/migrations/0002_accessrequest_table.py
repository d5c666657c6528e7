# The moved AccessRequest's table takes the access app's name: allocation_accessrequest becomes
# access_accessrequest (a rename: its rows, keys and indexes stay).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("access", "0001_initial"),
        ("allocation", "0002_accessrequest_moved_to_access"),
    ]

    operations = [
        migrations.AlterModelTable(name="accessrequest", table=None),
    ]
