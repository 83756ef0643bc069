"""The mark a synthetic dataset leaves in its database: what was generated, how, and the ids it used.

generate_scale_data writes the row first (unfinished) and completes it last, so a run that died
half way is still known as synthetic and may be replaced without --force. Rows beyond the recorded
id ranges were created by someone else: the database then holds real data.
"""

from django.db import models


class ScaleDataset(models.Model):
    facilities = models.PositiveIntegerField()
    months = models.PositiveSmallIntegerField()
    seed = models.IntegerField()
    snapshots = models.CharField(max_length=10)
    last_month = models.DateField()
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    seconds = models.FloatField(null=True, blank=True)
    # The highest ids the generator wrote; anything above them is not synthetic.
    max_user_id = models.BigIntegerField(default=0)
    max_area_id = models.BigIntegerField(default=0)
    max_facility_id = models.BigIntegerField(default=0)
    counts = models.JSONField(default=dict)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self):
        return f"{self.facilities} facilities × {self.months} months (seed {self.seed})"

    @property
    def complete(self) -> bool:
        return self.finished_at is not None

    def matches(self, *, facilities: int, months: int, seed: int) -> bool:
        """This very dataset, complete and still ending with last month."""
        from django.utils import timezone

        from reports.models import add_months

        last_month = add_months(timezone.localdate().replace(day=1), -1)
        return (
            self.complete
            and (self.facilities, self.months, self.seed) == (facilities, months, seed)
            and self.last_month == last_month
        )
