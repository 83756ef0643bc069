"""Admin for the criteria catalogue: draft versions are edited here, published ones are read-only.

Assessments are shown read-only: their changes go through the portal's workflow, which keeps
the version check, the derived score and the audit trail.
"""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .models import Assessment, Catalogue, Criterion, CriterionGroup, SharedPlatform


class PublishedReadOnly:
    """Objects of a published catalogue can be viewed, never changed or deleted."""

    @staticmethod
    def catalogue_of(obj):
        raise NotImplementedError

    def has_change_permission(self, request, obj=None):
        if obj is not None and self.catalogue_of(obj).is_published:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and self.catalogue_of(obj).is_published:
            return False
        return super().has_delete_permission(request, obj)


class CriterionGroupInline(admin.TabularInline):
    model = CriterionGroup
    extra = 0
    fields = ("code", "name", "name_en", "order")

    def has_add_permission(self, request, obj=None):
        return obj is None or not obj.is_published

    def has_change_permission(self, request, obj=None):
        return obj is None or not obj.is_published

    def has_delete_permission(self, request, obj=None):
        return obj is None or not obj.is_published


@admin.register(Catalogue)
class CatalogueAdmin(PublishedReadOnly, admin.ModelAdmin):
    list_display = ("version", "title", "published_at", "criteria_count")
    readonly_fields = ("published_at",)
    inlines = [CriterionGroupInline]
    actions = ["copy_as_draft", "publish"]

    @staticmethod
    def catalogue_of(obj):
        return obj

    @admin.display(description=_("criteria"))
    def criteria_count(self, obj):
        return Criterion.objects.filter(group__catalogue=obj).count()

    @admin.action(description=_("Copy as new draft version"))
    def copy_as_draft(self, request, queryset):
        for catalogue in queryset:
            draft = services.catalogue_copy_as_draft(catalogue=catalogue)
            self.message_user(request, _("Draft version %(version)s created.") % {"version": draft.version})

    @admin.action(description=_("Publish (new assessments will use the newest published version)"))
    def publish(self, request, queryset):
        published = 0
        for catalogue in queryset:
            try:
                services.catalogue_publish(catalogue=catalogue)
                published += 1
            except services.CatalogueError as exc:
                self.message_user(request, f"v{catalogue.version}: {exc}", messages.ERROR)
        if published:
            self.message_user(
                request,
                ngettext("%(count)d version published.", "%(count)d versions published.", published)
                % {"count": published},
            )


@admin.register(CriterionGroup)
class CriterionGroupAdmin(PublishedReadOnly, admin.ModelAdmin):
    list_display = ("code", "name", "name_en", "catalogue", "order")
    list_filter = ("catalogue",)

    @staticmethod
    def catalogue_of(obj):
        return obj.catalogue

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Groups are added to draft versions only: a published catalogue never changes.
        if db_field.name == "catalogue":
            kwargs["queryset"] = Catalogue.objects.filter(published_at__isnull=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Criterion)
class CriterionAdmin(PublishedReadOnly, admin.ModelAdmin):
    list_display = (
        "code", "text", "mandatory", "decides_compliance", "legal_from", "answer_type", "threshold", "weight", "group",
    )  # fmt: skip
    list_filter = ("group__catalogue", "group__code", "mandatory", "decides_compliance", "answer_type")
    search_fields = ("code", "text", "text_en")
    list_select_related = ("group__catalogue",)
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "group",
                    "code",
                    "order",
                    "text",
                    "text_en",
                    "mandatory",
                    "decides_compliance",
                    "legal_from",
                    "weight",
                ]
            },
        ),  # fmt: skip
        (
            _("Applicability"),
            {
                "fields": [
                    "applies_to_hospitals",
                    "applies_to_others",
                    "requires_bhyt",
                    "requires_rented_software",
                    "requires_health_checks",
                    "also_applies_to_types",
                    "not_applicable_allowed",
                    "applicability_note",
                    "applicability_note_en",
                ]
            },
        ),
        (
            _("Answer"),
            {"fields": ["answer_type", "threshold", "threshold_by_doh", "evidence", "evidence_en", "legal_basis"]},
        ),
    ]

    @staticmethod
    def catalogue_of(obj):
        return obj.group.catalogue

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "group":
            kwargs["queryset"] = CriterionGroup.objects.filter(catalogue__published_at__isnull=True).select_related(
                "catalogue"
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ReadOnlyAdmin(SimpleHistoryAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdmin):
    list_display = (
        "facility", "status", "catalogue", "score", "mandatory_met", "mandatory_gaps", "submitted_at", "reviewed_at",
    )  # fmt: skip
    list_filter = ("status", "mandatory_met", "catalogue")
    search_fields = ("facility__code", "facility__name")
    list_select_related = ("facility", "catalogue")


@admin.register(SharedPlatform)
class SharedPlatformAdmin(SimpleHistoryAdmin):
    """The DoH declares a platform it runs, the criteria it meets (by code) with its evidence, and its members."""

    list_display = ("name", "operator", "is_active", "member_count")
    list_filter = ("is_active",)
    search_fields = ("name",)
    autocomplete_fields = ("members",)

    @admin.display(description=_("member facilities"))
    def member_count(self, platform):
        return platform.members.count()
