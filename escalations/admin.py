from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import EscalationItem


@admin.register(EscalationItem)
class EscalationItemAdmin(SimpleHistoryAdmin):
    """Read-only: the register changes through its pages (each step a service with its history)."""

    list_display = ("pk", "source", "raised_on", "state")
    list_filter = ("state",)
    readonly_fields = [f.name for f in EscalationItem._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
