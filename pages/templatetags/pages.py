"""{% page_navigation as nav %} for the site's layout, and {% edition_pages edition as pages %}
for an edition's page.

The layout (templates/base.html) names no model: the edition a page belongs to is found in
its context (an edition, or the edition of its paper, stream or page), so every page of an
edition, its paper pages included, shows that edition's pages without its view knowing.
"""

from dataclasses import dataclass, field

from django import template

from papers.models import Edition

from ..models import Page
from ..navigation import navigation_links

register = template.Library()


@dataclass
class Navigation:
    site: list = field(default_factory=list)
    edition: Edition | None = None
    edition_links: list = field(default_factory=list)


def _edition_of(context):
    edition = context.get("edition")
    if isinstance(edition, Edition):
        return edition
    for name in ("paper", "stream", "page"):
        edition = getattr(context.get(name), "edition", None)
        if isinstance(edition, Edition):
            return edition
    return None


@register.simple_tag(takes_context=True)
def page_navigation(context):
    """The links of the site's pages, and the edition this page belongs to with its pages'."""
    links = navigation_links()
    edition = _edition_of(context)
    return Navigation(
        site=links.get(None, []),
        edition=edition,
        edition_links=links.get(edition.pk, []) if edition else [],
    )


@register.simple_tag(takes_context=True)
def edition_pages(context, edition):
    """Every page of the edition this visitor may read (drafts for staff), in order."""
    request = context.get("request")
    if request is None:
        return Page.objects.none()
    return Page.objects.visible_to(request.user).filter(edition=edition)
