"""Memoised dashboard blocks, kept until the rows they were computed from change.

At national scale a block of the dashboard may read hundreds of thousands of rows (a year of
snapshots, six months of reports) that almost never change: past days' snapshots are rewritten only
by a backfill, past months' reports only by a late submission or review. Such a block is kept in the
cache under a key made of the facilities in scope (their SQL) and *versions*: the latest write time of
the rows it reads, each found by one index probe. Any write to those rows changes a version, so the
block is computed again on the next view; nothing waits for an expiry to be right.

Writes that leave no newer time behind (a deletion) are caught by the expiry, an hour at most.
"""

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import connections
from django.db.models import QuerySet

T = TypeVar("T")
TIMEOUT = 3600


def versions(**latest: QuerySet) -> dict[str, object]:
    """The latest value of each single-column queryset (`name=Model.objects.filter(...).values("updated_at")`),
    all in one query: one scalar subquery each, served by an index on that column.

    Read from the database the blocks are read from (the replica on a replica-reading page, core.replica):
    a version newer than the rows a block was computed from would keep that block stale until the next write.
    """
    names = list(latest)
    parts, params = [], []
    for name in names:
        qs = latest[name]
        (column,) = qs.query.values_select
        sql, part_params = qs.order_by(f"-{column}")[:1].query.sql_with_params()
        parts.append(f"({sql})")
        params.extend(part_params)
    with connections[latest[names[0]].db].cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}", params)
        row = cursor.fetchone()
    return dict(zip(names, row, strict=True))


def memoized(name: str, facilities: QuerySet, version: list, compute: Callable[[], T]) -> T:
    """The block `name` for these facilities, from the cache while `version` is unchanged, else computed."""
    sql, params = facilities.values("pk").query.sql_with_params()
    digest = hashlib.sha256(repr((name, sql, params, version)).encode()).hexdigest()
    key = f"dashboard:{digest}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT)
    return value
