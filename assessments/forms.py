"""Assessment forms: they normalise input and carry the messages shown next to the fields."""

import re
from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from core.evidence import check_evidence_file
from core.forms import VersionedSubmitForm, VNDateField, VNDateInput
from core.validators import NOTE
from core.workflow import ATTESTATION_REQUIRED

from .models import Answer, AnswerStatus, AnswerType, Assessment, Criterion, CriterionGroup
from .scoring import CriterionState, Evaluation, criterion_state, evaluate, facility_flags, why_not_applicable
from .services import AnswerValues

# Yes/no criteria are answered met / partly met / not met (and not applicable where allowed); "yes" and "no"
# stay the values of met and not met, as posted by earlier pages.
YES, NO, PARTLY, NA = "yes", "no", "partly", "na"
CHOICE_STATUS = {YES: AnswerStatus.MET, NO: AnswerStatus.NOT_MET, PARTLY: AnswerStatus.PARTLY, NA: "na"}
STATUS_CHOICE = {status: choice for choice, status in CHOICE_STATUS.items()}
NA_REASON_REQUIRED = _("Give the reason why this criterion does not apply to the facility.")
MONEY = re.compile(r"^\d{1,3}([.,\s]\d{3})*$|^\d+$")


class VNDField(forms.CharField):
    """An amount in đồng, typed as "1.234.567", "1 234 567" or "1234567" (no decimals)."""

    default_error_messages = {"invalid": _("Enter a whole amount in đồng, e.g. 1.234.567.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "1.234.567"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value).replace("₫", "").replace("đ", "").strip()
        if not value:
            return None
        if not MONEY.match(value):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return int(re.sub(r"\D", "", value))

    def prepare_value(self, value):
        if isinstance(value, int):
            return number_format(value, decimal_pos=0, force_grouping=True)
        return value


def _value_field(criterion: Criterion) -> forms.Field:
    if criterion.answer_type == AnswerType.YES_NO:
        choices = [(YES, _("Met")), (PARTLY, _("Partly met")), (NO, _("Not met"))]
        if criterion.not_applicable_allowed:
            choices.append((NA, _("Not applicable")))
        return forms.ChoiceField(
            choices=choices, widget=forms.RadioSelect(attrs={"class": "form-check-input"}), required=False
        )
    if criterion.answer_type == AnswerType.PERCENT:
        return forms.DecimalField(
            min_value=0,
            max_value=100,
            max_digits=5,
            decimal_places=2,
            localize=True,
            required=False,
            widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "form-control", "size": 6}),
            error_messages={
                "min_value": _("A percentage is between 0 and 100."),
                "max_value": _("A percentage is between 0 and 100."),
                "invalid": _("Enter a number, e.g. 85 or 85,5."),
            },
        )
    if criterion.answer_type == AnswerType.NUMBER:
        return forms.DecimalField(
            min_value=0,
            max_digits=12,
            decimal_places=2,
            localize=True,
            required=False,
            widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "form-control form-control-sm"}),
            error_messages={
                "min_value": _("The number cannot be negative."),
                "invalid": _("Enter a number, e.g. 12."),
            },
        )
    return VNDateField(required=False, widget=VNDateInput(attrs={"class": "form-control form-control-sm"}))


@dataclass
class CriterionRow:
    criterion: Criterion
    value: forms.BoundField
    note: forms.BoundField
    not_applicable: str  # the reason, empty when the criterion applies
    met: bool
    evidence: list
    state: CriterionState
    na: forms.BoundField | None = None  # the "not applicable" box of a measured or dated criterion that allows it


@dataclass
class Section:
    group: CriterionGroup
    rows: list[CriterionRow]

    @property
    def met_count(self) -> int:
        return sum(1 for row in self.rows if row.met)

    @property
    def applicable_count(self) -> int:
        return sum(1 for row in self.rows if row.state.counted)


