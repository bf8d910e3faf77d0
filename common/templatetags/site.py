"""{% site_name %}: the site's name (COLLOQUY_SITE_NAME) where no request is at hand, in
e-mails. Pages have it as site_title, with site_tagline (common.context_processors.site)."""

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def site_name():
    return settings.COLLOQUY_SITE_NAME
