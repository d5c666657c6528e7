# Issue 15: staff already in the database when Staff.created_by_import arrived.

from django.db import migrations


def mark_imported_staff(apps, schema_editor):
    """Wherever a register has been imported, the staff already there came from imports (the
    importer was the only way in apart from the admin, and the two cannot be told apart now);
    where none ever was, they were added by hand and stay unmarked."""
    RegisterImport = apps.get_model("cases", "RegisterImport")
    Staff = apps.get_model("org", "Staff")
    if RegisterImport.objects.filter(ok=True).exists():
        Staff.objects.update(created_by_import=True)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0001_initial"),
        ("org", "0002_staff_created_by_import"),
    ]

    operations = [
        migrations.RunPython(mark_imported_staff, migrations.RunPython.noop),
    ]
