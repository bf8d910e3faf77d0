from django.core.management.base import BaseCommand

from demo.loader import load_demo
from papers.models import Edition


class Command(BaseCommand):
    help = "Load (or refresh) the demo conference: an edition, its papers and discussions."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing when the database already holds an edition",
        )

    def handle(self, *args, if_empty=False, **options):
        if if_empty and Edition.objects.exists():
            self.stdout.write("The database already holds a conference; demo not loaded.")
            return
        papers = load_demo()
        self.stdout.write(self.style.SUCCESS(f"Loaded the demo conference: {len(papers)} papers."))
        for paper in papers:
            self.stdout.write(f"  {paper.get_absolute_url()}  {paper.title}")
