import re
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wordpress.importer import WordPressImport
from wordpress.wxr import WXRError


class ProgressBar:
    """A bar on the terminal (stderr), redrawn as the file is read; nothing when piped."""

    WIDTH = 30

    def __init__(self, total, stream=sys.stderr):
        self.total, self.stream = max(total, 1), stream
        self.shown = -1
        self.on = stream.isatty()

    def __call__(self, done):
        percent = min(100, done * 100 // self.total)
        if self.on and percent != self.shown:
            self.shown = percent
            filled = self.WIDTH * percent // 100
            bar = "#" * filled + "-" * (self.WIDTH - filled)
            self.stream.write(f"\r[{bar}] {percent:3d}% of {self.total / 1e6:.1f} MB")
            self.stream.flush()

    def finish(self):
        if self.on:
            self.stream.write("\n")


class Command(BaseCommand):
    help = (
        "Import a WordPress export (WXR, from Tools → Export): posts become papers, their "
        "comment threads discussions. Running it again updates what it imported."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--edition", help="The edition's slug (made when missing; default: the site's title)"
        )
        parser.add_argument(
            "--uploads",
            type=Path,
            help="A copy of the site's wp-content/uploads: figures' files are copied from it",
        )

    def handle(self, *args, file, edition=None, uploads=None, **options):
        if edition is not None and not re.fullmatch(r"[-a-zA-Z0-9_]{1,50}", edition):
            raise CommandError(
                f"--edition {edition!r}: a slug is up to 50 letters, digits, hyphens or underscores"
            )
        if uploads is not None and not uploads.is_dir():
            raise CommandError(f"--uploads {uploads}: no such directory")
        try:
            stream = file.open("rb")
        except OSError as error:
            raise CommandError(f"{file}: {error.strerror}") from None
        run = WordPressImport(edition=edition, uploads=uploads)
        bar = ProgressBar(file.stat().st_size)
        try:
            with stream:
                report = run.run(stream, progress=bar)
        except WXRError as error:
            bar.finish()
            self._summary(run.report)
            raise CommandError(
                f"{file}: {error}. Posts read before it were imported; the one being read was "
                "not written."
            ) from None
        bar.finish()
        self._summary(report)
        if report.failed:
            raise CommandError(f"{len(report.failed)} post(s) failed; the others were imported")

    def _summary(self, report):
        write = self.stdout.write
        if report.edition is not None:
            write(f"Edition: {report.edition.name} ({report.edition.slug})")
        papers = report.papers
        write(
            f"Papers: {papers['created']} created, {papers['updated']} updated, "
            f"{papers['unchanged']} unchanged"
        )
        for what in ("created", "updated", "unchanged"):
            counts = {s: n for (w, s), n in sorted(report.comments.items()) if w == what}
            if counts:
                detail = ", ".join(f"{n} {status}" for status, n in counts.items())
                write(f"Comments {what}: {sum(counts.values())} ({detail})")
        if report.skipped:
            detail = ", ".join(f"{n} {kind}" for kind, n in sorted(report.skipped.items()))
            write(f"Skipped: {detail}")
        for post_id, comment_id, parent_id in report.missing_parents:
            write(
                f"Missing parent: comment {comment_id} of post {post_id} replies to comment "
                f"{parent_id}, which is not in the export; kept as a top-level comment"
            )
        for title, text in report.unread_references:
            write(f"Reference not read as APA, kept as written, in {title!r}: {text}")
        for title, address, why in report.missing_images:
            write(f"Image in {title!r}: {address}: {why}")
        for post_id, title, why in report.failed:
            self.stderr.write(f"Post {post_id} ({title!r}) failed and was not imported: {why}")
