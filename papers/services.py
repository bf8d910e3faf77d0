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


def anchors_assign(sections, references):
    """Give references and sections their anchors, as the paper page names them: on the
    objects, saved or not; nothing is written."""
    taken = set()
    for ref in references:
        ref.anchor = _unique(_reference_anchor(ref), taken)
    taken = {ref.anchor for ref in references} | PAGE_IDS
    for section in sections:
        section.anchor = _unique(_section_anchor(section.heading), taken)


def sections_render(sections, references, figure):
    """Anchors for references and sections, and each section's HTML (citations linked to the
    references, figures drawn by figure, a papers.figures.FigureDrawer): on the objects,
    saved or not; nothing is written. paper_render stores it; a revision's page
    (revisions.views) draws an earlier version with it."""
    anchors_assign(sections, references)
    index = CitationIndex(references)
    for section in sections:
        section.body_html = render_markdown(
            link_citations(section.body, index), trusted=True, figure=figure
        )


def former_anchors_settle(sections, references, claims):
    """Give each section the earlier anchors that lead to it.

    claims: {earlier anchor: index of the section in `sections` it now leads to}. A section
    keeps its own former_anchors unless another section claims one; an anchor that is one
    of the page's own ids now (a section's, a reference's, the page's) is dropped, so that
    no id is given twice. Changes the objects; nothing is written.
    """
    taken = {section.anchor for section in sections} | {ref.anchor for ref in references}
    taken |= PAGE_IDS
    for index, section in enumerate(sections):
        mine = [*section.former_anchors, *(a for a, i in claims.items() if i == index)]
        mine = [a for a in mine if a not in taken and claims.get(a, index) == index]
        section.former_anchors = list(dict.fromkeys(mine))


@transaction.atomic
def paper_render(paper):
    """Give sections and references their anchors and store each section's HTML.

    Called after a paper, its sections or its references change (admin, import, demo), so
    that reading a paper never renders Markdown. A section renamed in place (its row kept,
    as the admin's inlines keep it) keeps its earlier anchor in former_anchors, so that
    links to it still land on it; sections made anew by an import get theirs from the
    paper's revisions (papers.revisions.paper_revised).
    """
    references = list(paper.references.all())
    sections = list(paper.sections.all())
    before = [section.anchor for section in sections]
    sections_render(sections, references, figure_drawer(paper))
    claims = {a: i for i, section in enumerate(sections) for a in section.former_anchors}
    claims |= {
        old: i
        for i, (old, section) in enumerate(zip(before, sections, strict=True))
        if old and old != section.anchor
    }
    former_anchors_settle(sections, references, claims)
    Reference.objects.bulk_update(references, ["anchor"])
    Section.objects.bulk_update(sections, ["anchor", "former_anchors", "body_html"])
    paper.save(update_fields=["updated_at"])  # its pages go: papers/receivers.py
