"""Rows stream from the database inside a transaction, unless the caller writes on that database as it goes."""

from django.db import connection

from exports.streaming import streamed_reads


def test_rows_stream_in_a_transaction_unless_a_progress_counter_is_written_beside_them(committed_db):
    assert not connection.in_atomic_block
    with streamed_reads(writes=False):
        assert connection.in_atomic_block  # the cursors need not outlive it: PostgreSQL streams their rows
    with streamed_reads(writes=True):
        assert not connection.in_atomic_block  # each progress update commits, and the download page shows it
