from django.core.management.base import BaseCommand

from search.indexing import rebuild


class Command(BaseCommand):
    help = (
        "Make the search index again from the published papers and their approved comments "
        "(it follows every change by itself: this is for a restored or hand-edited database)."
    )

    def handle(self, *args, **options):
        entries = rebuild()
        self.stdout.write(f"Search index rebuilt: {entries} entries.")
