"""The site's public address (SITE_URL), for links read away from the page: canonical links
and e-mails. Taken from settings, not from the request, so a cached page names one address."""

from django.conf import settings


def absolute_url(path):
    return settings.COLLOQUY_SITE_URL.rstrip("/") + path
