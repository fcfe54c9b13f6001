"""The demo's rows, kept per test process: the first module that uses the demo seeds it and
copies every table; later modules put the copy back inside their own transaction (a second
or so) instead of seeding again. The copy is of the tables themselves, value for value, so
timestamps the demo set stay as they were (no save(), no auto_now, no signals), and the
stored files are those the seeding wrote into this process's media folder."""
from dataclasses import dataclass

from django.db import connection


@dataclass(frozen=True)
class Table:
    name: str
    columns: list[str]
    pk: str
    rows: list[tuple]


def take() -> list[Table]:
    tables = []
    with connection.cursor() as cursor:
        for name in connection.introspection.django_table_names(only_existing=True, include_views=False):
            pk = connection.introspection.get_primary_key_column(cursor, name)
            if pk is None:
                continue
            columns = [column.name for column in connection.introspection.get_table_description(cursor, name)
                       if column.name not in _generated(cursor, name)]
            cursor.execute(f"SELECT {', '.join(map(connection.ops.quote_name, columns))} "
                           f"FROM {connection.ops.quote_name(name)}")
            # JSON columns come back as their text (Django decodes JSON itself) and go back so.
            tables.append(Table(name, columns, pk, cursor.fetchall()))
    return tables


def _generated(cursor, table: str) -> set[str]:
    """Columns the database computes (the articles' stored search vector): never written."""
    if connection.vendor != "postgresql":
        return set()
    cursor.execute("SELECT column_name FROM information_schema.columns WHERE table_name = %s "
                   "AND is_generated = 'ALWAYS'", [table])
    return {name for (name,) in cursor.fetchall()}


def put_back(tables: list[Table]) -> None:
    """Make every table hold exactly the copied rows (inside the caller's transaction; the
    foreign keys are deferred to its end, so the order of tables does not matter)."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in tables:
            name, pk = quote(table.name), quote(table.pk)
            # What the table holds now is what the migrations put there: a few rows at most.
            cursor.execute(f"SELECT {pk} FROM {name}")
            kept = {row[table.columns.index(table.pk)] for row in table.rows}
            gone = [key for (key,) in cursor.fetchall() if key not in kept]
            if gone:
                cursor.execute(f"DELETE FROM {name} WHERE {pk} IN ({', '.join(['%s'] * len(gone))})", gone)
            if not table.rows:
                continue
            columns = ", ".join(quote(column) for column in table.columns)
            updates = ", ".join(f"{quote(c)} = EXCLUDED.{quote(c)}" for c in table.columns if c != table.pk)
            conflict = f"DO UPDATE SET {updates}" if updates else "DO NOTHING"
            cursor.executemany(
                f"INSERT INTO {name} ({columns}) VALUES ({', '.join(['%s'] * len(table.columns))}) "
                f"ON CONFLICT ({pk}) {conflict}", table.rows)

