import logging

from django.db import transaction

from . import rollups

logger = logging.getLogger(__name__)


def schedule_facility_recompute(facility_id: int) -> None:
    """Recompute a facility's compliance once the current transaction commits: called by every approval of a
    report or an assessment and every verification of a milestone (SPEC section 7).

    A broker that is down or hung must never cost the user their approval: the error is
    logged and the nightly run catches up.
    """

    def enqueue():
        from .tasks import recompute_facility

        try:
            recompute_facility.delay(facility_id)
        except Exception:
            logger.exception("Could not enqueue the compliance recompute of facility %s", facility_id)

    transaction.on_commit(enqueue)


def recompute_after_approval(sender, item, **kwargs) -> None:
    """An approval (core.workflow.approved) changes what the engine counts: recompute the facility."""
    schedule_facility_recompute(item.facility_id)


def rollup_after_registry(sender, slices, **kwargs) -> None:
    """A registry write (facilities.services.registry_changed) moved facilities between the dashboard's cells, or
    in or out of the active ones: today's cells they left and entered are recomputed in its transaction."""
    rollups.refresh_current(slices)


def rollup_after_sending(sender, item, **kwargs) -> None:
    """A report submitted or returned (core.workflow.sent_changed): the reporting completeness of its month in
    today's cell of its facility is recomputed in its transaction."""
    rollups.refresh_current(rollups.slices_of([item.facility_id]), statuses=False, periods={item.period})
