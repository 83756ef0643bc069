"""Demo compliance: today's status for every facility and a daily snapshot since 1 January 2026.

Called last by `seed_demo`, once the demo reports and assessments exist. Each day is one
set-based engine run (a fixed number of queries), so the year of snapshots takes seconds;
only the run for today replaces the facilities' current compliance. Rerunning replaces the
same days' snapshots, never duplicates them.
"""

import datetime
import time

from django.utils import timezone

from compliance.engine import compute_compliance

SNAPSHOTS_FROM = datetime.date(2026, 1, 1)


def build(stdout=None, *, today: datetime.date | None = None) -> dict:
    today = today or timezone.localdate()
    started = time.monotonic()
    day, days = min(SNAPSHOTS_FROM, today), 0
    while day <= today:
        counts = compute_compliance(day)
        day += datetime.timedelta(days=1)
        days += 1
    seconds = time.monotonic() - started
    if stdout is not None:
        summary = ", ".join(f"{status} {count}" for status, count in counts.items())
        stdout.write(f"Compliance as of {today:%d/%m/%Y}: {summary}.")
        stdout.write(f"Compliance snapshots: {days} days since {SNAPSHOTS_FROM:%d/%m/%Y} in {seconds:.1f} s.")
    return {"days": days, "counts": counts, "seconds": seconds}
