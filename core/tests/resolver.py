"""Every URL the portal serves, read from the resolver, filled with real objects: for tests over all pages.

A page added to any urls.py is in these lists at once, so the rules the tests check (control characters
refused, security headers present) hold for it without anyone remembering to add it.
"""

import uuid
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, reverse


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name"
    converters: dict  # argument name -> converter

    @property
    def takes_text(self) -> bool:
        """A str or path argument: where a control character can reach the view."""
        return any(type(c).__name__ in ("StringConverter", "PathConverter") for c in self.converters.values())

    def url(self, values: dict) -> str:
        return reverse(self.name, kwargs={key: values[key] for key in self.converters})

    def __str__(self):
        return self.name


def _walk(patterns, namespace: str = "", converters: dict | None = None):
    for entry in patterns:
        found = {**(converters or {}), **getattr(entry.pattern, "converters", {})}
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, inner, found)
        elif isinstance(entry, URLPattern) and entry.name:
            yield Route(f"{namespace}{entry.name}", found)


def routes(*, admin: bool = False) -> list[Route]:
    """Every named route (Django admin's only with `admin`), each once."""
    seen = {}
    for route in _walk(get_resolver().url_patterns):
        if route.name.startswith("admin:") and not admin:
            continue
        seen.setdefault(route.name, route)
    return list(seen.values())


# A value for every converter argument, valid in form, for URLs that must not match any object.
PLACEHOLDERS = {
    "code": "70000",
    "pk": 999999,
    "object_id": "999999",
    "app_label": "facilities",
    "model_name": "facility",
    "url": "x",
    "content_type_id": 1,
    "user_id": 1,
}


def placeholder(name: str, converter):
    kind = type(converter).__name__
    if kind == "UUIDConverter":
        return uuid.UUID(int=0)
    return PLACEHOLDERS.get(name, 1 if kind == "IntConverter" else "x")
