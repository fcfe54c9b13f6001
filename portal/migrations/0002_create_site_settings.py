"""The single site-settings row exists from the start, so no public page ever writes it."""
from django.db import migrations


def create(apps, schema_editor):
    apps.get_model("portal", "SiteSettings").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
