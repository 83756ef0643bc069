from .province import today  # noqa: F401  (the fixture)
