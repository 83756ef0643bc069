"""What a facility user types into the monthly report form, as POST data (the benchmark and the load test).

The values start from the facility's last approved report, as the form itself offers them, so
every submission passes the form's rules (no drop in departments, no stage moving back).
"""

import datetime
from decimal import Decimal

from reports.forms import REPORT_FIELDS
from reports.models import MonthlyReport, carried_over_values


def form_value(value) -> str | None:
    """The text a browser sends for `value` (None: a checkbox left unticked, sent as nothing)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "on" if value else None
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def report_post_data(values: dict, *, period: datetime.date, version: int | None = None) -> dict[str, str]:
    """POST data of the report form: `values` by model field name (others empty), the month, the version."""
    data = {"period": period.strftime("%m/%Y"), "version": "" if version is None else str(version)}
    for name in REPORT_FIELDS:
        text = form_value(values.get(name))
        if text is not None:
            data[name] = text
    return data


def new_report_values(facility) -> dict:
    """The carried-over values of the facility's last approved report, or a not-started report."""
    values = carried_over_values(MonthlyReport.objects.last_approved(facility))
    if not values:
        values = {name: getattr(MonthlyReport(), name) for name in REPORT_FIELDS}
    return values


def attestation(facility, version: int | None = None) -> dict[str, str]:
    """The submit form's data; `version` is the report's version the page showed (its hidden field)."""
    data = {"attested_by_name": facility.head_name or "Trưởng trạm", "confirm": "on"}
    if version is not None:
        data["version"] = str(version)
    return data
