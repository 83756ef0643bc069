from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .models import Agency, AgencyMembership, Area, Facility, FacilityType, Membership


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind")
    list_filter = ("kind",)
    search_fields = ("code", "name")


@admin.register(FacilityType)
class FacilityTypeAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "name",
        "name_en",
        "is_hospital",
        "deadline",
        "legal_deadline",
        "paperless_from",
        "sort_order",
    )
    list_editable = ("deadline",)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("user",)


class FacilityAdminForm(forms.ModelForm):
    """As the officer's extension form: an extended deadline needs its document's number and date and a reason."""

    class Meta:
        model = Facility
        fields = "__all__"  # noqa: DJ007 - the admin edits every registry field

    def clean(self):
        data = super().clean()
        if data.get("deadline") and "deadline" in self.changed_data:
            for name in ("deadline_document_number", "deadline_document_date", "deadline_reason"):
                if not data.get(name):
                    self.add_error(
                        name, _("An extension needs the authorising document's number and date and a reason.")
                    )
        return data


@admin.register(Facility)
class FacilityAdmin(SimpleHistoryAdmin):
    form = FacilityAdminForm
    list_display = (
        "code",
        "name",
        "type",
        "area",
        "ownership",
        "is_active",
        "deadline",
        "legal_deadline",
        "beyond_legal",
    )
    list_filter = ("type", "ownership", "is_active")
    search_fields = ("code", "name", "search_text")
    autocomplete_fields = ("area",)
    inlines = [MembershipInline]

    def save_model(self, request, obj, form, change):
        """Through the registry's services, as the portal's pages and the import write."""
        save = services.facility_update if change else services.facility_create
        save(facility=obj, by=request.user)

    def save_formset(self, request, form, formset, change):
        """The membership inline through the registry's services too."""
        formset.save(commit=False)
        for membership in formset.deleted_objects:
            services.membership_remove(membership=membership, by=request.user)
        for membership in [*formset.new_objects, *(changed for changed, _fields in formset.changed_objects)]:
            services.membership_save(membership=membership, by=request.user)

    @admin.display(description=_("legal EMR deadline (TT 13/2025)"))
    def legal_deadline(self, facility):
        return facility.legal_deadline

    @admin.display(description=_("beyond the TT 13/2025 deadline"), boolean=True)
    def beyond_legal(self, facility):
        return facility.extension_beyond_legal


class AgencyMembershipInline(admin.TabularInline):
    model = AgencyMembership
    extra = 0
    autocomplete_fields = ("user",)


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    """Partner agencies and commune People's Committees; give a user the role "Partner agency" and add them here."""

    list_display = ("code", "name", "kind", "area", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("code", "name")
    autocomplete_fields = ("area",)
    inlines = [AgencyMembershipInline]
