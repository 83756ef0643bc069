"""The JSON behind the charts: computed on the server, embedded with json_script or served as JSON.

Labels come translated in the active language; dates as ISO strings plus a dd/mm/yyyy label;
shares as fractions 0..1 rounded to 4 places.
"""

import datetime

from django.utils import timezone
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from compliance.models import PAPERLESS_ORDER, RAG, STATUS_LABELS

from .selectors import STATUS_ORDER, ProvinceDashboard


def _share(value: float | None) -> float | None:
    return None if value is None else round(float(value), 4)


def _iso(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def _type_label(row) -> str:
    return row.name_en if get_language() == "en" else row.name


def _status(code: str) -> dict:
    """A status of either obligation: its code, label and RAG colour."""
    return {"code": code, "label": str(STATUS_LABELS[code]), "rag": RAG[code]}


def province_json(d: ProvinceDashboard) -> dict:
    statuses = d.statuses
    return {
        "as_of": _iso(d.as_of),
        "current": d.current,
        "computed_at": timezone.localtime(statuses.computed_at).isoformat() if statuses.computed_at else None,
        "deadline": _iso(d.deadline),
        "paperless_from": _iso(d.paperless_from),
        "days_to_deadline": d.days_to_deadline,
        "total": statuses.total,
        "not_computed": statuses.not_computed,
        "statuses": [
            {**_status(code), "count": statuses.counts[code], "share": _share(statuses.share(code))}
            for code in STATUS_ORDER
        ],
        "paperless": [
            {**_status(code), "count": statuses.paperless[code], "share": _share(statuses.paperless_share(code))}
            for code in PAPERLESS_ORDER
        ],
        "missed_deadline": statuses.missed_deadline,
        "hospitals_after_legal": statuses.hospitals_after_legal,
        "by_type": [
            {
                "code": row.code,
                "label": _type_label(row),
                "facilities": row.facilities,
                "complete": row.complete,
                "complete_share": _share(row.complete_share),
                "progress": _share(row.progress),
                "counts": row.counts,
                "paperless": row.paperless,
                "missed_deadline": row.missed_deadline,
                "hospitals_after_legal": row.hospitals_after_legal,
            }
            for row in d.by_type
        ],
        "trend": {
            "dates": [_iso(p.date) for p in d.trend],
            "labels": [
                p.date.strftime("%d/%m/%Y") if i == len(d.trend) - 1 else p.date.strftime("%m/%Y")
                for i, p in enumerate(d.trend)
            ],
            "series": [
                {**_status(code), "counts": [p.counts[code] if p.counts else None for p in d.trend]}
                for code in STATUS_ORDER
            ],
            "paperless": [
                {**_status(code), "counts": [p.paperless[code] if p.paperless else None for p in d.trend]}
                for code in PAPERLESS_ORDER
            ],
        },
        "reporting": [
            {
                "period": _iso(m.month),
                "label": m.month.strftime("%m/%Y"),
                "due": _iso(m.due_date),
                "due_label": m.due_date.strftime("%d/%m/%Y"),
                "expected": m.active,
                "sent": m.reported,
                "on_time": m.on_time,
                "missing": m.active - m.reported,
                "completeness": _share(m.completeness),
                "timeliness": _share(m.timeliness),
            }
            for m in d.reporting
        ],
        "budget": [
            {
                "code": row.code,
                "label": _type_label(row),
                "assessed": row.assessed,
                "needed": row.needed,
                "secured": row.secured,
                "secured_share": _share(row.secured_share),
            }
            for row in d.budget
        ],
        "review": {
            "reports": d.review.reports,
            "assessments": d.review.assessments,
            "milestones": d.review.milestones,
            "total": d.review.total,
        },
        "escalations": {"count": d.escalations.count, "facilities": d.escalations.facilities},
        "text": {
            "progress": _("Departments live (mean)"),
            "complete": _("EMR deployed"),
            "completeness": _("Completeness"),
            # A context of its own: the review list's "Timeliness" (reports app) means the due date.
            "timeliness": pgettext("share on time", "Timeliness"),
            "needed": _("Needed"),
            "secured": _("Secured"),
        },
        "behind": [
            {
                "code": f.code,
                "name": f.name,
                "status": f.status,
                "reasons": f.reasons or [],
                "paperless_status": f.paperless_status,
                "days_left": f.days_left,
                "progress": _share(f.progress),
                "last_report": {"period": _iso(f.last_report_period), "status": f.last_report_status}
                if f.last_report_period
                else None,
            }
            for f in d.behind
        ],
    }
