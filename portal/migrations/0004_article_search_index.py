"""Fill search_text for existing articles and, on PostgreSQL, index it for full-text lookup."""
from django.db import migrations

INDEX = "portal_article_search_gin"


def fill_and_index(apps, schema_editor):
    # The tokeniser is imported rather than copied: its output is data, recomputed on every save.
    from portal.search import index_text

    Article = apps.get_model("portal", "Article")
    for article in Article.objects.only("id", "title", "summary", "body").iterator(chunk_size=500):
        Article.objects.filter(pk=article.pk).update(
            search_text=index_text(title=article.title, summary=article.summary, body_html=article.body))
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON portal_article USING gin (to_tsvector('simple', search_text))")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("portal", "0003_article_search_text")]

    operations = [migrations.RunPython(fill_and_index, drop_index)]
