"""What can be exported: for each kind, who may ask, how many rows it covers and how to write it.

Views, the background task and the management command all go through these entries,
so an export built in the background is the same file as one streamed directly.
Parameters are plain data (the page's query string, an as-of date), never objects.
"""

import datetime
import functools
from collections.abc import Callable
from dataclasses import dataclass

from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from . import lists, provincial, selectors
from .streaming import streamed_reads


@dataclass(frozen=True)
class ExportKind:
    key: str
    label: str
    filename: str  # without the date and extension; ASCII so every browser keeps it
    count: Callable[[object, dict], int]  # the rows (facilities or reports) the file will hold
    write: Callable[..., int]  # (user, parameters, target, progress) -> rows written
    allowed: Callable[[object], bool] = lambda user: True
    reads_snapshots: bool = False  # a past date is read from that day's compliance snapshots

    def download_name(self, parameters: dict) -> str:
        return f"{self.filename}-{as_of(parameters):%Y-%m-%d}.xlsx"


def as_of(parameters: dict) -> datetime.date:
    value = parameters.get("as_of")
    return datetime.date.fromisoformat(value) if value else timezone.localdate()


def query(parameters: dict) -> QueryDict:
    return QueryDict(parameters.get("query", ""))


def _facility_list_count(user, parameters: dict) -> int:
    rows, _ = selectors.facility_list(user, query(parameters), as_of(parameters))
    return rows.count()


def vietnamese(write):
    """Workbooks are documents for the People's Committee: Vietnamese whatever the UI language."""

    @functools.wraps(write)
    def wrapper(*args, **kwargs):
        with override("vi"):
            return write(*args, **kwargs)

    return wrapper


@vietnamese
def _facility_list_write(user, parameters: dict, target, progress=None) -> int:
    rows, filters = selectors.facility_list(user, query(parameters), as_of(parameters))
    return lists.write_list(
        lists.FACILITY_LIST,
        rows.iterator(chunk_size=2000),
        target,
        as_of=as_of(parameters),
        filters=filters,
        progress=progress,
    )


FACILITY_LIST = ExportKind(
    key="facility_list",
    label=_("Facility list"),
    filename="danh-sach-co-so",
    count=_facility_list_count,
    write=_facility_list_write,
    reads_snapshots=True,
)


def _report_list_count(user, parameters: dict) -> int:
    rows, _ = selectors.report_list(user, query(parameters))
    return rows.count()


@vietnamese
def _report_list_write(user, parameters: dict, target, progress=None) -> int:
    rows, filters = selectors.report_list(user, query(parameters))
    return lists.write_list(
        lists.REPORT_LIST,
        rows.iterator(chunk_size=2000),
        target,
        as_of=as_of(parameters),
        filters=filters,
        progress=progress,
    )


REPORT_LIST = ExportKind(
    key="report_list",
    label=_("Monthly reports"),
    filename="bao-cao-thang",
    count=_report_list_count,
    write=_report_list_write,
)


def _review_queue_count(user, parameters: dict) -> int:
    items, _ = selectors.review_queue(user, query(parameters))
    return len(items)


@vietnamese
def _review_queue_write(user, parameters: dict, target, progress=None) -> int:
    items, filters = selectors.review_queue(user, query(parameters))
    return lists.write_list(
        lists.REVIEW_QUEUE, items, target, as_of=as_of(parameters), filters=filters, progress=progress
    )


REVIEW_QUEUE = ExportKind(
    key="review_queue",
    label=_("Review queue"),
    filename="ho-so-cho-tham-dinh",
    count=_review_queue_count,
    write=_review_queue_write,
    allowed=lambda user: user.is_officer,
)


def _provincial_count(user, parameters: dict) -> int:
    facilities, _, _ = selectors.province_scope(user, query(parameters))
    return facilities.count()


@vietnamese
def _provincial_write(user, parameters: dict, target, progress=None) -> int:
    facilities, filters, cells = selectors.province_scope(user, query(parameters))
    data = selectors.provincial_report(as_of(parameters), facilities, filters, cells)
    with streamed_reads(writes=progress is not None):
        return provincial.write_provincial_report(target, data, progress)


PROVINCIAL = ExportKind(
    key="provincial",
    label=_("Provincial EMR rollout report"),
    filename="bao-cao-tien-do-hsba-dien-tu",
    count=_provincial_count,
    write=_provincial_write,
    reads_snapshots=True,
    allowed=lambda user: user.sees_all_facilities,
)

KINDS = {kind.key: kind for kind in (FACILITY_LIST, REPORT_LIST, REVIEW_QUEUE, PROVINCIAL)}
