from django.contrib import admin

from .models import Export, IssuedReport


@admin.register(Export)
class ExportAdmin(admin.ModelAdmin):
    """Read-only: exports are made from the lists and the dashboard, never edited."""

    list_display = ["created_at", "user", "kind", "status", "progress", "rows_total", "expires_at"]
    list_filter = ["status", "kind"]
    readonly_fields = [f.name for f in Export._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(IssuedReport)
class IssuedReportAdmin(admin.ModelAdmin):
    """Read-only: reports are issued from the portal and never change once issued."""

    list_display = ["issued_on", "number", "symbol", "as_of", "issued_by", "issued_at"]
    readonly_fields = [f.name for f in IssuedReport._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
