from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.spreadsheet import MAX_UPLOAD_BYTES


class OfficialReportForm(forms.Form):
    """What the officer gives and edits before issuing: the number, the date, the narrative, the signer.

    The figures are not here: they come from the dashboard's selectors for the page's date and filters.
    """

    SIGNERS = [("deputy", "KT. GIÁM ĐỐC – PHÓ GIÁM ĐỐC"), ("director", "GIÁM ĐỐC")]

    number = forms.IntegerField(
        label=_("Document number"),
        min_value=1,
        required=False,
        help_text=_("Given by the clerk's register (Số: …/BC-SYT). Needed to issue, not for a draft."),
    )
    issued_on = forms.DateField(
        label=_("Document date"), widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}), required=False
    )
    legal_basis = forms.CharField(
        label=_("Legal basis"), widget=forms.Textarea(attrs={"rows": 4}), help_text=_("One document per line.")
    )
    assessment = forms.CharField(label=_("General assessment"), widget=forms.Textarea(attrs={"rows": 5}))
    recommendations = forms.CharField(
        label=_("Proposals to the People's Committee"), widget=forms.Textarea(attrs={"rows": 4})
    )
    recipients = forms.CharField(
        label=_("Recipients"), widget=forms.Textarea(attrs={"rows": 5}), help_text=_("One per line; the last is Lưu.")
    )
    signer = forms.ChoiceField(label=_("Signed as"), choices=SIGNERS, initial="deputy")
    signer_name = forms.CharField(label=_("Signer's name"), max_length=200)

    def clean_issued_on(self):
        day = self.cleaned_data["issued_on"]
        if day and day > timezone.localdate():
            raise forms.ValidationError(_("The document date cannot be in the future."))
        return day

    def require_issue_fields(self) -> bool:
        """Issuing needs a number and a date; a draft does not. Adds the errors; True when both are there."""
        for name in ("number", "issued_on"):
            if not self.cleaned_data.get(name):
                self.add_error(name, _("Needed to issue the report."))
        return not self.errors

    @staticmethod
    def lines(text: str) -> list[str]:
        return [line.strip() for line in text.splitlines() if line.strip()]


class MinistryListForm(forms.Form):
    file = forms.FileField(
        label=_("The Ministry's list (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
        help_text=_("Columns: Mã cơ sở (or Tên cơ sở) and Ngày công bố, headings in the first row."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return upload
