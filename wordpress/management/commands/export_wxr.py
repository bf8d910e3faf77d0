import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from papers.management.commands.check_citations import unknown_edition
from papers.models import Edition
from wordpress.export import export_wxr


class Command(BaseCommand):
    help = (
        "Write the papers, their figures and all their comments as a WordPress export "
        "(WXR 1.2), which WordPress's importer and import_wxr read."
    )

    def add_arguments(self, parser):
        parser.add_argument("--edition", help="only papers of the edition with this slug")
        parser.add_argument(
            "-o", "--output", type=Path, help="the file to write (standard output if not given)"
        )

    def handle(self, *args, edition=None, output=None, **options):
        if edition is not None:
            try:
                edition = Edition.objects.get(slug=edition)
            except Edition.DoesNotExist:
                raise CommandError(unknown_edition(edition)) from None
        if output is None:
            self.stdout.ending = ""  # the stream as written, no line ends added
            counts = export_wxr(self.stdout, edition=edition)
        else:
            counts = self._export_to(output, edition)
        self.stderr.write(
            f"Exported {counts.papers} paper(s), {counts.comments} comment(s) and "
            f"{counts.figures} figure(s){f' to {output}' if output else ''}.",
            style_func=self.style.SUCCESS,
        )

    def _export_to(self, path, edition):
        """Write beside `path` and put the file in its place once it is whole, so that a
        failed export never leaves a truncated file looking like a finished one."""
        partial = path.with_name(path.name + ".partial")
        try:
            with open(partial, "w", encoding="utf-8", newline="\n") as out:
                counts = export_wxr(out, edition=edition)
            os.replace(partial, path)
        except OSError as error:
            partial.unlink(missing_ok=True)
            raise CommandError(f"{error.filename or path}: {error.strerror}") from None
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        return counts
