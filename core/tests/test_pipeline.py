"""The producer and consumer threads of the long jobs (compliance run, large workbooks)."""

import threading

import pytest

from core.pipeline import alongside, chunked


def test_every_batch_is_consumed_in_order_on_one_other_thread():
    seen, threads = [], set()

    def consume(batch):
        threads.add(threading.get_ident())
        seen.append(batch)

    alongside(consume, chunked(range(7), 3))
    assert seen == [[0, 1, 2], [3, 4, 5], [6]]
    assert len(threads) == 1 and threading.get_ident() not in threads


def test_a_failing_consumer_stops_the_producer():
    produced = []

    def batches():
        for n in range(5):
            produced.append(n)
            yield n

    def consume(batch):
        if batch == 1:
            raise ValueError("write failed")

    with pytest.raises(ValueError):
        alongside(consume, batches())
    assert produced == [0, 1, 2]  # batch 2 was being produced while batch 1 failed; nothing after it
