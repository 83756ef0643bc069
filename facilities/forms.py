from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from core.forms import VNDateField
from core.validators import TEXT, validate_programme_date

from .models import Facility, MemberRole
from .widgets import use_area_search

User = get_user_model()


class FacilityForm(forms.ModelForm):
    class Meta:
        model = Facility
        fields = [
            "code",
            "national_id",
            "name",
            "type",
            "ownership",
            "area",
            "address",
            "beds",
            "has_inpatient",
            "has_daycare",
            "has_outpatient",
            "bhyt_contract",
            "head_name",
            "head_phone",
            "head_email",
            "it_contact",
        ]

    def __init__(self, *args, **kwargs):
        """The area is chosen by its code, as its select (or search box) offers it: the page posts back the
        code it rendered, with or without JavaScript."""
        super().__init__(*args, **kwargs)
        self.fields["area"].to_field_name = "code"
        if self.instance.area_id:
            self.initial["area"] = self.instance.area.code
        use_area_search(self.fields["area"])

    def clean_code(self):
        return self.cleaned_data["code"].strip().upper()


class ExtensionForm(forms.Form):
    """An extension needs the authorising document (number and date) and a reason; beyond the legal deadline of
    the facility's type it is allowed and marked (the form says so before saving)."""

    deadline = VNDateField(label=_("New deadline"))
    document_number = forms.CharField(
        label=_("Authorising document number"),
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": "123/QĐ-SYT"}),
        error_messages={"required": _("Enter the number of the document that authorises the extension.")},
    )
    document_date = VNDateField(
        label=_("Document date"),
        error_messages={"required": _("Enter the date of the document that authorises the extension.")},
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give the reason for the extension.")},
    )

    def __init__(self, *args, facility: Facility, **kwargs):
        super().__init__(*args, **kwargs)
        self.facility = facility
        legal = facility.legal_deadline
        if legal:
            self.fields["deadline"].help_text = _(
                "Legal deadline for this facility type (TT 13/2025): %(date)s. A later date is allowed and marked "
                "as beyond it."
            ) % {"date": date_format(legal, "d/m/Y")}

    def clean_document_number(self):
        number = " ".join(self.cleaned_data["document_number"].split())
        if not number:
            raise forms.ValidationError(_("Enter the number of the document that authorises the extension."))
        return number

    def clean_document_date(self):
        day = self.cleaned_data["document_date"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The document date cannot be in the future."))
        return day

    @property
    def beyond_legal(self) -> bool:
        legal = self.facility.legal_deadline
        deadline = getattr(self, "cleaned_data", {}).get("deadline")
        return bool(legal and deadline and deadline > legal)

    def clean_deadline(self):
        """An extension moves the deadline later; an earlier or equal date is a typo, not an extension."""
        deadline = self.cleaned_data["deadline"]
        current = self.facility.effective_deadline
        if deadline <= current:
            raise forms.ValidationError(
                _("The new deadline must be after the current deadline (%(date)s).")
                % {"date": date_format(current, "d/m/Y")}
            )
        validate_programme_date(deadline)  # 31/12/9999 is a typo, and past the date arithmetic's calendar
        return deadline

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Give the reason for the extension."))
        return reason


class MembershipForm(forms.Form):
    """Adds an existing account to a facility, or creates the account when the username is new."""

    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        validators=[User.username_validator],
        help_text=_("Letters, digits and @ . + - _ only, as for every account."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=MemberRole.choices)
    full_name = forms.CharField(label=_("Full name"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    password = forms.CharField(
        label=_("Initial password"),
        required=False,
        widget=forms.PasswordInput,
        help_text=_("Only for a new account; the user should change it after the first login."),
    )

    def __init__(self, *args, facility: Facility, **kwargs):
        super().__init__(*args, **kwargs)
        self.facility = facility

    def clean(self):
        data = super().clean()
        username = (data.get("username") or "").strip()
        self.user = User.objects.filter(username__iexact=username).first()
        if self.user is None:
            if not data.get("password"):
                self.add_error("password", _("A new account needs an initial password."))
            else:
                try:
                    validate_password(data["password"], User(username=username))
                except forms.ValidationError as exc:
                    self.add_error("password", exc)
        elif self.user.sees_all_facilities:
            self.add_error("username", _("DoH officers and leadership see every facility already."))
        elif self.user.memberships.filter(facility=self.facility).exists():
            self.add_error("username", _("This user already belongs to the facility."))
        return data


class MemberRoleForm(forms.Form):
    """Changes an existing member's role in place (staff <-> head), from the members page's per-row select."""

    role = forms.ChoiceField(label=_("Role"), choices=MemberRole.choices)


ACCEPTED_FILES = ".xlsx,.xls,.ods,.csv"


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet (.xlsx, .xls, .ods or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPTED_FILES}),
        help_text=_("Checked first: nothing is saved until you confirm the preview."),
    )
