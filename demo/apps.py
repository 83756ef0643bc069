from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo province (`seed_demo`): above every domain app, so it may build with all of them."""

    name = "demo"
    verbose_name = "Demo"
