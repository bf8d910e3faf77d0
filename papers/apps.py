from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save, pre_save


class PapersConfig(AppConfig):
    name = "papers"
    verbose_name = "Papers"

    def ready(self):
        from . import checks  # noqa: F401  (registers the deployment checks)
        from .models import Paper
        from .page_cache import paper_page_changed

        def paper_changed(sender, instance, raw=False, **kwargs):
            if not raw:  # loaddata: nothing can have been cached from what is being loaded
                paper_page_changed(instance)

        def paper_moving(sender, instance, raw=False, **kwargs):
            """A change of slug or edition: the pages at the old address go too."""
            if raw or instance.pk is None:
                return
            before = Paper.objects.select_related("edition").filter(pk=instance.pk).first()
            if before and (before.slug, before.edition_id) != (instance.slug, instance.edition_id):
                paper_page_changed(before)

        # However a paper is saved or deleted (admin, import, shell), its cached pages go.
        pre_save.connect(paper_moving, sender=Paper, dispatch_uid="paper-page-moving")
        post_save.connect(paper_changed, sender=Paper, dispatch_uid="paper-page-saved")
        post_delete.connect(paper_changed, sender=Paper, dispatch_uid="paper-page-deleted")
