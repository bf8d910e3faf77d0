from django.core.management.base import BaseCommand

from papers.citations import citation_report
from papers.models import Paper


class Command(BaseCommand):
    help = "Report citations that match no reference, and references never cited."

    def add_arguments(self, parser):
        parser.add_argument("--edition", help="only papers of the edition with this slug")

    def handle(self, *args, edition=None, **options):
        papers = Paper.objects.prefetch_related("sections", "references").order_by("title")
        if edition:
            papers = papers.filter(edition__slug=edition)
        problems = 0
        for paper in papers:
            report = citation_report(paper.sections.all(), paper.references.all())
            if report.ok:
                continue
            self.stdout.write(f"{paper.title} ({paper.get_absolute_url()})")
            for heading, text in report.unmatched:
                self.stdout.write(f"  unmatched citation in {heading!r}: ({text})")
            for reference in report.uncited:
                self.stdout.write(f"  never cited: {reference}")
            problems += len(report.unmatched) + len(report.uncited)
        summary = f"{problems} citation problem(s) found."
        self.stdout.write(self.style.WARNING(summary) if problems else self.style.SUCCESS(summary))
        if problems:
            raise SystemExit(1)
