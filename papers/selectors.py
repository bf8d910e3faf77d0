"""Reading papers: the ones a visitor may read, and what a paper's page shows."""

from common.site import absolute_url

from .models import Paper


def readable_papers(user):
    """The papers this user may read (drafts are for staff), with what their pages name."""
    return Paper.objects.visible_to(user).select_related("edition", "stream__edition")


def paper_page_context(request, paper, *, page_path=None):
    """What the paper page shows; the discussion at its end comes from the comments app.

    page_path: the canonical address of this page of the paper (a later page of its
    discussion); the paper's own address otherwise.
    """
    return {
        "paper": paper,
        "canonical_url": absolute_url(page_path or paper.get_absolute_url()),
        "noindex": bool(request.GET) or request.method != "GET",
        "authors": [a.person for a in paper.authorships.select_related("person")],
        "sections": list(paper.sections.all()),
        "references": list(paper.references.all()),
    }
