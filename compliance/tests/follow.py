"""Rows written by factories, followed by the rollups as the services' writes are (compliance.rollups)."""

from compliance import rollups
from compliance.asof import today
from compliance.models import ComplianceRollup


def follow_rollups(facility_id: int) -> None:
    """Today's rollup cells of the facility follow a sent report or an approved assessment written directly, as
    the submission (in its transaction) or the approval (through the engine's recompute) has them follow; where no
    rollup rows exist yet, the dashboard reads the tables and nothing needs to follow."""
    if ComplianceRollup.objects.filter(day__lte=today()).exists():
        rollups.refresh_current(rollups.slices_of([facility_id]))
