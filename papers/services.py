"""Writing papers: rendering their sections (figures and citations too) once, when they are
saved."""

import re

from django.db import transaction
from django.utils.text import slugify

from common.markup import render_markdown

from .apa import surnames
from .citations import CitationIndex, link_citations
from .figures import figure_drawer
from .models import Reference, Section

# Ids the paper page gives its own parts (base.html, paper_detail.html, the discussion).
PAGE_IDS = {
    "content",
    "paper-title",
    "toc-heading",
    "bibliography",
    "comments",
    "comments-title",
    "respond",
    "reply-title",
    "cancel-comment-reply-link",
    "commentform",
    "unposted-body",
}


def _section_anchor(heading):
    """A heading's slug, kept clear of the ids of comments (comment-N), figures (figure-N)
    and form fields (id_x)."""
    anchor = slugify(heading) or "section"
    return f"section-{anchor}" if anchor.startswith(("comment-", "figure-", "id_")) else anchor


def _reference_anchor(reference):
    """The first author's surname and the year after "ref-", as a slug: ref-tan-in-press-a.

    The year is written as citations write it, spaces, full stops and slashes included
    ("in press", "n.d.-a", "1923/2004"), so it is made a slug too: an HTML id has no spaces.
    A reference kept as written is named by its first words.
    """
    if reference.text:
        return "ref-" + (slugify(" ".join(reference.text.split()[:2])) or "unread")
    name = surnames(reference.authors)[0]
    name = slugify(name) or slugify(name, allow_unicode=True)
    year = slugify(re.sub(r"[/\u2010-\u2015]", "-", re.sub(r"\.\s+", ".", reference.year)))
    return "-".join(part for part in ("ref", name, year) if part)


ANCHOR_LENGTH = 100  # anchors are stored in 120 characters, with room for a "-N" suffix


def _unique(base, taken):
    base = base[:ANCHOR_LENGTH].rstrip("-")
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate


@transaction.atomic
def paper_render(paper):
    """Give sections and references their anchors and store each section's HTML.

    Called after a paper, its sections or its references change (admin, import, demo), so
    that reading a paper never renders Markdown.
    """
    references = list(paper.references.all())
    taken = set()
    for ref in references:
        ref.anchor = _unique(_reference_anchor(ref), taken)
    index = CitationIndex(references)
    sections = list(paper.sections.all())
    taken = {ref.anchor for ref in references} | PAGE_IDS
    figure = figure_drawer(paper)
    for section in sections:
        section.anchor = _unique(_section_anchor(section.heading), taken)
        section.body_html = render_markdown(
            link_citations(section.body, index), trusted=True, figure=figure
        )
    Reference.objects.bulk_update(references, ["anchor"])
    Section.objects.bulk_update(sections, ["anchor", "body_html"])
    paper.save(update_fields=["updated_at"])  # its pages go: papers/receivers.py
