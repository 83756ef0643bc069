"""The tasks called directly (their bodies), the schedule, and the enqueueing service against dead brokers."""

import datetime
import logging
import time

import pytest
import time_machine
from django.db import DatabaseError, transaction
from django_celery_beat.models import PeriodicTask

from assessments.tests.factories import AssessmentFactory
from compliance import tasks
from compliance.models import ComplianceSnapshot, FacilityCompliance
from compliance.services import schedule_facility_recompute
from compliance.tests.factories import deployed
from core.models import Status
from core.tests.dates import local_noon

TODAY = datetime.date(2026, 6, 10)


@time_machine.travel(local_noon(TODAY), tick=False)
def test_recompute_facility_computes_that_facility_as_of_today(facility, other_facility):
    AssessmentFactory(approved=True, facility=facility)
    tasks.recompute_facility(facility.pk)
    tasks.recompute_facility(facility.pk)  # idempotent
    assert list(FacilityCompliance.objects.values_list("facility", "as_of", "status")) == [
        (facility.pk, TODAY, "at_risk")
    ]
    assert ComplianceSnapshot.objects.count() == 1


def test_a_milestone_verified_and_committed_recomputes_its_facility(facility, django_capture_on_commit_callbacks):
    """What the milestone verification does on commit: the decision counts in the facility's status at once."""
    from rollout_portal.celery import app

    day = datetime.date(2026, 9, 29)
    decision = deployed(facility, day)
    decision.status, decision.reviewed_at = Status.SUBMITTED, None
    decision.save()
    saved, app.conf.task_always_eager = app.conf.task_always_eager, True
    try:
        with time_machine.travel(local_noon(day), tick=False), django_capture_on_commit_callbacks(execute=True):
            decision.status, decision.reviewed_at = Status.APPROVED, local_noon(day)
            decision.save()
            schedule_facility_recompute(facility.pk)
    finally:
        app.conf.task_always_eager = saved
    compliance = FacilityCompliance.objects.get(facility=facility)
    assert (compliance.status, compliance.deployment_date) == ("deployed_on_time", day)


@time_machine.travel(local_noon(TODAY), tick=False)
def test_recompute_all_computes_every_active_facility(facility, other_facility):
    tasks.recompute_all()
    tasks.recompute_all()
    assert FacilityCompliance.objects.filter(as_of=TODAY).count() == 2
    assert ComplianceSnapshot.objects.count() == 2


def test_a_facility_that_no_longer_exists_is_a_no_op(db):
    tasks.recompute_facility(987654)
    assert not FacilityCompliance.objects.exists()


@pytest.mark.parametrize("task", [tasks.recompute_facility, tasks.recompute_all])
def test_tasks_retry_database_errors_with_backoff_and_have_time_limits(task):
    assert task.autoretry_for == (DatabaseError,)
    assert task.retry_backoff and task.retry_jitter and task.max_retries == 5
    assert 0 < task.soft_time_limit < task.time_limit


@time_machine.travel(local_noon(TODAY), tick=False)
def test_a_database_error_is_retried_and_the_facility_computed(facility, monkeypatch):
    """The task itself retries (Celery's autoretry, run in this process), not just declares it."""
    calls = []
    engine = tasks.compute_compliance

    def fails_once(*args, **kwargs):
        calls.append(args)
        if len(calls) == 1:
            raise DatabaseError("the server closed the connection unexpectedly")
        return engine(*args, **kwargs)

    monkeypatch.setattr(tasks, "compute_compliance", fails_once)
    result = tasks.recompute_facility.apply(args=[facility.pk])
    assert result.successful() and len(calls) == 2
    assert FacilityCompliance.objects.filter(facility=facility, as_of=TODAY).exists()


def test_the_nightly_recompute_is_a_beat_entry_at_one_in_the_morning(db):
    nightly = PeriodicTask.objects.get(task="compliance.tasks.recompute_all")
    assert nightly.enabled
    crontab = nightly.crontab
    assert (crontab.minute, crontab.hour, crontab.day_of_week, crontab.day_of_month) == ("0", "1", "*", "*")
    assert str(crontab.timezone) == "Asia/Ho_Chi_Minh"


@pytest.mark.parametrize("broker", ["unreachable_broker", "hung_broker"])
def test_a_dead_broker_costs_the_committing_caller_seconds_not_an_error(
    committed_db, broker, request, facility, caplog
):
    request.getfixturevalue(broker)
    started = time.monotonic()
    with caplog.at_level(logging.ERROR, logger="compliance.services"), transaction.atomic():
        facility.name = "Trạm Y tế xã Tân Hồng (đã duyệt)"
        facility.save()
        schedule_facility_recompute(facility.pk)
    assert time.monotonic() - started < 5
    facility.refresh_from_db()
    assert facility.name.endswith("(đã duyệt)")  # committed before the enqueue was tried
    assert f"Could not enqueue the compliance recompute of facility {facility.pk}" in caplog.text


def test_nothing_is_enqueued_when_the_transaction_rolls_back(committed_db, facility, unreachable_broker, caplog):
    with (
        caplog.at_level(logging.ERROR, logger="compliance.services"),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        schedule_facility_recompute(facility.pk)
        raise RuntimeError("the approval failed")
    assert "Could not enqueue" not in caplog.text


@pytest.mark.parametrize("model", ["compliancesnapshot", "facilitycompliance", "reminderlog"])
def test_the_engines_results_and_the_reminder_log_are_read_only_in_the_admin(admin_client, model):
    assert admin_client.get(f"/admin/compliance/{model}/").status_code == 200
    assert admin_client.get(f"/admin/compliance/{model}/add/").status_code == 403
