"""System checks for deployments (`manage.py check --deploy`)."""

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.checks import Tags, Warning, register
from django.http.request import validate_host


@register(Tags.caches, deploy=True)
def page_cache_is_shared(app_configs, **kwargs):
    """common.page_cache drops a paper's cached pages (and its kept article) in the cache it
    uses: with one cache per process, the other processes would keep serving the old ones
    until they expire."""
    caching = settings.COLLOQUY_PAGE_CACHE_SECONDS or settings.COLLOQUY_ARTICLE_CACHE_SECONDS
    if not caching or not isinstance(caches["default"], LocMemCache):
        return []
    return [
        Warning(
            "The paper page cache is kept in the local-memory cache, one per process: with "
            "several server processes, a change made through one is not seen by the others "
            "for up to COLLOQUY_PAGE_CACHE_SECONDS (COLLOQUY_ARTICLE_CACHE_SECONDS for the "
            "paper's article).",
            hint="Set REDIS_URL so that every process shares one cache, or run one process.",
            id="colloquy.W001",
        )
    ]


def _is_local(host):
    """localhost, a loopback address or the unspecified address: no reader can follow it."""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def _site_url_problems(url):
    """What is wrong with SITE_URL as the public address links are made on (absolute_url)."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        parts.port  # noqa: B018 (raises ValueError for a port that is not a number)
    except ValueError:
        return [f"SITE_URL ({url!r}) is not a web address."]
    if parts.scheme not in ("http", "https") or not host:
        return [f"SITE_URL ({url!r}) is not an absolute http(s) address."]
    if _is_local(host):
        return [
            f"SITE_URL is {url!r}, a local address (the default is http://127.0.0.1:8000): "
            "every link in the e-mails sent, and every canonical link, points at it."
        ]
    problems = []
    if not url.isascii():
        problems.append(
            f"SITE_URL ({url!r}) is not ASCII: e-mail headers such as List-Unsubscribe "
            "cannot carry it. Write an internationalised host name in its xn-- form."
        )
    if parts.scheme != "https":
        problems.append(
            f"SITE_URL ({url!r}) is not https: links in e-mails send readers to an "
            "unencrypted address (which SECURE_SSL_REDIRECT then redirects)."
        )
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username:
        problems.append(
            f"SITE_URL ({url!r}) has more than a scheme, host and port: the site's paths "
            "are added to it, so links would point below that path."
        )
    if not validate_host(host, settings.ALLOWED_HOSTS):
        problems.append(
            f"SITE_URL's host {host!r} is not in ALLOWED_HOSTS: the site would answer "
            "every link made on it with 400 Bad Request."
        )
    return problems


@register(Tags.security, deploy=True)
def site_url_is_public(app_configs, **kwargs):
    """Links in e-mails and canonical links are made on SITE_URL, not on the request's host,
    so a production server left with the development default sends everyone to 127.0.0.1."""
    if settings.DEBUG:
        return []
    return [
        Warning(
            problem,
            hint="Set SITE_URL to the site's public address, e.g. https://conference.example.org.",
            id="colloquy.W002",
        )
        for problem in _site_url_problems(settings.COLLOQUY_SITE_URL)
    ]
