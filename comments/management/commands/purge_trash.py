import datetime

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from comments.models import Comment
from comments.services import comment_delete


class Command(BaseCommand):
    help = "Delete comments that have been in the trash longer than COLLOQUY_TRASH_DAYS."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="override the setting")

    def handle(self, *args, days=None, **options):
        days = settings.COLLOQUY_TRASH_DAYS if days is None else days
        cutoff = timezone.now() - datetime.timedelta(days=days)
        old = Comment.objects.filter(status=Comment.Status.TRASH, status_changed_at__lt=cutoff)
        count = 0
        for comment in old.select_related("paper").iterator():
            comment_delete(comment)
            count += 1
        self.stdout.write(f"Purged {count} comment(s) trashed more than {days} days ago.")
