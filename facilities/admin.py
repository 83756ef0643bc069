from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .models import Area, Facility, FacilityType, Membership


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind")
    list_filter = ("kind",)
    search_fields = ("code", "name")


@admin.register(FacilityType)
class FacilityTypeAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "name_en", "is_hospital", "deadline", "sort_order")
    list_editable = ("deadline",)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("user",)


@admin.register(Facility)
class FacilityAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "type", "area", "ownership", "is_active", "deadline")
    list_filter = ("type", "ownership", "is_active")
    search_fields = ("code", "name", "search_text")
    autocomplete_fields = ("area",)
    inlines = [MembershipInline]

    def save_model(self, request, obj, form, change):
        """Through the registry's services, as the portal's pages and the import write."""
        save = services.facility_update if change else services.facility_create
        save(facility=obj, by=request.user)
