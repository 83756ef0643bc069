"""Read-only views of the engine's results: they are recomputed, never edited by hand."""

from django.contrib import admin

from .models import ComplianceSnapshot, FacilityCompliance, ReminderLog


class ResultAdmin(admin.ModelAdmin):
    list_display = ["facility", "as_of", "status", "progress", "deadline", "projected_completion", "computed_at"]
    list_filter = ["status", "as_of"]
    search_fields = ["facility__code", "facility__name"]
    list_select_related = ["facility"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


admin.site.register(FacilityCompliance, ResultAdmin)
admin.site.register(ComplianceSnapshot, ResultAdmin)


@admin.register(ReminderLog)
class ReminderLogAdmin(admin.ModelAdmin):
    """Who was reminded of what and when; a row without `sent at` was claimed by a run that did not finish."""

    list_display = ["kind", "period", "email", "claimed_at", "sent_at"]
    list_filter = ["kind", "period"]
    search_fields = ["email", "recipient__username"]
    date_hierarchy = "claimed_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
