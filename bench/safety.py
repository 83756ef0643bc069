"""Is this database synthetic? The generator and the benchmark replace data only when it is.

Synthetic means: every user, area and facility was written by generate_scale_data (their ids
are within the ranges its mark recorded). Synthetic accounts may have logged in (the benchmark
and the load test do); anyone else's account, an imported facility, or any data at all in a
database without the mark, is real.
"""

from accounts.models import User
from assessments.models import Assessment
from facilities.models import Area, Facility
from reports.models import MonthlyReport

from .models import ScaleDataset

SQLITE_LIMIT = 1000  # facilities; above this the generator needs PostgreSQL


def current_dataset() -> ScaleDataset | None:
    return ScaleDataset.objects.filter(finished_at__isnull=False).first()


def real_data() -> list[str]:
    """Why this database holds real data (empty when it holds none)."""
    dataset = current_dataset()
    if dataset is None:
        found = [
            f"{model._meta.verbose_name_plural}"
            for model in (User, Area, Facility, Assessment, MonthlyReport)
            if model.objects.exists()
        ]
        return [f"{', '.join(found)} without a synthetic dataset's mark"] if found else []
    reasons = []
    if Facility.objects.filter(pk__gt=dataset.max_facility_id).exists():
        reasons.append("facilities added after the synthetic data")
    if Area.objects.filter(pk__gt=dataset.max_area_id).exists():
        reasons.append("areas added after the synthetic data")
    logged_in = User.objects.filter(pk__gt=dataset.max_user_id)
    if logged_in.filter(last_login__isnull=False).exists():
        reasons.append("users who logged in and are not synthetic")
    elif logged_in.exists():
        reasons.append("users added after the synthetic data")
    return reasons
