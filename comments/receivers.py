"""What the comments app does when something outside it happens: after `migrate`, the daily
purge waits in the task queue (when a worker runs tasks: comments/tasks.py)."""

from django.db.models.signals import post_migrate
from django.dispatch import receiver


@receiver(post_migrate, dispatch_uid="comments-schedule-purge")
def schedule_purge_after_migrate(sender, **kwargs):
    from .tasks import schedule_purge  # the task backend is read once apps are ready

    if sender.name == "comments":
        schedule_purge()
