"""Browser tests' database: the rows data migrations made, put back around a live-server test."""

from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections


def reload_migration_data(django_db_blocker):
    """Empty every table and reload the rows the migrations made (facility types, the criteria catalogue...).

    Other apps' transactional tests end with a plain flush, which empties those tables and makes new
    content types; this puts the database back as migrated, whatever ran before. The serialized copy
    exists when some test of the run asked for serialized rollback (the compliance tests do); alone,
    this module runs on a freshly migrated database and needs no reload.
    """
    database = connections[DEFAULT_DB_ALIAS]
    if not hasattr(database, "_test_serialized_contents"):
        return
    with django_db_blocker.unblock():
        call_command("flush", verbosity=0, interactive=False, inhibit_post_migrate=True, allow_cascade=True)
        database.creation.deserialize_db_from_string(database._test_serialized_contents)
