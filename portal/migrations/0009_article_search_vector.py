"""On PostgreSQL, the article's search vector is stored (a generated column) and indexed, instead
of computed from search_text by the index expression. A search can then test an article's
vector without computing it, so walking the newest articles first costs little (portal.search)."""
from django.db import migrations

OLD_INDEX = "portal_article_search_gin"
INDEX = "portal_article_search_vector_gin"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("ALTER TABLE portal_article ADD COLUMN IF NOT EXISTS search_vector tsvector "
                          "GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED")
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON portal_article USING gin (search_vector)")
    schema_editor.execute(f"DROP INDEX IF EXISTS {OLD_INDEX}")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {OLD_INDEX} ON portal_article USING gin (to_tsvector('simple', search_text))")
    schema_editor.execute("ALTER TABLE portal_article DROP COLUMN IF EXISTS search_vector")


class Migration(migrations.Migration):
    dependencies = [("portal", "0008_alter_menuitem_page")]

    operations = [migrations.RunPython(forwards, backwards)]
