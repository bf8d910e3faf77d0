from django.core.management.base import BaseCommand, CommandError

from papers.citations import citation_report
from papers.models import Edition, Paper

KNOWN_EDITIONS_SHOWN = 10


def unknown_edition(slug):
    """The error for an --edition that names no edition, with the known slugs when few."""
    known = Edition.objects.order_by("slug").values_list("slug", flat=True)
    known = list(known[: KNOWN_EDITIONS_SHOWN + 1])
    message = f"No edition with the slug {slug!r}."
    if not known:
        return f"{message} There are no editions."
    if len(known) > KNOWN_EDITIONS_SHOWN:
        return message
    return f"{message} Known editions: {', '.join(known)}."


class Command(BaseCommand):
    help = "Report citations that match no reference, and references never cited."

    def add_arguments(self, parser):
        parser.add_argument("--edition", help="only papers of the edition with this slug")

    def handle(self, *args, edition=None, **options):
        papers = Paper.objects.prefetch_related("sections", "references").order_by("title")
        if edition is not None:
            if not Edition.objects.filter(slug=edition).exists():
                raise CommandError(unknown_edition(edition))
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
