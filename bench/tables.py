"""Fast table writes for the generator: PostgreSQL COPY, or plain executemany elsewhere (tiny SQLite datasets).

Rows are tuples in the order of the columns given (model attnames); ids are chosen by the
caller so foreign keys can be written without reading anything back. On PostgreSQL the rows
stream to COPY through a file-like object, so Python builds rows while the server ingests the
previous ones (two cores, both busy). Indexes and constraints stay in place throughout.
"""

import datetime
import io
import json
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.core.management.color import no_style
from django.db import connection, models

NULL = "\\N"
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _text(value: str) -> str:
    return value.translate(_ESCAPES)


_LISTS: dict[int, tuple[list, str]] = {}


def _json(value: list) -> str:
    """Lists of reasons (dicts) repeat: a snapshot row reuses the previous day's list object while the facility's
    facts do not change, so the text is kept by the list's identity (holding the list, so its id stays its own)."""
    hit = _LISTS.get(id(value))
    if hit is not None and hit[0] is value:
        return hit[1]
    if len(_LISTS) > 200_000:
        _LISTS.clear()
    text = _text(json.dumps(value))
    _LISTS[id(value)] = (value, text)
    return text


# COPY's text format, by exact Python type (bool before int: it is a subclass).
_FORMATS = {
    str: _text,
    int: str,
    bool: lambda v: "t" if v else "f",
    type(None): lambda v: NULL,
    Decimal: str,
    float: repr,
    datetime.date: datetime.date.isoformat,
    datetime.datetime: datetime.datetime.isoformat,
    list: _json,  # short lists of reasons, repeated millions of times
    dict: lambda v: _text(json.dumps(v)),
}


def _format(value) -> str:
    """Values of subclasses (text choices, enums) take their base type's format, found once per type."""
    for base in type(value).__mro__:
        if base in _FORMATS:
            _FORMATS[type(value)] = _FORMATS[base]
            return _FORMATS[base](value)
    raise TypeError(f"No COPY format for {type(value).__name__}: {value!r}")


def copy_line(row: tuple) -> str:
    try:
        return "\t".join([_FORMATS[type(value)](value) for value in row]) + "\n"
    except KeyError:
        return "\t".join([_format(value) for value in row]) + "\n"


class _RowStream(io.TextIOBase):
    """A read()-able view of an iterator of rows in COPY text format, produced on demand."""

    def __init__(self, rows: Iterator[tuple]):
        self.rows = rows
        self.count = 0
        self._buffer = ""

    def readable(self):
        return True

    def read(self, size=-1):
        parts, length = [self._buffer], len(self._buffer)
        for row in self.rows:
            line = copy_line(row)
            parts.append(line)
            length += len(line)
            self.count += 1
            if 0 < size <= length:
                break
        data = "".join(parts)
        if size > 0:
            data, self._buffer = data[:size], data[size:]
        else:
            self._buffer = ""
        return data

    readline = read


def columns_of(model: type[models.Model], attnames: list[str]) -> list[models.Field]:
    """The model's fields for `attnames`; refuses to leave out a NOT NULL column (a model changed)."""
    fields = {f.attname: f for f in model._meta.concrete_fields}
    unknown = [name for name in attnames if name not in fields]
    # The primary key may be left to the database (a sequence / identity) when nothing refers to the row.
    missing = [name for name, f in fields.items() if not (f.null or f.primary_key) and name not in attnames]
    if unknown or missing:
        raise RuntimeError(
            f"{model._meta.label} changed: the generator writes unknown columns {unknown} and misses "
            f"required ones {missing}; adapt bench/generate.py."
        )
    return [fields[name] for name in attnames]


def write_rows(model: type[models.Model], attnames: list[str], rows: Iterable[tuple], *, freeze: bool = False) -> int:
    """Insert `rows` (tuples in `attnames` order) into the model's table; returns the count.

    `freeze` (PostgreSQL, only for a table truncated in the current transaction) writes the rows
    already frozen and all-visible, as a VACUUM FREEZE would leave them: no vacuum pass afterwards.
    """
    fields = columns_of(model, attnames)
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    column_list = ", ".join(qn(f.column) for f in fields)
    with connection.cursor() as cursor:
        raw = cursor.cursor
        if connection.vendor == "postgresql" and hasattr(raw, "copy_expert"):
            stream = _RowStream(iter(rows))
            options = " WITH (FREEZE)" if freeze else ""
            raw.copy_expert(f"COPY {table} ({column_list}) FROM STDIN{options}", stream, size=1 << 16)
            return stream.count
        # Elsewhere (SQLite, tiny sizes only): adapt each value like the ORM does.
        sql = f"INSERT INTO {table} ({column_list}) VALUES ({', '.join(['%s'] * len(fields))})"
        count = 0
        batch = []
        for row in rows:
            batch.append([f.get_db_prep_save(v, connection) for f, v in zip(fields, row, strict=True)])
            if len(batch) >= 1000:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
        return count


def reset_sequences(model_list: list[type[models.Model]]) -> None:
    """After writing explicit ids, the next ORM insert must not reuse one (PostgreSQL sequences)."""
    statements = connection.ops.sequence_reset_sql(no_style(), model_list)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def wipe(model_list: list[type[models.Model]], extra_tables: list[str] = ()) -> None:
    """Empty the tables (identity restarted on PostgreSQL). Only for databases proven synthetic."""
    tables = [m._meta.db_table for m in model_list] + list(extra_tables)
    qn = connection.ops.quote_name
    existing = set(connection.introspection.table_names())
    tables = [t for t in tables if t in existing]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Rows written earlier in this transaction (a test's) leave deferred checks that block TRUNCATE.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"TRUNCATE {', '.join(qn(t) for t in tables)} RESTART IDENTITY CASCADE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        else:
            for table in tables:
                cursor.execute(f"DELETE FROM {qn(table)}")


class foreign_keys_set_aside:
    """Drop the tables' foreign keys for a bulk load and add them back (PostgreSQL; elsewhere a no-op).

    Django's foreign keys are deferred: checked one row at a time at commit, which for millions
    of rows costs more than the load itself. Adding a constraint back validates the whole table in
    one set-based query instead (PostgreSQL's "Populating a Database" advice); a row that breaks
    it still fails the transaction.
    """

    def __init__(self, table_names: list[str]):
        self.table_names = table_names
        self.constraints: list[tuple[str, str, str]] = []

    def __enter__(self):
        if connection.vendor != "postgresql":
            return self
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c "
                "WHERE c.contype = 'f' AND c.conrelid::regclass::text = ANY(%s)",
                [self.table_names],
            )
            self.constraints = cursor.fetchall()
            for table, name, _definition in self.constraints:
                cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {connection.ops.quote_name(name)}")
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None or not self.constraints:
            return False
        with connection.cursor() as cursor:
            for table, name, definition in self.constraints:
                cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {connection.ops.quote_name(name)} {definition}")
        return False
