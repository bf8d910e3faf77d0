from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"

    def ready(self):
        from . import receivers  # noqa: F401  (registers the receivers)
