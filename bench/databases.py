"""The benchmark's own databases (emr_bench_<N>, emr_bench_load), on the configured PostgreSQL server."""

from django.db import connection


def _admin():
    import psycopg2

    s = connection.settings_dict
    admin = psycopg2.connect(
        dbname="postgres", user=s["USER"], password=s["PASSWORD"], host=s["HOST"], port=s["PORT"] or 5432
    )
    admin.autocommit = True
    return admin


def create_database(name: str) -> bool:
    """Create the database unless it exists; True when it was created."""
    admin = _admin()
    try:
        with admin.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone():
                return False
            cursor.execute(f"CREATE DATABASE {connection.ops.quote_name(name)}")
            return True
    finally:
        admin.close()


def drop_database(name: str) -> None:
    admin = _admin()
    try:
        with admin.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(name)} WITH (FORCE)")
    finally:
        admin.close()
