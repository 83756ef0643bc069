"""Reasons stored with each compliance status, and their labels for users (SPEC section 6).

"Reasons name what the facility lacks, in its own terms, for every status that is not done:
the milestones missing or unverified, the mandatory criteria unmet (their codes), departments
live of total, the latest stage, the months without an approved report, the projection.
"Past the deadline" alone is never a reason: an overdue facility at 100 % progress shows that
its decision is missing." Deployed facilities show their deployment date.

A reason is a dict: its `code` and the values it names, JSON-ready (dates as ISO strings,
months as "YYYY-MM"), e.g. {"code": "departments", "live": 5, "total": 12}. `reason_label()`
turns one into a sentence in the active language. Rows stored before reasons had values hold
bare codes; they read as {"code": <code>}.
"""

import datetime
import functools

from django.db import models
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from reports.models import Stage


class Reason(models.TextChoices):
    # Done: the dates.
    DEPLOYED = "deployed", gettext_lazy("Deployed (decision verified)")
    DEPLOYED_AFTER_DEADLINE = "deployed_after_deadline", gettext_lazy("Deployed after the deadline")
    AFTER_LEGAL_DEADLINE = "after_legal_deadline", gettext_lazy("Deployed after the legal deadline (TT 13/2025)")
    PAPERLESS = "paperless", gettext_lazy("Paper records replaced")
    PAPERLESS_LATE = "paperless_late", gettext_lazy("Paper records replaced after the paperless date")
    NOT_DUE = "not_due", gettext_lazy("Paper replacement not due yet")
    # What a facility lacks.
    DECISION_MISSING = "decision_missing", gettext_lazy("No decision to use EMR in place of paper")
    DECISION_UNVERIFIED = "decision_unverified", gettext_lazy("Decision not yet verified by the DoH")
    SELF_ASSESSMENT_MISSING = "self_assessment_missing", gettext_lazy("No self-assessment against TT 13/2025")
    SELF_ASSESSMENT_UNVERIFIED = "self_assessment_unverified", gettext_lazy("Self-assessment not yet verified")
    SELF_ASSESSMENT_AFTER_DECISION = (
        "self_assessment_after_decision",
        gettext_lazy("Self-assessment dated after the decision"),
    )
    ASSESSMENT_MISSING = "assessment_missing", gettext_lazy("No approved readiness assessment")
    MANDATORY_UNMET = "mandatory_unmet", gettext_lazy("Mandatory criteria not met")
    DEPARTMENTS = "departments", gettext_lazy("Departments live on EMR")
    STAGE = "stage", gettext_lazy("Rollout stage")
    MONTHS_MISSING = "months_missing", gettext_lazy("Months without an approved report")
    REPORT_MISSING = "report_missing", gettext_lazy("No approved monthly report")
    PROJECTION = "projection", gettext_lazy("Projected completion")
    NOT_DEPLOYED = "not_deployed", gettext_lazy("EMR not deployed yet")
    PAPER_STOP_MISSING = "paper_stop_missing", gettext_lazy("No paper-stopped milestone")
    PAPER_STOP_UNVERIFIED = "paper_stop_unverified", gettext_lazy("Paper stop not yet verified")
    RECORDS_ON_PAPER = "records_on_paper", gettext_lazy("New records still on paper")


# The value a reason's sentence needs; without it (a reason migrated from a bare code) the plain label shows.
NEEDS = {
    Reason.DEPLOYED: "date",
    Reason.DEPLOYED_AFTER_DEADLINE: "date",
    Reason.AFTER_LEGAL_DEADLINE: "deadline",
    Reason.PAPERLESS: "date",
    Reason.PAPERLESS_LATE: "date",
    Reason.NOT_DUE: "from",
    Reason.DECISION_UNVERIFIED: "date",
    Reason.SELF_ASSESSMENT_UNVERIFIED: "date",
    Reason.SELF_ASSESSMENT_AFTER_DECISION: "date",
    Reason.PAPER_STOP_UNVERIFIED: "date",
    Reason.DEPARTMENTS: "total",
    Reason.STAGE: "stage",
    Reason.RECORDS_ON_PAPER: "month",
}


def reason(code: str, **values) -> dict:
    """A reason as stored: its code and its values, dates as ISO strings."""
    stored = {"code": str(code)}  # filled in place, no merged dicts: 430,000 reasons in a national run
    for key, value in values.items():
        stored[key] = value.isoformat() if isinstance(value, datetime.date) else value
    return stored


def as_reason(value) -> dict:
    """A stored reason: a dict, or a bare code from before reasons had values."""
    return value if isinstance(value, dict) else {"code": str(value)}


def _date(value) -> str:
    return datetime.date.fromisoformat(value).strftime("%d/%m/%Y") if value else ""


