import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from compliance import asof
from core.forms import VNDateField, VNDateInput
from core.validators import validate_programme_date


class AsOfForm(forms.Form):
    """The date the numbers are shown for: today by default, or a past day (read from its snapshots)."""

    date = VNDateField(
        label=_("As of"),
        required=False,
        widget=VNDateInput(attrs={"class": "form-control form-control-sm"}),
        validators=[validate_programme_date],  # before any date arithmetic: 01/01/0001 would overflow it
    )

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date and date > asof.today():
            raise forms.ValidationError(_("Choose today or a past date."))
        return date

    @property
    def as_of(self) -> datetime.date:
        """The chosen date when valid, else today."""
        if self.is_valid() and self.cleaned_data["date"]:
            return self.cleaned_data["date"]
        return asof.today()

    def params(self) -> dict[str, str]:
        """`date` as a URL parameter when a past date is chosen, to carry it into links."""
        as_of = self.as_of
        return {} if asof.is_current(as_of) else {"date": as_of.strftime("%d/%m/%Y")}
