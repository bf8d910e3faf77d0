"""Reader-facing pages: home, the editions, an edition, stream, author and paper."""

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from common.page_cache import shared_page

from .models import Edition, Paper, Person, Stream
from .selectors import paper_page_context, readable_papers


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


def call_for_papers(edition, today):
    """Where the edition's call for papers stands today: "upcoming", "open" (both dates
    included) or "closed"; None when the edition does not have both dates."""
    opens, closes = edition.call_opens_on, edition.call_closes_on
    if opens is None or closes is None:
        return None
    if today < opens:
        return "upcoming"
    return "open" if today <= closes else "closed"


def edition_list(request):
    """Every edition, newest first, with the number of its papers this visitor may read."""
    counted = None
    if not request.user.is_staff:
        counted = Q(papers__status=Paper.Status.PUBLISHED, papers__published_on__lte=timezone.now())
    editions = Edition.objects.annotate(paper_count=Count("papers", filter=counted)).order_by(
        *Edition._meta.ordering  # which a query that counts does not apply by itself
    )
    return render(request, "papers/edition_list.html", {"editions": editions})


def edition_detail(request, edition):
    edition = get_object_or_404(Edition, slug=edition)
    papers = Paper.objects.visible_to(request.user).filter(edition=edition).for_listing()
    context = {
        "edition": edition,
        "call": call_for_papers(edition, timezone.localdate()),
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


@shared_page(versioned_by=("edition", "slug"))
def paper_detail(request, edition, slug):
    """A paper, with the first page of its discussion (the comments app's discussion tag)."""
    paper = get_object_or_404(readable_papers(request.user), edition__slug=edition, slug=slug)
    return render(request, "papers/paper_detail.html", paper_page_context(request, paper))
