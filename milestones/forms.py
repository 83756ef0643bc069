"""Milestone forms and the rules of SPEC section 4a, checked on the page and again at submission.

`milestone_errors()` is the one place the rules live: the form shows its messages next to the
fields, the submit service refuses a milestone that breaks them (another milestone of the
facility may have changed since the draft was saved).
"""

import datetime

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from core import forms as core_forms
from core.evidence import check_evidence_file
from core.forms import VersionedSubmitForm
from core.models import Status

from .models import Milestone, MilestoneKind

FUTURE_DATE = _("This date is in the future.")
DATE_BEFORE_PROGRAMME = _("This date is before the programme started (%(start)s).")
BEFORE_OTHER = _("This date must be on or after the date of “%(other)s” (%(date)s).")
AFTER_OTHER = _("This date must be on or before the date of “%(other)s” (%(date)s).")
DECISION_FIRST = _("Record the decision to use EMR in place of paper records first.")
ASSESSMENT_REQUIRED = _("Choose the approved readiness assessment the self-assessment rests on.")
ASSESSMENT_NOT_APPROVED = _("The self-assessment must rest on an assessment of this facility approved by the DoH.")
REQUIRED = _("Required for a decision.")
EFFECTIVE_BEFORE_DECISION = _("The decision cannot take effect before it is signed (%(date)s).")
SCOPE_REQUIRED = _("Tick at least one: inpatient, day care or outpatient.")
DEPARTMENTS_REQUIRED = _("List the departments covered, or tick “all departments”.")
LINK_OR_EVIDENCE = _("Give the link on the Ministry of Health's EMR portal or upload a screenshot.")
HEAD_NAME_REQUIRED = _("Type the full name of the facility head.")
CONFIRM_REQUIRED = _("Tick the box to confirm.")

DATE_WIDGET = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"})

# What each kind records (SPEC section 4a's table), in the order of the form.
SCOPE_FIELDS = ["scope_inpatient", "scope_day_care", "scope_outpatient", "all_departments", "departments"]
KIND_FIELDS = {
    MilestoneKind.SELF_ASSESSED: ["date", "assessment"],
    MilestoneKind.DECISION: ["number", "date", "effective_date", "signer", *SCOPE_FIELDS],
    MilestoneKind.ANNOUNCED: ["date", "link"],
    MilestoneKind.PAPER_STOPPED: ["date", *SCOPE_FIELDS],
}
KINDS_WITH_EVIDENCE = {MilestoneKind.SELF_ASSESSED, MilestoneKind.DECISION, MilestoneKind.ANNOUNCED}
# Dated no later than (kind, kinds that must not be earlier): self-assessed <= decision <= announced,
# decision <= paper stopped.
MUST_PRECEDE = {
    MilestoneKind.SELF_ASSESSED: [MilestoneKind.DECISION, MilestoneKind.ANNOUNCED],
    MilestoneKind.DECISION: [MilestoneKind.ANNOUNCED, MilestoneKind.PAPER_STOPPED],
}


def _approved_assessments(facility_id: int):
    """The facility's assessments approved by the DoH, latest first. Through the milestone's own relation:
    milestones and assessments are submissions side by side and do not import each other."""
    assessments = Milestone._meta.get_field("assessment").related_model._default_manager
    return assessments.filter(facility_id=facility_id, status=Status.APPROVED).order_by("-reviewed_at", "-pk")


def _day(value: datetime.date) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


