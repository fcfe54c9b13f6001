"""On PostgreSQL, a trigram index on the member's name serves the result registry's
"name contains" search (UPPER(name) LIKE '%…%') as an index lookup instead of a scan of
every institution. pg_trgm ships with PostgreSQL; SQLite needs nothing."""
from django.db import migrations

INDEX = "membership_member_name_trgm"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON membership_member USING gin (UPPER(name) gin_trgm_ops)")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("membership", "0002_export_permission")]
    operations = [migrations.RunPython(create, drop)]
