"""The area filter at national scale: a search box with suggestions instead of a list of every commune.

A province has about a hundred communes and a select suits it; the country has over 3,000, and a
select of all of them costs a page hundreds of milliseconds to render and 150 KB to send, for a list
nobody scrolls. Above AREA_SELECT_LIMIT areas, area fields take the area's code in a text box whose
suggestions (a datalist) come from `facilities:area_options` as the user types. An officer who types
a commune's name and presses Filter without picking a suggestion gets that commune when the name is
one commune's (area_code()); otherwise the box says so, rather than the page silently ignoring it.
"""

from collections.abc import Iterator
from itertools import islice

from django import forms
from django.urls import reverse

from core.text import fold

from .models import Area

AREA_SELECT_LIMIT = 300
SUGGESTIONS = 20


class AreaWidget(forms.Select):
    """A select of the areas while they are few; above AREA_SELECT_LIMIT, a search box with suggestions.

    Decided when rendered, from one query fetching at most AREA_SELECT_LIMIT + 1 areas (the same one
    query a select of a province's areas costs anyway).
    """

    search_template_name = "facilities/widgets/area_search.html"

    def __init__(self, attrs=None, empty_label="---------"):
        super().__init__(attrs)
        self.empty_label = empty_label  # the field's: "All" on a filter

    def get_context(self, name, value, attrs):
        # Pairs, not models: at national scale the 301 fetched only to be counted cost 2 ms a page as instances.
        areas = list(Area.objects.order_by("name", "code").values_list("code", "name")[: AREA_SELECT_LIMIT + 1])
        if len(areas) <= AREA_SELECT_LIMIT:
            self.choices = [("", self.empty_label), *areas]
            return super().get_context(name, value, attrs)
        self.template_name = self.search_template_name
        context = forms.Widget.get_context(self, name, value, attrs)
        widget = context["widget"]
        widget["value"] = value[0] if isinstance(value, list | tuple) else value
        widget["attrs"]["class"] = "form-control form-control-sm"
        widget["list_id"] = f"{widget['attrs'].get('id') or name}-options"
        widget["options_url"] = reverse("facilities:area_options")
        widget["area"] = Area.objects.filter(code=widget["value"]).first() if widget["value"] else None
        return context

    def value_from_datadict(self, data, files, name):
        return area_code(super().value_from_datadict(data, files, name))


def use_area_search(field: forms.ModelChoiceField) -> None:
    """Let the field render as a select or a search box depending on the number of areas."""
    field.widget = AreaWidget(attrs=field.widget.attrs, empty_label=getattr(field, "empty_label", None) or "---------")


def matching_areas(text: str, limit: int = SUGGESTIONS) -> list[Area]:
    """Areas whose code starts with `text`, or whose name holds its words, ignoring diacritics."""
    text = text.strip()
    if not text:
        return []
    if text.isdigit():
        return list(Area.objects.filter(code__startswith=text).order_by("code")[:limit])
    return list(islice(_named(text), limit))


def _named(text: str) -> Iterator[Area]:
    """Areas whose name holds every word of `text`, ignoring case and diacritics, by name."""
    words = fold(text).split()
    for area in Area.objects.only("code", "name", "kind").order_by("name", "code").iterator(chunk_size=2000):
        if all(word in fold(area.name) for word in words):
            yield area


def area_code(text: str | None) -> str:
    """What an area box sent, as an area's code: a code (or nothing) as it is; a name, the code of the one area
    it names: its whole name ("Xã Tân Hồng"), or words only one area's name holds ("tan hong" when there is
    no Phường Tân Hồng). Text naming no area or several is left as it is, for the field to refuse."""
    text = (text or "").strip()
    if not text or text.isdigit():
        return text
    found = matching_areas(text)
    whole = [area for area in found if fold(area.name) == fold(text)]
    return (whole or found)[0].code if len(whole or found) == 1 else text
