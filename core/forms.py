"""Form pieces the submission apps share."""

from django import forms

from .workflow import STALE_EDIT


class VersionedSubmitForm(forms.Form):
    """A submit form carrying the version of the item the page showed (see workflow.check_version).

    A post without it is refused like a stale one, above the form: a hidden field's own error
    would not show.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean(self):
        data = super().clean()
        if data.get("version") is None:
            self.add_error(None, forms.ValidationError(STALE_EDIT, code="stale"))
        return data
