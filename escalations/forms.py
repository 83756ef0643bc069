from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from facilities.models import Agency


class RaiseForm(forms.Form):
    """A partner agency's difficulty, in its own words."""

    difficulty = forms.CharField(label=_("Difficulty"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    support_requested = forms.CharField(
        label=_("Support requested"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000
    )


class ResolveForm(forms.Form):
    action = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class ReferForm(forms.Form):
    partner = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.filter(is_active=True))
    action = forms.CharField(label=_("What was agreed"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class ProposeForm(forms.Form):
    proposal = forms.CharField(
        label=_("Proposal to the People's Committee"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


class DirectionForm(forms.Form):
    number = forms.CharField(label=_("Document number"), max_length=100, help_text=_("For example 1234/UBND-VX"))
    date = forms.DateField(label=_("Document date"), widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}))
    content = forms.CharField(label=_("Direction"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return date


# The triage steps an officer can take on the item's page: step -> (form, target state).
STEPS = {
    "resolve": ResolveForm,
    "refer": ReferForm,
    "propose": ProposeForm,
    "direction": DirectionForm,
}
