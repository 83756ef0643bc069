"""What every audit timeline shows (assessments, reports, the facility registry)."""

from dataclasses import dataclass


@dataclass
class Change:
    """One value changed by a history row, as shown: its label, old -> new."""

    label: str
    old: str
    new: str
