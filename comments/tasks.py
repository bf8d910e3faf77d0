"""The daily purge (comments/retention.py) as a task, for a site with a task worker
(TASKS_BACKEND=database): each run enqueues the next, a day later, even when it fails;
`migrate` enqueues the first when none waits in the queue. Without a worker (the immediate
backend cannot wait), `manage.py purge` from cron does the same."""

import datetime

from django.tasks import TaskResultStatus, default_task_backend, task
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from .retention import purge

PURGE_EVERY = datetime.timedelta(days=1)


@task
def purge_task():
    try:
        return str(purge())
    finally:
        schedule_purge()


def _waiting():
    """Whether a purge waits in the database backend's queue (the one that can wait)."""
    ready = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    return ready.filter(task_path=purge_task.module_path).exists()


def schedule_purge():
    """Enqueue the next purge a day from now, unless the backend runs tasks at once or a
    purge is already waiting."""
    if not default_task_backend.supports_defer or _waiting():
        return False
    purge_task.using(run_after=timezone.now() + PURGE_EVERY).enqueue()
    return True
