"""Atom and RSS feeds (django.contrib.syndication): the latest published papers of the site,
of an edition and of a stream; the approved comments on one paper and on the whole site.

Every link is on SITE_URL (common.site.absolute_url), not on the Host a request named. No
e-mail address is ever given: authors and commenters by their names as shown
(common.names.name_as_shown). Only what a visitor may read appears: published papers
(Paper.objects.published()), approved comments on them.
"""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html

from comments.selectors import public_comments
from common.names import name_as_shown
from common.site import absolute_url
from papers.models import Edition, Paper, Stream

LATEST = 20


class SiteFeed(Feed):
    """A feed whose links (its own address too) are on SITE_URL."""

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        feed.feed["feed_url"] = absolute_url(request.path)
        return feed


# --- papers ---------------------------------------------------------------------------------


class LatestPapersRss(SiteFeed):
    title = "Latest papers"
    description = "The papers published most recently."

    def link(self, obj):
        return absolute_url(reverse("papers:home"))

    def items(self, obj):
        return Paper.objects.published().for_listing()[:LATEST]

    def item_title(self, paper):
        return paper.title

    def item_link(self, paper):
        return absolute_url(paper.get_absolute_url())

    def item_description(self, paper):
        if paper.abstract:
            return format_html("<p>{}</p><p>{}</p>", paper.thesis, paper.abstract)
        return format_html("<p>{}</p>", paper.thesis)

    def item_author_name(self, paper):
        names = [name_as_shown(a.person.display_name) for a in paper.authorships.all()]
        return ", ".join(names) or None

    def item_pubdate(self, paper):
        return paper.published_on

    def item_updateddate(self, paper):
        return paper.updated_at

    def item_categories(self, paper):
        return [paper.stream.name]


class LatestPapersAtom(LatestPapersRss):
    feed_type = Atom1Feed
    subtitle = LatestPapersRss.description


class EditionPapersRss(LatestPapersRss):
    def get_object(self, request, edition):
        return get_object_or_404(Edition, slug=edition)

    def title(self, edition):
        return f"{edition.name}: latest papers"

    def description(self, edition):
        return f"The papers of {edition.name}, newest first."

    def link(self, edition):
        return absolute_url(edition.get_absolute_url())

    def items(self, edition):
        return Paper.objects.published().filter(edition=edition).for_listing()[:LATEST]


class EditionPapersAtom(EditionPapersRss):
    feed_type = Atom1Feed

    def subtitle(self, edition):
        return self.description(edition)


class StreamPapersRss(LatestPapersRss):
    def get_object(self, request, edition, stream):
        return get_object_or_404(
            Stream.objects.select_related("edition"), edition__slug=edition, slug=stream
        )

    def title(self, stream):
        return f"{stream.name} · {stream.edition.name}: latest papers"

    def description(self, stream):
        return f"The papers of the {stream.name} stream of {stream.edition.name}, newest first."

    def link(self, stream):
        return absolute_url(stream.get_absolute_url())

    def items(self, stream):
        return Paper.objects.published().filter(stream=stream).for_listing()[:LATEST]


class StreamPapersAtom(StreamPapersRss):
    feed_type = Atom1Feed

    def subtitle(self, stream):
        return self.description(stream)


# --- comments -------------------------------------------------------------------------------


def approved_comments():
    """Approved comments of shown threads on papers a visitor may read, newest first."""
    return (
        public_comments()
        .filter(paper__in=Paper.objects.published())
        .select_related("paper__edition")
        .order_by("-submitted_at", "-pk")
    )


class LatestCommentsRss(SiteFeed):
    title = "Latest comments"
    description = "The comments approved most recently, on every paper."

    def link(self, obj):
        return absolute_url(reverse("papers:home"))

    def items(self, obj):
        return approved_comments()[:LATEST]

    def item_title(self, comment):
        return f"{name_as_shown(comment.name)} on “{comment.paper.title}”"

    def item_link(self, comment):
        return absolute_url(comment.get_absolute_url())

    def item_description(self, comment):
        return comment.body_html  # sanitised when it was stored (common.markup)

    def item_author_name(self, comment):
        return name_as_shown(comment.name)

    def item_pubdate(self, comment):
        return comment.submitted_at


class LatestCommentsAtom(LatestCommentsRss):
    feed_type = Atom1Feed
    subtitle = LatestCommentsRss.description


class PaperCommentsRss(LatestCommentsRss):
    def get_object(self, request, edition, slug):
        return get_object_or_404(
            Paper.objects.published().select_related("edition"), edition__slug=edition, slug=slug
        )

    def title(self, paper):
        return f"Comments on “{paper.title}”"

    def description(self, paper):
        return f"The discussion of “{paper.title}”, newest comments first."

    def link(self, paper):
        return absolute_url(paper.get_absolute_url())

    def items(self, paper):
        return approved_comments().filter(paper=paper)[:LATEST]

    def item_title(self, comment):
        return name_as_shown(comment.name)


class PaperCommentsAtom(PaperCommentsRss):
    feed_type = Atom1Feed

    def subtitle(self, paper):
        return self.description(paper)
