"""Two DoH officers verifying the same milestone at once: the row lock lets one win, the other is told."""

import threading

import pytest
from django.db import connection

from core.tests.migration_data import as_migrated  # noqa: F401 (an autouse fixture for this module)
from milestones import services
from milestones.models import Milestone
from milestones.tests.factories import MilestoneFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_two_officers_verifying_at_once_one_wins(facility):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    from accounts.tests.factories import UserFactory

    officers = [UserFactory(officer=True), UserFactory(officer=True)]
    milestone = MilestoneFactory(facility=facility, submitted=True)
    barrier, outcomes = threading.Barrier(2), []

    def verify(officer):
        try:
            barrier.wait()
            services.milestone_verify(milestone=milestone, by=officer)
            outcomes.append("verified")
        except services.workflow.WorkflowError as exc:
            outcomes.append(str(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=verify, args=(o,)) for o in officers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes)[-1] == "verified" and outcomes.count("verified") == 1
    assert Milestone.history.filter(id=milestone.pk, history_change_reason="approved").count() == 1
