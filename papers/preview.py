"""A paper's Markdown document previewed before it is saved: saved as saving would save it
(import_paper, the revision) inside a transaction that is rolled back, its article drawn by
the paper page's own template (papers/paper_detail.html, its `article` partial) while the
rows exist, and its citations checked. Nothing is written: the rows made or changed are
rolled back, and what would have been done after the commit (e-mails, the page cache's
second clearing) is never done.
"""

from dataclasses import dataclass

from django.db import transaction
from django.template.loader import render_to_string

from .citations import citation_report
from .selectors import paper_page_context


@dataclass(frozen=True)
class Preview:
    article: str  # the <article> as readers will see it, sanitised as on the page
    unmatched: list  # (section heading, citation label)
    uncited: list  # the text of each reference never cited

    @property
    def citations_ok(self):
        return not self.unmatched and not self.uncited


def paper_preview(request, write):
    """The Preview of a change: write() makes it as saving would (import_paper, and what
    else saving does: the revision) and returns the paper, which is drawn and checked before
    everything is rolled back.

    Raises what write() raises (papers.importer.ImportProblem, with its line)."""
    with transaction.atomic():
        previewed = write()
        context = paper_page_context(request, previewed)
        article = render_to_string("papers/paper_detail.html#article", context, request)
        sections, references = list(previewed.sections.all()), list(previewed.references.all())
        report = citation_report(sections, references)
        preview = Preview(
            article=article,
            unmatched=list(report.unmatched),
            uncited=[str(reference) for reference in report.uncited],
        )
        transaction.set_rollback(True)
    return preview
