from dashboard.tests.province import today  # noqa: F401  (the fixture)
