"""Fixtures of the dashboard tests: the fixed "today" (province.py). The browser fixtures are the root conftest's."""

from .province import today  # noqa: F401  (the fixture)
