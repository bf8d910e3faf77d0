"""What the navigation of every page lists: the site's pages, and the pages of the edition the
page belongs to (published, "listed in the navigation", in their order).

All of them are read in one query and kept in the cache under the site's page version
(common.page_cache.page_version), which a change to any page (pages/receivers.py) or edition
(papers/receivers.py) replaces: a page drawn again costs no query for its navigation.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from common.page_cache import page_version

from .models import Page


@dataclass(frozen=True)
class Link:
    title: str
    url: str


def navigation_links():
    """{edition id, or None for the site's own pages: [Link, ...]}."""
    key = f"colloquy:page-navigation:{page_version()}"
    links = cache.get(key)
    if links is None:
        links = {}
        for page in Page.objects.in_navigation().select_related("edition"):
            links.setdefault(page.edition_id, []).append(Link(page.title, page.get_absolute_url()))
        cache.set(key, links, settings.COLLOQUY_ARTICLE_CACHE_SECONDS or None)
    return links
