from django.apps import AppConfig


class PapersConfig(AppConfig):
    name = "papers"
    verbose_name = "Papers"

    def ready(self):
        from . import checks, receivers  # noqa: F401  (registers the checks and receivers)
