from django import forms
from django.utils.translation import gettext_lazy as _

from core.xlsx import MAX_UPLOAD_BYTES


class ReportImportForm(forms.Form):
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
        help_text=_("One row per facility and month, with the columns of the template."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return upload


class ReportImportCommitForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, max_length=40)
