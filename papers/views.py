"""Reader-facing pages: home, edition, stream, author and paper."""

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from .models import Edition, Paper, Person, Stream
from .site import absolute_url


def _page_of(request, papers):
    paginator = Paginator(papers, settings.COLLOQUY_PAPERS_PER_PAGE)
    return paginator.get_page(request.GET.get("page"))


def home(request):
    edition = Edition.objects.first()
    context = {"edition": edition}
    if edition:
        papers = Paper.objects.visible_to(request.user).filter(edition=edition)
        context["streams"] = edition.streams.all()
        context["latest_papers"] = papers.for_listing()[:6]
    return render(request, "papers/home.html", context)


def edition_detail(request, edition):
    edition = get_object_or_404(Edition, slug=edition)
    papers = Paper.objects.visible_to(request.user).filter(edition=edition).for_listing()
    context = {
        "edition": edition,
        "streams": edition.streams.all(),
        "page_obj": _page_of(request, papers),
    }
    return render(request, "papers/edition_detail.html", context)


def stream_detail(request, edition, stream):
    stream = get_object_or_404(
        Stream.objects.select_related("edition"), edition__slug=edition, slug=stream
    )
    papers = Paper.objects.visible_to(request.user).filter(stream=stream).for_listing()
    context = {"edition": stream.edition, "stream": stream, "page_obj": _page_of(request, papers)}
    return render(request, "papers/stream_detail.html", context)


def author_detail(request, slug):
    person = get_object_or_404(Person, slug=slug)
    papers = Paper.objects.visible_to(request.user).filter(authors=person).for_listing()
    return render(
        request,
        "papers/author_detail.html",
        {"person": person, "page_obj": _page_of(request, papers)},
    )


def get_paper(request, edition, slug):
    """The paper at this address, if this visitor may read it (drafts are for staff)."""
    papers = Paper.objects.visible_to(request.user).select_related("edition", "stream__edition")
    return get_object_or_404(papers, edition__slug=edition, slug=slug)


def paper_context(request, paper, *, page_path=None):
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


def render_paper_page(request, paper, *, comments_page=1, page_path=None):
    """The paper page, showing page comments_page of its discussion.

    Visitors who bring nothing personal get it from papers.page_cache when it is there.
    """
    context = {**paper_context(request, paper, page_path=page_path), "comments_page": comments_page}
    return render(request, "papers/paper_detail.html", context)


def paper_detail(request, edition, slug):
    return render_paper_page(request, get_paper(request, edition, slug))
