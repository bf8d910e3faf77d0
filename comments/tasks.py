"""The daily purge (comments/retention.py) as a task, for a site with a task worker
(TASKS_BACKEND=database): each run enqueues the next, a day later; `migrate` enqueues the
first when none waits. Without a worker (the immediate backend cannot wait), `manage.py
purge` from cron does the same."""

import datetime

from django.core.cache import cache
from django.tasks import default_task_backend, task
from django.utils import timezone

from .retention import purge

PURGE_EVERY = datetime.timedelta(days=1)
SCHEDULED = "colloquy:purge-scheduled"


@task
def purge_task():
    cache.delete(SCHEDULED)
    result = str(purge())
    schedule_purge()
    return result


def schedule_purge():
    """Enqueue the next purge a day from now, unless the backend runs tasks at once or one is
    already waiting (as far as the shared cache knows)."""
    if not default_task_backend.supports_defer:
        return False
    if not cache.add(SCHEDULED, True, timeout=int(PURGE_EVERY.total_seconds()) * 2):
        return False
    purge_task.using(run_after=timezone.now() + PURGE_EVERY).enqueue()
    return True
