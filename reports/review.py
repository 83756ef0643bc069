"""What the review page shows beside each value: the previous approved month, and a flag on values far
outside the facility's own history (the idea of DHIS2's min–max and outlier checks).

The rule, as the README states it: a number of this month is flagged when the facility has at least
three approved months among the twelve before this one and the number lies more than three
"spreads" from their mean, the spread being the standard deviation of those months but at least a
tenth of their mean and at least 1. So a station whose inpatient records ran 180–220 a month is
flagged at 2,000 (a typo) but not at 260; a facility with too short a history is never flagged.
"""

import statistics
from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from .display import display
from .forms import SECTIONS
from .models import MonthlyReport

HISTORY_MONTHS = 12
MIN_HISTORY = 3
SPREADS = 3
# The numbers a facility types each month (counts, shares, money): the ones the rule applies to.
MEASURED = [
    "departments_total",
    "departments_live",
    "inpatient_records",
    "inpatient_electronic",
    "outpatient_visits",
    "outpatient_electronic",
    "signers_total",
    "signers_with_certificate",
    "signed_share",
    "bhxh_on_time_share",
    "staff_total",
    "staff_trained",
    "spending_to_date",
]


@dataclass
class ReviewRow:
    name: str
    label: str
    value: str
    previous: str | None  # None when there is no previous approved month
    changed: bool
    outlier: str  # why the value is flagged, or ""


def usual_range(history: list) -> tuple[float, float] | None:
    """The band a value is expected in, from the facility's approved months (see the module's rule)."""
    values = [float(v) for v in history if v is not None]
    if len(values) < MIN_HISTORY:
        return None
    mean = statistics.fmean(values)
    spread = max(statistics.pstdev(values), abs(mean) / 10, 1.0)
    return max(mean - SPREADS * spread, 0.0), mean + SPREADS * spread


def _number(value: float) -> str:
    return number_format(Decimal(round(value)), force_grouping=True)


def review_sections(report: MonthlyReport) -> tuple[MonthlyReport | None, list[tuple[str, list[ReviewRow]]]]:
    """The previous approved report and the form's sections, each value with its comparison (one query)."""
    history = list(
        MonthlyReport.objects.approved()
        .filter(facility_id=report.facility_id, period__lt=report.period)
        .order_by("-period")[:HISTORY_MONTHS]
    )
    previous = history[0] if history else None
    sections = []
    for title, names in SECTIONS:
        rows = []
        for name in names:
            value = getattr(report, name)
            old = getattr(previous, name) if previous else None
            outlier = ""
            if name in MEASURED and value is not None:
                band = usual_range([getattr(h, name) for h in history])
                if band and not band[0] <= float(value) <= band[1]:
                    outlier = _("Far outside this facility's approved months (expected about %(low)s–%(high)s).") % {
                        "low": _number(band[0]),
                        "high": _number(band[1]),
                    }
            rows.append(
                ReviewRow(
                    name=name,
                    label=str(MonthlyReport._meta.get_field(name).verbose_name),
                    value=display(name, value),
                    previous=display(name, old) if previous else None,
                    changed=previous is not None and value != old,
                    outlier=outlier,
                )
            )
        sections.append((title, rows))
    return previous, sections
