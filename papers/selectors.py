"""Reading papers: the ones a visitor may read, and what a paper's page shows."""

import functools

from django.conf import settings

from common.page_cache import page_version
from common.site import absolute_url

from .cite import PaperCitation
from .models import Paper, Person


def readable_papers(user):
    """The papers this user may read (drafts are for staff), with what their pages name."""
    return Paper.objects.visible_to(user).select_related("edition", "stream__edition")


def paper_page_context(request, paper, *, page_path=None):
    """What the paper page shows; the discussion at its end comes from the comments app.

    page_path: the canonical address of this page of the paper (a later page of its
    discussion); the paper's own address otherwise. Its authors, sections and references are
    read only when the page's cached copy of the paper (keyed by its version) is missing.
    """
    authors = paper_authors(paper)
    return {
        "paper": paper,
        "version": page_version(paper.edition.slug, paper.slug),
        "article_seconds": settings.COLLOQUY_ARTICLE_CACHE_SECONDS,
        "canonical_url": absolute_url(page_path or paper.get_absolute_url()),
        "noindex": bool(request.GET) or request.method != "GET",
        "authors": authors,
        "citation": PaperCitation(paper, authors),
        "sections": paper.sections.all(),
        "references": paper.references.all(),
        "revised": functools.partial(paper_revised_on, paper),  # read only when drawn
    }


def paper_authors(paper):
    """The paper's authors, in their order (a queryset: read when used)."""
    return Person.objects.filter(authorships__paper=paper).order_by(
        "authorships__position", "authorships__id"
    )


def revision_times(paper):
    """[(number, created_at)] of the paper's revisions, oldest first: one query, made once
    for each paper object, so that a page's article ("Revised on") and its discussion (which
    comments were written on an earlier version) share it."""
    if not hasattr(paper, "_revision_times"):
        revisions = paper.revisions.order_by("number").values_list("number", "created_at")
        paper._revision_times = list(revisions)
    return paper._revision_times


def paper_revised_on(paper):
    """When the paper's latest revision was made, if it has been revised (has more than one
    revision); None otherwise."""
    times = revision_times(paper)
    return times[-1][1] if len(times) > 1 else None