def milestone_errors(milestone: Milestone, *, today: datetime.date | None = None) -> dict[str, list[str]]:
    """The rules a milestone breaks, by field (SPEC section 4a); empty when it may be saved and submitted.

    - Dates are never in the future and never before the programme started (PROGRAMME_START);
      a decision's effective date may be later than today (signed 29/09, effective 01/10) but not
      before its signing date.
    - Order, against the facility's other milestones whatever their state (each fact is recorded
      once; a returned one is corrected, not duplicated): self-assessed <= decision <= announced,
      and paper stopped >= decision. An announcement and a paper stop need the decision recorded:
      paper records remain the legal record until the head decides otherwise (TT 13/2025).
    - A self-assessment rests on an assessment of the same facility approved by the DoH.
    - A decision has its number, date, effective date, signer and scope; a decision and a paper stop
      cover at least one kind of treatment, and name their departments unless all are covered.
    - An announcement has a link on the Ministry's portal or a screenshot.
    """
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}

    def add(field: str, message) -> None:
        errors.setdefault(field, []).append(str(message))

    kind = milestone.kind
    start = settings.PROGRAMME_START
    if milestone.date:
        if milestone.date > today:
            add("date", FUTURE_DATE)
        elif milestone.date < start:
            add("date", DATE_BEFORE_PROGRAMME % {"start": _day(start)})
    if kind == MilestoneKind.DECISION:
        for name in ("number", "signer"):
            if not getattr(milestone, name).strip():
                add(name, REQUIRED)
        if milestone.effective_date is None:
            add("effective_date", REQUIRED)
        elif milestone.date and milestone.effective_date < milestone.date:
            add("effective_date", EFFECTIVE_BEFORE_DECISION % {"date": _day(milestone.date)})
    if kind in (MilestoneKind.DECISION, MilestoneKind.PAPER_STOPPED):
        if not (milestone.scope_inpatient or milestone.scope_day_care or milestone.scope_outpatient):
            add("scope_inpatient", SCOPE_REQUIRED)
        if not milestone.all_departments and not milestone.departments.strip():
            add("departments", DEPARTMENTS_REQUIRED)
    if kind == MilestoneKind.ANNOUNCED and not milestone.link and not milestone.evidence:
        add("link", LINK_OR_EVIDENCE)
    if kind == MilestoneKind.SELF_ASSESSED:
        if milestone.assessment_id is None:
            add("assessment", ASSESSMENT_REQUIRED)
        elif not _approved_assessments(milestone.facility_id).filter(pk=milestone.assessment_id).exists():
            add("assessment", ASSESSMENT_NOT_APPROVED)
    if milestone.date and "date" not in errors:
        _check_order(milestone, add)
    return errors


def _check_order(milestone: Milestone, add) -> None:
    others = {
        m.kind: m for m in Milestone.objects.filter(facility_id=milestone.facility_id).exclude(kind=milestone.kind)
    }
    kind = milestone.kind
    if kind in (MilestoneKind.ANNOUNCED, MilestoneKind.PAPER_STOPPED) and MilestoneKind.DECISION not in others:
        add("date", DECISION_FIRST)
    for later in MUST_PRECEDE.get(kind, []):
        other = others.get(later)
        if other and milestone.date > other.date:
            add("date", AFTER_OTHER % {"other": other.get_kind_display(), "date": _day(other.date)})
    for earlier_kind, later_kinds in MUST_PRECEDE.items():
        other = others.get(earlier_kind)
        if kind in later_kinds and other and milestone.date < other.date:
            add("date", BEFORE_OTHER % {"other": other.get_kind_display(), "date": _day(other.date)})


