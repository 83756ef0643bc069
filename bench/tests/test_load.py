"""The load test's verdicts, from recorded results (the run itself needs gunicorn, a worker and Redis)."""

import datetime

from bench import load

T0 = datetime.datetime(2026, 11, 25, 10, 0, tzinfo=datetime.UTC)


def _results(*, written_after: float, shown_after: float) -> load.Results:
    results = load.Results(started=100.0, finished=220.0)
    written = T0 + datetime.timedelta(seconds=written_after)
    results.approvals = [{"report": 7, "at": T0, "done": 100.0, "written": written}]
    results.dashboard_polls = [
        (100.5, T0 - datetime.timedelta(seconds=1)),  # before the recompute
        (100.0 + shown_after, written),
    ]
    return results


def test_an_approval_shown_on_the_dashboard_within_5_seconds_is_visible():
    seen = load.visibility(_results(written_after=1, shown_after=2))
    assert seen["approvals"] == 1 and seen["late_or_never"] == [] and seen["delay"]["max_ms"] == 2000.0


def test_an_approval_shown_after_6_seconds_is_late():
    assert load.visibility(_results(written_after=1, shown_after=6))["late_or_never"] == [7]


def test_an_approval_whose_recompute_never_ran_is_never_visible():
    results = _results(written_after=1, shown_after=2)
    del results.approvals[0]["written"]
    assert load.visibility(results)["late_or_never"] == [7]


def test_an_approval_of_a_closed_facilitys_report_has_nothing_to_show_and_is_not_late():
    results = _results(written_after=1, shown_after=2)
    results.approvals[0]["written"] = None  # the engine watch found the facility inactive
    seen = load.visibility(results)
    assert seen["late_or_never"] == [] and seen["of_inactive_facilities"] == 1 and seen["delay"] == {}


def test_the_targets_name_the_dashboard_and_the_slowest_form_page():
    report = {
        "latency_by_request": {
            "dashboard": {"p95_ms": 250.0},
            "edit form": {"p95_ms": 120.0},
            "review queue": {"p95_ms": 450.0},
        },
        "visibility": {"late_or_never": []},
        "check": {"missing": [], "duplicated": []},
        "requests_per_second": 160.0,
        "server_errors": 0,
    }
    verdicts = {label: (value, met) for label, value, _, met in load.targets(report)}
    assert verdicts["dashboard p95"] == ("250.0 ms", True)
    assert verdicts["form and review pages p95 (worst)"] == ("450.0 ms", False)
    assert verdicts["throughput"] == ("160.0 /s", True)