class AssessmentForm(forms.ModelForm):
    """The general fields plus one value and one note per criterion of the assessment's catalogue."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    budget_needed = VNDField(label=_("Budget needed (VND)"), required=False)
    budget_secured = VNDField(label=_("Budget secured (VND)"), required=False)

    class Meta:
        model = Assessment
        fields = [
            "his_vendor",
            "his_version",
            "emr_vendor",
            "it_staff_count",
            "clinical_departments",
            "budget_needed",
            "budget_secured",
            "uses_rented_software",
            "does_health_checks",
        ]
        help_texts = {
            "uses_rented_software": _("Rented or cloud software adds the contract and data-processing criteria."),
            "does_health_checks": _("Facilities doing health checks answer the health-check portal criterion."),
        }

    def __init__(self, *args, criteria: list[Criterion], answers: dict[int, Answer], **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        self.stored_answers = answers
        self.fields["version"].initial = self.instance.version if self.instance.pk else None
        for criterion in criteria:
            answer = answers.get(criterion.id)
            value_field = _value_field(criterion)
            value_field.label = criterion.code
            value_field.initial = self._initial_value(criterion, answer)
            self.fields[f"value_{criterion.code}"] = value_field
            if criterion.not_applicable_allowed and criterion.answer_type != AnswerType.YES_NO:
                self.fields[f"na_{criterion.code}"] = forms.BooleanField(
                    label=_("Not applicable"),
                    required=False,
                    initial=bool(answer and answer.status == AnswerStatus.NOT_APPLICABLE),
                )
            self.fields[f"note_{criterion.code}"] = forms.CharField(
                label=_("Note"),
                max_length=NOTE,
                required=False,
                initial=answer.note if answer else "",
                widget=forms.TextInput(
                    attrs={
                        "class": "form-control form-control-sm",
                        "placeholder": _("Note (decision number, explanation…)"),
                        "aria-label": _("Note") + f" {criterion.code}",
                    }
                ),
            )

    @staticmethod
    def _initial_value(criterion: Criterion, answer: Answer | None):
        if answer is None:
            return None
        if criterion.answer_type == AnswerType.YES_NO:
            if answer.status:
                return STATUS_CHOICE.get(answer.status)
            return {True: YES, False: NO}.get(answer.value_bool)
        if criterion.answer_type == AnswerType.DATE:
            return answer.value_date
        if answer.value_number is None:
            return None
        number = answer.value_number
        return number.quantize(Decimal(1)) if number == number.to_integral() else number.normalize()

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        for criterion in self.criteria:
            name = f"value_{criterion.code}"
            if criterion.answer_type == AnswerType.DATE and data.get(name) and data[name] > today:
                self.add_error(name, _("The date cannot be in the future."))
            if self._says_not_applicable(criterion, data) and not (data.get(f"note_{criterion.code}") or "").strip():
                self.add_error(f"note_{criterion.code}", NA_REASON_REQUIRED)
        return data

    @staticmethod
    def _says_not_applicable(criterion: Criterion, data: dict) -> bool:
        if criterion.answer_type == AnswerType.YES_NO:
            return data.get(f"value_{criterion.code}") == NA
        return bool(data.get(f"na_{criterion.code}"))

    def answer_values(self) -> dict[int, AnswerValues]:
        """The answers in cleaned_data, keyed by criterion id (only the valid ones while the form has errors)."""
        data = getattr(self, "cleaned_data", {})
        values = {}
        for criterion in self.criteria:
            name = f"value_{criterion.code}"
            if name not in data and f"note_{criterion.code}" not in data:
                continue
            value = data.get(name)
            yes_no = criterion.answer_type == AnswerType.YES_NO
            not_applicable = self._says_not_applicable(criterion, data)
            values[criterion.id] = AnswerValues(
                value_bool={YES: True, NO: False, PARTLY: False}.get(value) if yes_no else None,
                value_number=value if criterion.is_measured and not not_applicable else None,
                value_date=value if criterion.answer_type == AnswerType.DATE and not not_applicable else None,
                note=data.get(f"note_{criterion.code}", ""),
                status=AnswerStatus.NOT_APPLICABLE
                if not_applicable
                else (CHOICE_STATUS.get(value, "") if yes_no else ""),
            )
        return values

    def _flags(self) -> dict:
        data = getattr(self, "cleaned_data", None)
        source = data if data is not None else {}
        if not hasattr(self, "_facility_flags"):
            self._facility_flags = facility_flags(self.instance.facility, rented=False, health_checks=False)
        return self._facility_flags | {
            "rented": source.get("uses_rented_software", self.instance.uses_rented_software),
            "health_checks": source.get("does_health_checks", self.instance.does_health_checks),
        }

    def _answers(self) -> dict[int, Answer]:
        if hasattr(self, "cleaned_data"):
            return {cid: Answer(criterion_id=cid, **values) for cid, values in self.answer_values().items()}
        return self.stored_answers

    def evaluation(self) -> Evaluation:
        """Score what the form holds (the stored answers until it is posted) with the function that scores saves."""
        return evaluate(self.criteria, self._answers(), **self._flags())

    def sections(self, evaluation: Evaluation, evidence_by_criterion: dict[int, list]) -> list[Section]:
        flags = self._flags()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = widget.attrs.get("class", "") + " is-invalid"
        answers = self._answers()
        sections: dict[int, Section] = {}
        for criterion in self.criteria:
            section = sections.setdefault(criterion.group_id, Section(group=criterion.group, rows=[]))
            section.rows.append(
                CriterionRow(
                    criterion=criterion,
                    value=self[f"value_{criterion.code}"],
                    note=self[f"note_{criterion.code}"],
                    not_applicable=why_not_applicable(criterion, **flags),
                    met=criterion.id in evaluation.met_ids,
                    evidence=evidence_by_criterion.get(criterion.id, []),
                    state=criterion_state(criterion, evaluation, answers.get(criterion.id), flags),
                    na=self[f"na_{criterion.code}"] if f"na_{criterion.code}" in self.fields else None,
                )
            )
        return list(sections.values())


class AttestationForm(VersionedSubmitForm):
    """Submitting needs the facility head's name and their confirmation (SPEC section 5)."""

    head_name = forms.CharField(
        label=_("Full name of the facility head"),
        max_length=200,
        error_messages={"required": _("Enter the full name of the facility head.")},
    )
    head_confirms = forms.BooleanField(
        label=_("The head of the facility takes responsibility for this assessment."),
        error_messages={"required": ATTESTATION_REQUIRED},
    )

    def clean_head_name(self):
        name = " ".join(self.cleaned_data["head_name"].split())
        if not name:
            raise forms.ValidationError(_("Enter the full name of the facility head."))
        return name


class EvidenceForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, PNG, JPEG, DOCX or XLSX, at most %(size)s.")
        % {"size": filesizeformat(settings.EVIDENCE_MAX_BYTES)},
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg,.docx,.xlsx"}),
        error_messages={"required": _("Choose a file to upload."), "empty": _("The file is empty.")},
    )
    criterion = forms.ModelChoiceField(
        label=_("Criterion"), queryset=Criterion.objects.none(), required=False, empty_label=_("(whole assessment)")
    )

    def __init__(self, *args, assessment: Assessment, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criterion"].queryset = Criterion.objects.filter(group__catalogue_id=assessment.catalogue_id)
        self.fields["criterion"].label_from_instance = lambda c: f"{c.code} – {c.label[:90]}"

    def clean_file(self):
        file = self.cleaned_data["file"]
        self.content_type, self.original_name = check_evidence_file(file)
        return file
