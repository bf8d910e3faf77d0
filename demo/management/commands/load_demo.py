from django.core.management.base import BaseCommand, CommandError

from demo.loader import LoadRefused, load_demo
from papers.models import Edition


class Command(BaseCommand):
    help = (
        "Load (or refresh) the demo conference: an edition, its papers and discussions. "
        "Loading again updates the demo's own objects in place and leaves every other "
        "comment (people's comments and replies) as it is."
    )

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
        try:
            report = load_demo()
        except LoadRefused as refused:
            raise CommandError(f"{refused} Nothing was changed.") from refused
        papers = report.papers
        self.stdout.write(self.style.SUCCESS(f"Loaded the demo conference: {len(papers)} papers."))
        for paper in papers:
            self.stdout.write(f"  {paper.get_absolute_url()}  {paper.title}")
        self.stdout.write(f"Pages: {len(report.pages)}.")
        for page in report.pages:
            self.stdout.write(f"  {page.get_absolute_url()}  {page.title}")
        changes = [
            (report.created, "made"),
            (report.updated, "updated from demo/content"),
            (report.removed, "removed (no longer in demo/content)"),
            (report.posted, "posted for moderation"),
        ]
        summary = ", ".join(f"{count} {what}" for count, what in changes if count)
        self.stdout.write(f"Demo comments: {summary or 'already up to date'}.")
        if report.others:
            self.stdout.write(
                f"Left alone: {_comments(report.others)} on the demo papers that did not come "
                "from the demo (people's comments and replies): load_demo never deletes, "
                "renumbers or edits them."
            )


def _comments(count):
    return f"{count} comment" if count == 1 else f"{count} comments"
