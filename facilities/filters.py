import django_filters
from django.utils.translation import gettext_lazy as _

from .models import Area, Facility, FacilityType, Ownership


class FacilityFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    type = django_filters.ModelChoiceFilter(
        label=_("Type"), queryset=FacilityType.objects.all(), field_name="type", to_field_name="code"
    )
    area = django_filters.ModelChoiceFilter(
        label=_("Area"), queryset=Area.objects.all(), field_name="area", to_field_name="code"
    )
    ownership = django_filters.ChoiceFilter(label=_("Ownership"), choices=Ownership.choices)
    active = django_filters.BooleanFilter(label=_("Active"), field_name="is_active")

    class Meta:
        model = Facility
        fields = ["q", "type", "area", "ownership", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            field.widget.attrs.setdefault("class", "form-select form-select-sm")

    def filter_search(self, queryset, name, value):
        return queryset.search(value)