def _month(value: str) -> str:
    year, month = value.split("-")
    return f"{month}/{year}"


def reason_label(value, language: str | None = None) -> str:
    """One reason as a sentence in `language`, by default the active one (Vietnamese unless chosen otherwise)."""
    r = as_reason(value)
    items = tuple(r.items())
    if any(v.__class__ is list for v in r.values()):  # criteria, months: as tuples, to be remembered
        items = tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in items)
    return _sentence(language or get_language(), items)


@functools.lru_cache(maxsize=4096)
def _sentence(language: str, items: tuple) -> str:
    """The sentence of a reason given as its items (lists as tuples), in `language` (the active one).

    Remembered: most reasons repeat the same few values (departments live of total, the same dates and months),
    and the provincial workbook names about 700,000 of them at 60,000 facilities.
    """
    r = dict(items)
    code = r["code"]
    if code in NEEDS and r.get(NEEDS[code]) in (None, ""):  # a reason migrated from a bare code: no values to name
        return _plain_label(code)
    match code:
        case Reason.DEPLOYED:
            return _("Deployed on %(date)s (date of the decision)") % {"date": _date(r.get("date"))}
        case Reason.DEPLOYED_AFTER_DEADLINE:
            return _("Deployed on %(date)s, after the deadline %(deadline)s") % {
                "date": _date(r.get("date")),
                "deadline": _date(r.get("deadline")),
            }
        case Reason.AFTER_LEGAL_DEADLINE:
            return _("Deployed after the legal deadline %(deadline)s (TT 13/2025)") % {
                "deadline": _date(r.get("deadline"))
            }
        case Reason.PAPERLESS:
            return _("Paper records stopped on %(date)s") % {"date": _date(r.get("date"))}
        case Reason.PAPERLESS_LATE:
            return _("Paper records stopped on %(date)s, after %(from)s") % {
                "date": _date(r.get("date")),
                "from": _date(r.get("from")),
            }
        case Reason.NOT_DUE:
            return _("Paper records must be replaced from %(from)s") % {"from": _date(r.get("from"))}
        case Reason.DECISION_UNVERIFIED:
            return _("Decision of %(date)s awaits verification by the DoH") % {"date": _date(r.get("date"))}
        case Reason.SELF_ASSESSMENT_UNVERIFIED:
            return _("Self-assessment of %(date)s awaits verification by the DoH") % {"date": _date(r.get("date"))}
        case Reason.SELF_ASSESSMENT_AFTER_DECISION:
            return _("Self-assessment of %(date)s is dated after the decision of %(decision)s") % {
                "date": _date(r.get("date")),
                "decision": _date(r.get("decision")),
            }
        case Reason.PAPER_STOP_UNVERIFIED:
            return _("Paper stop of %(date)s awaits verification by the DoH") % {"date": _date(r.get("date"))}
        case Reason.MANDATORY_UNMET:
            criteria = r.get("criteria") or []
            if criteria:
                return _("Mandatory criteria not met: %(criteria)s") % {"criteria": ", ".join(criteria)}
            return _("Mandatory criteria not met")
        case Reason.DEPARTMENTS:
            return _("Departments live on EMR: %(live)s of %(total)s") % {"live": r["live"], "total": r["total"]}
        case Reason.STAGE:
            return _("Rollout stage: %(stage)s") % {"stage": Stage(r["stage"]).label}
        case Reason.MONTHS_MISSING:
            if not r.get("months"):
                return _("No approved report for either of the last two complete months")
            return _("No approved report for %(months)s") % {"months": ", ".join(map(_month, r.get("months", [])))}
        case Reason.PROJECTION:
            if r.get("kind") == "never":
                return _("Progress is flat or falling: completion cannot be projected")
            if not r.get("date"):
                return _("At the current pace, completion is projected after the deadline")
            return _("At the current pace, completion on %(date)s, after the deadline") % {"date": _date(r.get("date"))}
        case Reason.RECORDS_ON_PAPER:
            kind = _("inpatient") if r.get("kind") == "inpatient" else _("outpatient")
            return _("%(kind)s records in %(month)s: %(electronic)s of %(total)s electronic") % {
                "kind": kind,
                "month": _month(r["month"]),
                "electronic": r["electronic"],
                "total": r["total"],
            }
    return _plain_label(code)


def _plain_label(code: str) -> str:
    """The reason's name without values; Reason(code), not dict(Reason.choices), which the workbook's 60,000
    rows would rebuild for every reason (half the time of writing the provincial workbook)."""
    try:
        return str(Reason(code).label)
    except ValueError:
        return code


def reason_labels(values) -> list[str]:
    language = get_language()  # once per list: the provincial workbook labels 500,000 reasons
    return [reason_label(value, language) for value in values or []]
