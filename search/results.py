"""A search as the results page shows it: the hits of one page, each with its paper, and
how many there are in all (a sequence Django's Paginator can page through)."""

from dataclasses import dataclass
from functools import cached_property

from django.db.models import Prefetch

from papers.models import Authorship

from .backends import index
from .models import Entry
from .snippets import snippet

TITLE_WORDS = 60  # a title is shown whole
UNSHOWN = [
    "heading_terms",
    "text_terms",
    "vector",
    *(f"comment__{name}" for name in ("body", "body_html", "sketch", "text_hash", "email")),
]


@dataclass(frozen=True)
class Hit:
    entry: Entry
    title: str  # HTML: the paper's title, the words asked for marked
    snippet: str  # HTML

    @property
    def paper(self):
        return self.entry.paper

    @property
    def comment(self):
        return self.entry.comment

    @property
    def url(self):
        return (self.comment or self.paper).get_absolute_url()


class Results:
    def __init__(self, query, filters):
        self.query, self.filters, self.index = query, filters, index()

    @cached_property
    def _count(self):
        return self.index.count(self.query, self.filters)

    def count(self):
        return self._count

    def __len__(self):
        return self._count

    def __getitem__(self, page):
        ids = self.index.find(self.query, self.filters, page.start, page.stop - page.start)
        entries = (
            Entry.objects.filter(id__in=ids)
            .select_related("paper__edition", "paper__stream", "comment")
            .defer(*UNSHOWN)
        )
        byline = Authorship.objects.select_related("person")
        entries = entries.prefetch_related(Prefetch("paper__authorships", queryset=byline))
        by_id = {entry.id: entry for entry in entries}
        return [self._hit(by_id[i]) for i in ids if i in by_id]

    def _hit(self, entry):
        title = snippet(entry.paper.title, self.query, size=TITLE_WORDS)
        return Hit(entry, title, snippet(entry.text, self.query))
