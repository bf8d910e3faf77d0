from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "pages"
    verbose_name = "Pages (About, Call for papers, ...)"

    def ready(self):
        from . import receivers  # noqa: F401  (registers the receivers)
