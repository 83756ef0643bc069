"""Reason labels for tables: every stored reason as its sentence (compliance.reasons holds the rules)."""

from compliance.reasons import reason_label


def reasons_short(reasons, status: str | None = None) -> list[tuple[str, str]]:
    """(label, title) of each stored reason. Every reason names what the facility lacks or the date it
    reached, so none merely repeats the status and none is left out. `status` is kept for the callers."""
    return [(label, label) for label in map(reason_label, reasons or [])]
