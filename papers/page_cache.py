"""The paper page, cached whole for visitors who bring nothing personal.

A GET without a query string from a visitor who sends no cookie but the CSRF one (so: not
signed in, no held comment of theirs, no remembered name, no pending message) is answered
exactly as every such visitor's is. PaperPageCacheMiddleware keeps that answer, headers and
all, in Django's cache, and serves it again before sessions, authentication, the view or
the database are touched.

The key of a paper's pages holds the paper's version, which is kept in the cache too;
paper_page_changed() replaces it whenever the paper or its discussion changes (a save of the
paper, paper_render, comments.services.paper_recount), so a moderator's decision shows at
once. COLLOQUY_PAGE_CACHE_SECONDS bounds the rest (0: off).

A value in the page that must be each visitor's own (the comment form's token, which times
the form from when this visitor got it and posts one comment) is named with
serve_fresh(): the page is kept in pieces around it, and each visitor served from the cache
gets a newly made value in its place.
Several server processes must share the cache (REDIS_URL) for a change made through one to
reach the others: the local-memory cache is one per process.
"""

import secrets

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.urls import Resolver404, resolve

# The pages that show a paper: its own address and the later pages of its discussion.
PAPER_PAGES = {"papers:paper", "comments:page"}


def _version_key(edition_slug, slug):
    return f"colloquy:paper-version:{edition_slug}:{slug}"


def paper_page_changed(paper):
    """Render the paper's pages anew from the next request on.

    The version goes now, and again once the transaction commits: a request in between sees
    the data from before the change and may have cached it under a version of its own.
    """
    key = _version_key(paper.edition.slug, paper.slug)
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


def _paper_version(edition_slug, slug):
    key = _version_key(edition_slug, slug)
    version = cache.get(key)
    if version is None:
        cache.add(key, secrets.token_hex(8), timeout=None)
        version = cache.get(key)
    return version


def _is_shared_request(request):
    return (
        request.method == "GET"
        and not request.GET
        and set(request.COOKIES) <= {settings.CSRF_COOKIE_NAME}
    )


def _page_key(request):
    """The cache key of the page asked for, or None when it is not a shared paper page."""
    if not settings.COLLOQUY_PAGE_CACHE_SECONDS or not _is_shared_request(request):
        return None
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    if match.view_name not in PAPER_PAGES:
        return None
    version = _paper_version(match.kwargs["edition"], match.kwargs["slug"])
    return f"colloquy:paper-page:{version}:{request.path_info}"


class PaperPageCacheMiddleware:
    """Serve a shared paper page from the cache; keep each one rendered for that."""

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
