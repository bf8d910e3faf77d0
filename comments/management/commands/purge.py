from django.core.management.base import BaseCommand

from comments.retention import purge


class Command(BaseCommand):
    help = (
        "Delete what its period has run out on: trashed comments, address hashes, expired "
        "personal data links, placeholders left without replies (comments/retention.py)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="the trash's, for this run")

    def handle(self, *args, days=None, **options):
        self.stdout.write(str(purge(trash_days=days)))
