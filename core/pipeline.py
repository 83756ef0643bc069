"""Two cores for one long job: the next batch is produced on this thread while a second thread consumes the last.

The producer reads the database and composes values; the consumer writes (to the database on the same
connection, or to a workbook). One batch in flight at a time, so memory stays at two batches, and the two
threads never use the same object at once: whatever the consumer touches, this thread leaves alone until
the consumer is done with it (leaving `alongside`, an error included, waits for it).
"""

from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from itertools import islice
from typing import TypeVar

T = TypeVar("T")


def alongside(consume: Callable[[T], object], batches: Iterable[T]) -> None:
    """Call `consume(batch)` on a second thread for each batch, while this thread produces the next one."""
    with ThreadPoolExecutor(max_workers=1) as consumer:
        pending = None
        for batch in batches:
            if pending is not None:
                pending.result()
            pending = consumer.submit(consume, batch)
        if pending is not None:
            pending.result()


def chunked(items: Iterable[T], size: int) -> Iterable[list[T]]:
    """The items as lists of `size` (the last one shorter)."""
    items = iter(items)
    while chunk := list(islice(items, size)):
        yield chunk
