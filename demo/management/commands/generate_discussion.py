import time

from django.core.management.base import BaseCommand, CommandError

from demo.generator import generate


class Command(BaseCommand):
    help = "Create a paper (or several) with N generated, approved comments."

    def add_arguments(self, parser):
        parser.add_argument("--comments", type=int, required=True, help="how many comments")
        parser.add_argument("--seed", type=int, default=1, help="same seed, same discussion")
        parser.add_argument("--papers", type=int, default=1, help="spread them over this many")

    def handle(self, *args, comments, seed, papers, **options):
        if comments < 0 or papers < 1:
            raise CommandError("--comments must be 0 or more and --papers 1 or more.")
        started = time.monotonic()
        made = generate(comments=comments, seed=seed, papers=papers, stdout=self.stdout)
        seconds = time.monotonic() - started
        self.stdout.write(
            f"Generated {comments} comments on {len(made)} paper(s) in {seconds:.1f} s."
        )
        self.stdout.write(made[0].get_absolute_url())
