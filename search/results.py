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
    """The hits of the page asked for are read with their total, in one query; a page past
    the last is counted apart (the paginator then asks for the last)."""

    def __init__(self, query, filters, *, per_page, number):
        self.query, self.filters, self.index = query, filters, index()
        self.first_asked = slice((number - 1) * per_page, number * per_page)

    @cached_property
    def _asked(self):
        return self._find(self.first_asked)

    def _find(self, page):
        return self.index.find(self.query, self.filters, page.start, page.stop - page.start)

    def count(self):
        ids, total = self._asked
        if not ids and self.first_asked.start:
            return self.index.count(self.query, self.filters)
        return total

    def __getitem__(self, page):
        asked = self.first_asked  # the paginator cuts the last page short
        if page.start == asked.start and page.stop <= asked.stop:
            ids = self._asked[0][: page.stop - page.start]
        else:
            ids = self._find(page)[0]
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
