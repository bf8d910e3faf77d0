from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo conference: original content and the command that loads it."""

    name = "demo"
    verbose_name = "Demo conference"