class MilestoneForm(forms.ModelForm):
    """One kind's fields (KIND_FIELDS); `evidence_file` is checked by content like assessment evidence."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    link = forms.URLField(label=_("Link"), max_length=500, required=False, assume_scheme="https")
    evidence_file = forms.FileField(
        label=_("Evidence file"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg,.docx,.xlsx"}),
        help_text=_("PDF, PNG, JPEG, DOCX or XLSX."),
    )

    class Meta:
        model = Milestone
        fields = ["date", "assessment", "number", "effective_date", "signer", *SCOPE_FIELDS, "link"]
        widgets = {
            "date": DATE_WIDGET,
            "effective_date": DATE_WIDGET,
            "departments": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {"date": _("Date")}
        help_texts = {
            "link": _("The facility's page on the Ministry of Health's EMR portal (Cổng HSBA điện tử của Bộ Y tế)."),
            "departments": _("Only when the decision does not cover all departments."),
        }

    def __init__(self, *args, today: datetime.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        kind = self.instance.kind
        keep = {*KIND_FIELDS[kind], "version"}
        if kind in KINDS_WITH_EVIDENCE:
            keep.add("evidence_file")
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        self.fields["date"].label = DATE_LABELS[kind]
        if "assessment" in self.fields:
            approved = _approved_assessments(self.instance.facility_id)
            self.fields["assessment"].queryset = approved
            self.fields["assessment"].label_from_instance = _assessment_label
            if self.instance.pk is None and not self.is_bound:
                self.initial.setdefault("assessment", approved.first())
        if "evidence_file" in self.fields:
            self.fields["evidence_file"].label = EVIDENCE_LABELS[kind]
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version
        self.evidence_type = self.evidence_name = ""

    def clean_evidence_file(self):
        file = self.cleaned_data.get("evidence_file")
        if file:
            self.evidence_type, self.evidence_name = check_evidence_file(file)
        return file

    def _post_clean(self):
        """The rules run on the instance once the typed values are on it (ModelForm puts them there here)."""
        super()._post_clean()
        milestone = self.instance
        if self.cleaned_data.get("evidence_file"):
            milestone.evidence = self.cleaned_data["evidence_file"]  # "a link or a screenshot"
        for field, messages in milestone_errors(milestone, today=self.today).items():
            target = field if field in self.fields else None
            for message in messages:
                if target is None or target not in self.errors:
                    self.add_error(target, message)

    def save(self, commit=True):
        milestone = super().save(commit=False)
        if self.cleaned_data.get("evidence_file"):
            milestone.evidence = self.cleaned_data["evidence_file"]
            milestone.evidence_name = self.evidence_name
            milestone.evidence_type = self.evidence_type
        return milestone


def _assessment_label(assessment) -> str:
    approved = _day(timezone.localdate(assessment.reviewed_at)) if assessment.reviewed_at else "—"
    score = f"{assessment.score:.0f}/100" if assessment.score is not None else "—"
    return str(_("Assessment approved on %(date)s, score %(score)s")) % {"date": approved, "score": score}


DATE_LABELS = {
    MilestoneKind.SELF_ASSESSED: _("Date of the self-assessment (council minutes)"),
    MilestoneKind.DECISION: _("Date the decision was signed"),
    MilestoneKind.ANNOUNCED: _("Date announced on the portal"),
    MilestoneKind.PAPER_STOPPED: _("Date paper records stopped"),
}
EVIDENCE_LABELS = {
    MilestoneKind.SELF_ASSESSED: _("Minutes of the internal appraisal council"),
    MilestoneKind.DECISION: _("The signed decision"),
    MilestoneKind.ANNOUNCED: _("Screenshot of the portal"),
}


class SubmitForm(VersionedSubmitForm):
    """The facility head confirms the milestone (SPEC section 4a).

    The head's own account only ticks the box: the attestation is the account. Staff of a facility
    with no head account type the head's name as well, and the milestone then shows "chưa có xác
    nhận của người đứng đầu" wherever it appears.
    """

    head_name = forms.CharField(label=_("Full name of the head of the facility"), max_length=200, required=False)
    confirm = forms.BooleanField(required=False)

    def __init__(self, *args, by_head: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.by_head = by_head
        if by_head:
            del self.fields["head_name"]
            self.fields["confirm"].label = _(
                "I, the head of the facility, confirm this milestone and take responsibility for it."
            )
        else:
            self.fields["confirm"].label = _(
                "The facility has no head account: I submit on the head's instruction, with the head's name above."
            )

    def clean(self):
        data = super().clean()
        if not self.by_head:
            data["head_name"] = " ".join((data.get("head_name") or "").split())
            if not data["head_name"]:
                self.add_error("head_name", HEAD_NAME_REQUIRED)
        if not data.get("confirm"):
            self.add_error("confirm", CONFIRM_REQUIRED)
        return data


class ReturnForm(core_forms.ReturnForm):
    label = _("Comment of the Department of Health")
