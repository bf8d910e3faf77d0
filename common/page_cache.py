"""Pages cached whole for visitors who bring nothing personal.

A view marked with @shared_page answers a GET without a query string from a visitor who
sends no cookie but the CSRF one (so: not signed in, no held comment of theirs, no
remembered name, no pending message) exactly as it answers every such visitor.
SharedPageCacheMiddleware keeps that answer, headers and all, in Django's cache, and serves
it again before sessions, authentication, the view or the database are touched.

A page's key holds page_version(): the release (a digest of the templates and static files,
so a deploy that changes the look keys every page anew) and two versions kept in the cache
too: the version of the thing it shows (named by the URL arguments given to @shared_page: a
paper's edition and slug) and the site's. Parts of a page may be cached under it as well
(the paper's article: papers/templates/papers/paper_detail.html). pages_changed(edition,
slug) replaces the first, pages_changed() the second, so a change shows at once; which
changes call them is papers/receivers.py's one job (and that of two data migrations that
rewrote stored names).
COLLOQUY_PAGE_CACHE_SECONDS bounds the rest (0: off).

A value in the page that must be each visitor's own (the comment form's token, which times
the form from when this visitor got it and posts one comment) is named with
serve_fresh(): the page is kept in pieces around it, and each visitor served from the cache
gets a newly made value in its place.
Several server processes must share the cache (REDIS_URL) for a change made through one to
reach the others: the local-memory cache is one per process.
"""

import functools
import hashlib
import secrets
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.template.autoreload import get_template_directories
from django.urls import Resolver404, resolve

SITE_VERSION = "__site__"  # no URL value is written so


def shared_page(*, versioned_by):
    """Mark a view whose page is every anonymous visitor's, as the version of the thing that
    the URL arguments named in versioned_by ("edition", "slug") says it is."""

    def mark(view):
        view.shared_page_versioned_by = versioned_by
        return view

    return mark


def _version_key(*values):
    return ":".join(["colloquy:page-version", *map(str, values)])


def pages_changed(*values):
    """Render anew from the next request on the pages of the thing these URL values name
    (every shared page of the site, given none).

    The version goes now, and again once the transaction commits: a request in between sees
    the data from before the change and may have cached it under a version of its own.
    """
    key = _version_key(*values) if values else _version_key(SITE_VERSION)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


def serve_fresh(request, value, make):
    """Give each visitor served this page from the cache make() where the page shows value.

    make must be a module-level function (it is kept in the cache by reference).
    """
    request.page_cache_fresh = [*getattr(request, "page_cache_fresh", ()), (value, make)]


def _pieces(content, fresh):
    """The content cut around each fresh value, and the makers in page order; None when a
    value is not in the page exactly once."""
    found = []
    for value, make in fresh:
        value = value.encode()
        if content.count(value) != 1:
            return None
        found.append((content.index(value), len(value), make))
    pieces, makers, start = [], [], 0
    for position, length, make in sorted(found, key=lambda item: item[0]):
        pieces.append(content[start:position])
        makers.append(make)
        start = position + length
    pieces.append(content[start:])
    return pieces, makers


def _assemble(pieces, makers):
    parts = [pieces[0]]
    for make, piece in zip(makers, pieces[1:], strict=True):
        parts += [make().encode(), piece]
    return b"".join(parts)


@functools.cache
def release():
    """A digest of what every page is drawn with: the templates, the static files' names and
    the site's name, tagline, time zone and language. A deploy that changes any of them keys
    every page anew, so no page drawn by the old look outlives it. Read once per process."""
    drawn_with = (
        settings.COLLOQUY_SITE_NAME,
        settings.COLLOQUY_SITE_TAGLINE,
        settings.TIME_ZONE,
        settings.LANGUAGE_CODE,
    )
    digest = hashlib.sha256("\0".join(drawn_with).encode())
    folders = {
        *get_template_directories(),
        *(Path(a.path) / "jinja2" for a in apps.get_app_configs()),
    }
    files = [f for folder in folders if folder.is_dir() for f in folder.rglob("*") if f.is_file()]
    files.append(Path(settings.STATIC_ROOT) / "staticfiles.json")
    for path in sorted(f for f in files if f.is_file()):
        digest.update(str(path).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def page_version(*values):
    """The version of the pages of the thing these URL values name, which pages_changed()
    replaces (with the site's version and the release): what keys them and their parts."""
    keys = (_version_key(SITE_VERSION), _version_key(*values))
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            made = secrets.token_hex(8)
            cache.add(key, made, timeout=None)
            found[key] = cache.get(key) or made  # a cache that keeps nothing: a new version
    return ":".join([release(), *(found[key] for key in keys)])


def _is_shared_request(request):
    return (
        request.method == "GET"
        and not request.GET
        and set(request.COOKIES) <= {settings.CSRF_COOKIE_NAME}
    )


@functools.lru_cache(maxsize=4096)
def _versioned_by(path_info):
    """The URL values that version the shared page at this address, or None when it is not
    one: the URLconf's answer, which does not change while the process runs."""
    try:
        match = resolve(path_info)
    except Resolver404:
        return None
    names = getattr(match.func, "shared_page_versioned_by", None)
    return None if names is None else tuple(match.kwargs[name] for name in names)


def _page_key(request):
    """The cache key of the page asked for, or None when it is not a shared page."""
    if not settings.COLLOQUY_PAGE_CACHE_SECONDS or not _is_shared_request(request):
        return None
    values = _versioned_by(request.path_info)
    if values is None:
        return None
    version = page_version(*values)
    return f"colloquy:shared-page:{version}:{request.path_info}"


class SharedPageCacheMiddleware:
    """Serve a shared page from the cache; keep each one rendered for that."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = _page_key(request)
        if key is None:
            return self.get_response(request)
        if (stored := cache.get(key)) is not None:
            headers, pieces, makers = stored
            content = _assemble(pieces, makers)
            if "Content-Length" in headers:
                headers = {**headers, "Content-Length": str(len(content))}
            return HttpResponse(content, headers=headers)
        response = self.get_response(request)
        if response.status_code == 200 and not response.cookies and not response.streaming:
            cut = _pieces(response.content, getattr(request, "page_cache_fresh", ()))
            if cut is not None:
                stored = (dict(response.headers), *cut)
                cache.set(key, stored, settings.COLLOQUY_PAGE_CACHE_SECONDS)
        return response
