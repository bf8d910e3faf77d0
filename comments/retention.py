"""What is kept, and for how long: each purge deletes what its period has run out on.

- comments in the trash for COLLOQUY_TRASH_DAYS: deleted (replies stay);
- the keyed hash of a poster's network address (comments.tokens.client_key), needed only to
  stop floods: emptied after COLLOQUY_CLIENT_KEY_DAYS, and wherever a moderation reason or
  event quoted it;
- links mailed for a person's data (PersonalDataLink): deleted once expired;
- a deleted comment's placeholder whose replies have all gone: deleted.

`manage.py purge` runs it; with a task worker (TASKS_BACKEND=database) the purge task runs it
every day (comments/tasks.py). User agents are never stored.
"""

import datetime
import re
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils import timezone

from .models import Comment, ModerationEvent, ModerationReason, PersonalDataLink
from .personal_data import link_lifetime
from .services import FALLEN, comment_delete

Status = Comment.Status
HASH_REMOVED = "[address hash removed]"
HASH = re.compile(r"[0-9a-f]{64}")


@dataclass
class Purged:
    trashed: int = 0
    client_keys: int = 0
    links: int = 0
    placeholders: int = 0

    def __str__(self):
        return (
            f"Purged {self.trashed} comment(s) trashed more than {settings.COLLOQUY_TRASH_DAYS} "
            f"days ago, the address hashes of {self.client_keys} comment(s) older than "
            f"{settings.COLLOQUY_CLIENT_KEY_DAYS} days, {self.links} expired personal data "
            f"link(s) and {self.placeholders} deleted comment(s) left without replies."
        )


def _days_ago(days):
    return timezone.now() - datetime.timedelta(days=days)


def _delete_each(comments):
    """Delete the comments one by one (comment_delete keeps their replies); how many."""
    count = 0
    for comment in comments.select_related("paper").iterator():
        comment_delete(comment)
        count += 1
    return count


def purge_trash(days):
    return _delete_each(
        Comment.objects.filter(status=Status.TRASH, status_changed_at__lt=_days_ago(days))
    )


def forget_client_keys(days):
    """Empty the address hashes older than the period, and any text that quoted one (one
    look through each table for text holding a hash, whatever the number of keys)."""
    old = Comment.objects.filter(submitted_at__lt=_days_ago(days)).exclude(client_key="")
    keys = set(old.values_list("client_key", flat=True))
    for model, field in ((ModerationReason, "message"), (ModerationEvent, "reason")):
        quoting = model.objects.filter(**{f"{field}__regex": HASH.pattern})
        for row in quoting.only("pk", field):
            text = HASH.sub(lambda found: HASH_REMOVED if found[0] in keys else found[0],
                            getattr(row, field))  # fmt: skip
            model.objects.filter(pk=row.pk).update(**{field: text})
    return old.update(client_key="")


def drop_expired_links():
    expired = PersonalDataLink.objects.filter(created_at__lte=timezone.now() - link_lifetime())
    return expired.delete()[0]


def drop_empty_placeholders():
    standing = Comment.objects.filter(parent=OuterRef("pk")).exclude(status__in=FALLEN)
    return _delete_each(Comment.objects.filter(status=Status.DELETED).exclude(Exists(standing)))


def purge(*, trash_days=None):
    days = settings.COLLOQUY_TRASH_DAYS if trash_days is None else trash_days
    return Purged(
        trashed=purge_trash(days),
        client_keys=forget_client_keys(settings.COLLOQUY_CLIENT_KEY_DAYS),
        links=drop_expired_links(),
        placeholders=drop_empty_placeholders(),
    )
