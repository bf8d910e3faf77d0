"""sitemap.xml (django.contrib.sitemaps): editions, streams, published papers with their last
change, the people who wrote them, published pages. Without django.contrib.sites the
framework would take the address from the request; here every URL is on SITE_URL."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, OuterRef

from pages.models import Page
from papers.models import Authorship, Edition, Paper, Person, Stream


class SiteSitemap(Sitemap):
    def get_urls(self, page=1, site=None, protocol=None):
        address = urlsplit(settings.COLLOQUY_SITE_URL)
        domain = address.netloc + address.path.rstrip("/")
        return self._urls(page, address.scheme, domain)


class EditionSitemap(SiteSitemap):
    def items(self):
        return Edition.objects.all()


class StreamSitemap(SiteSitemap):
    def items(self):
        return Stream.objects.select_related("edition")


class PaperSitemap(SiteSitemap):
    def items(self):
        return Paper.objects.published().select_related("edition").order_by("pk")

    def lastmod(self, paper):
        return paper.updated_at


class AuthorSitemap(SiteSitemap):
    """People with at least one published paper."""

    def items(self):
        published = Authorship.objects.filter(
            person=OuterRef("pk"), paper__in=Paper.objects.published()
        )
        return Person.objects.filter(Exists(published))


class PageSitemap(SiteSitemap):
    def items(self):
        return Page.objects.published().select_related("edition").order_by("pk")

    def lastmod(self, page):
        return page.updated_at


sitemaps = {
    "editions": EditionSitemap,
    "streams": StreamSitemap,
    "papers": PaperSitemap,
    "authors": AuthorSitemap,
    "pages": PageSitemap,
}
