from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from papers.importer import ImportProblem, decode, import_paper
from papers.revisions import paper_revised


class Command(BaseCommand):
    help = (
        "Create or update a paper from a Markdown file with front matter; the files its "
        "figures name are read from the file's directory. Each change is a new revision."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path)

    def handle(self, *args, files, **options):
        for path in files:
            try:
                with transaction.atomic():
                    paper, created = import_paper(decode(path.read_bytes()), directory=path.parent)
                    paper_revised(paper, note=f"imported from {path.name}")
            except OSError as error:
                raise CommandError(f"{path}: {error.strerror}") from None
            except ImportProblem as problem:
                raise CommandError(f"{path}: {problem} (nothing was changed)") from None
            verb = "Imported" if created else "Updated"
            self.stdout.write(f"{verb} {paper.title!r}: {paper.get_absolute_url()}")
