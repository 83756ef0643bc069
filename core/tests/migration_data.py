"""A fast reload of the rows data migrations made (facility types, the criteria catalogue, permissions...).

Each transactional test (live server, worker, replica) reloads them when it starts (serialized rollback),
empties every table when it ends, and reloads them again for the tests that follow. Django does the reload
with one ORM save per row (an UPDATE, then an INSERT; about a second) and the emptying with a TRUNCATE of
every table (new files for each; seconds more). For the test database only, `install` makes both cheap
with the same effect: the migrated rows are copied once into a schema of their own and put back with one
INSERT ... SELECT per table (rows with other keys stay, as with Django's reload), and the tables are
emptied with DELETE in one transaction, the foreign keys checked at its end.
"""

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections

SCHEMA = "test_migration_data"


def install(connection) -> None:
    """Copy the migrated rows aside and replace the test database's reload and flush by the fast ones."""
    tables = _tables_with_rows(connection)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE; CREATE SCHEMA {SCHEMA}")
        for table in tables:
            cursor.execute(f"CREATE TABLE {SCHEMA}.{_q(table)} AS TABLE public.{_q(table)}")
    original_flush = connection.ops.sql_flush

    def fast_reload(data: str) -> None:  # the serialized copy `data` is the same rows, read from the schema instead
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

    connection.creation.deserialize_db_from_string = fast_reload
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


def reload(django_db_blocker) -> None:
    """Put back the rows the migrations made, after the flush that ends a transactional test."""
    database = connections[DEFAULT_DB_ALIAS]
    with django_db_blocker.unblock():
        database.creation.deserialize_db_from_string(database._test_serialized_contents)


def empty_and_reload(django_db_blocker) -> None:
    """Empty every table and reload the rows the migrations made (facility types, the criteria catalogue...).

    Other apps' transactional tests end with a plain flush, which empties those tables and makes new
    content types; this puts the database back as migrated, whatever ran before. The serialized copy
    exists when some test of the run asked for serialized rollback (the compliance tests do); alone,
    a module runs on a freshly migrated database and needs no reload.
    """
    database = connections[DEFAULT_DB_ALIAS]
    if not hasattr(database, "_test_serialized_contents"):
        return
    with django_db_blocker.unblock():
        call_command("flush", verbosity=0, interactive=False, inhibit_post_migrate=True, allow_cascade=True)
    reload(django_db_blocker)


@pytest.fixture(autouse=True)
def as_migrated(django_db_setup, django_db_blocker):
    """For a module of transactional tests to import: autouse there, so it is set up before the database
    fixtures and torn down after their final flush."""
    empty_and_reload(django_db_blocker)
    yield
    empty_and_reload(django_db_blocker)
