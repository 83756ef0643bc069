"""A fast reload of the rows data migrations made (facility types, the criteria catalogue, permissions...).

Each transactional test (live server, worker, replica) reloads them when it starts (serialized rollback),
empties every table when it ends, and reloads them again for the tests that follow. Django does the reload
with one ORM save per row (an UPDATE, then an INSERT; about a second) and the emptying with a TRUNCATE of
every table (new files for each; seconds more). For the test database only, `install` makes both cheap
with the same effect: the migrated rows are copied once into a schema of their own and put back with one
INSERT ... SELECT per table (rows with other keys stay, as with Django's reload), and the tables are
emptied with DELETE in one transaction, the foreign keys checked at its end.
"""

from django.apps import apps

SCHEMA = "test_migration_data"


def install(connection) -> None:
    """Copy the migrated rows aside and replace the test database's reload and flush by the fast ones."""
    tables = _tables_with_rows(connection)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE; CREATE SCHEMA {SCHEMA}")
        for table in tables:
            cursor.execute(f"CREATE TABLE {SCHEMA}.{_q(table)} AS TABLE public.{_q(table)}")
    original_flush = connection.ops.sql_flush

    def reload(data: str) -> None:  # the serialized copy `data` is the same rows, read from the schema instead
        from django.db import transaction

        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            for table, pk in tables.items():
                cursor.execute(
                    f"DELETE FROM public.{_q(table)} WHERE {_q(pk)} IN (SELECT {_q(pk)} FROM {SCHEMA}.{_q(table)});"
                    f"INSERT INTO public.{_q(table)} SELECT * FROM {SCHEMA}.{_q(table)}"
                )

    def flush(style, tables, *, reset_sequences=False, allow_cascade=False) -> list[str]:
        if reset_sequences:
            return original_flush(style, tables, reset_sequences=True, allow_cascade=allow_cascade)
        return ["SET CONSTRAINTS ALL DEFERRED", *(f"DELETE FROM {_q(table)}" for table in tables)]

    connection.creation.deserialize_db_from_string = reload
    connection.ops.sql_flush = flush


def _tables_with_rows(connection) -> dict[str, str]:
    """Each model table holding rows after the migrations, with its primary key column."""
    tables = {}
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            table = model._meta.db_table
            if model._meta.managed and not model._meta.proxy and table not in tables:
                cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {_q(table)})")
                if cursor.fetchone()[0]:
                    tables[table] = model._meta.pk.column
    return tables


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
