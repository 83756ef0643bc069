"""Compliance engine (SPEC section 6). Placeholder until the compliance issue lands."""

import datetime


def compute_compliance(as_of: datetime.date, facility_ids: list[int] | None = None) -> dict[str, int]:
    """Compute and store compliance for the active facilities (all, or `facility_ids`) as of `as_of`.

    Returns the count of facilities per status.
    """
    return {}
