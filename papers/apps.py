from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class PapersConfig(AppConfig):
    name = "papers"
    verbose_name = "Papers"

    def ready(self):
        from . import checks  # noqa: F401  (registers the deployment checks)
        from .models import Paper
        from .page_cache import paper_page_changed

        def paper_changed(sender, instance, **kwargs):
            paper_page_changed(instance)

        # However a paper is saved or deleted (admin, import, shell), its cached pages go.
        post_save.connect(paper_changed, sender=Paper, dispatch_uid="paper-page-saved")
        post_delete.connect(paper_changed, sender=Paper, dispatch_uid="paper-page-deleted")
