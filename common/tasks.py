"""Tasks enqueued by a request's work (mails, mostly), the one way every app does it."""

import logging

from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue_on_commit(jobs, *args):
    """Enqueue each of the tasks with the arguments once the transaction commits (a worker
    never reads what was rolled back, nor what is not yet written). A queue that refuses one
    is logged, never raised: what the request stored stands."""
    transaction.on_commit(lambda: _enqueue(jobs, args))


def _enqueue(jobs, args):
    for job in jobs:
        try:
            job.enqueue(*args)
        except Exception:
            logger.exception("Could not enqueue %s%s", job.name, args)
