from django import forms
from django.utils.translation import gettext_lazy as _

from core.spreadsheet import MAX_UPLOAD_BYTES


class ReportImportForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet (.xlsx, .xls, .ods or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls,.ods,.csv"}),
        help_text=_("One row per facility and month, with the columns of the template."),
    )
    allow_unchanged = forms.BooleanField(
        label=_("Some facilities really did not change since their last approved report: import those rows too"),
        required=False,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return upload


class ReportImportCommitForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, max_length=40)
