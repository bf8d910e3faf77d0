"""The site's public address (SITE_URL), for links read away from the page: canonical links
and the comment e-mails. Taken from settings, not from the request, so that a cached page
names one address whatever Host it was asked for by."""

from django.conf import settings


def absolute_url(path):
    return settings.COLLOQUY_SITE_URL.rstrip("/") + path
