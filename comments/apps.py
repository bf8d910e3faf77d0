from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _schedule_purge(sender, **kwargs):
    from .tasks import schedule_purge

    schedule_purge()


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = "Comments"

    def ready(self):
        # With a task worker, the daily purge waits in its queue from the first migrate on.
        post_migrate.connect(_schedule_purge, sender=self, dispatch_uid="comments-purge")
