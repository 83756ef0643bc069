"""A trigram index on the folded search text, so a search never scans every facility (PostgreSQL only).

`FacilityQuerySet.search()` filters on `search_text LIKE '%word%'`, which a B-tree cannot serve: at
national scale (60,000 facilities) every search read the whole table. pg_trgm's GIN index serves
LIKE with a leading wildcard. pg_trgm is a trusted extension (PostgreSQL 13+): the database's owner
may create it; where it cannot be created, the search keeps working without the index.
"""

from django.db import migrations, models

INDEX = "facility_search_trgm_idx"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SAVEPOINT trgm")
        try:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except Exception as exc:  # no privilege: keep the sequential search
            cursor.execute("ROLLBACK TO SAVEPOINT trgm")
            print(f"\n  pg_trgm unavailable ({exc.__class__.__name__}); facility search stays unindexed.")
            return
        cursor.execute("RELEASE SAVEPOINT trgm")
        cursor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON facilities_facility USING gin (search_text gin_trgm_ops)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("facilities", "0002_facility_types"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index),
        migrations.AddIndex(
            model_name="facility",
            index=models.Index(fields=["updated_at"], name="facility_updated_idx"),
        ),
    ]
