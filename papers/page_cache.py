"""The paper page, cached whole for visitors who bring nothing personal.

A visitor who is not signed in and sends no cookie but the CSRF one (no session, so no held
comment of theirs; no remembered name; no pending message) and no query string sees exactly
what every such visitor sees, so that page is rendered once and kept in Django's cache.
Everyone else gets a fresh render. The key holds the paper's updated_at, which changes when
the paper is saved and when its discussion changes (comments.services.paper_recount), so a
moderator's decision shows at once; COLLOQUY_PAGE_CACHE_SECONDS bounds the rest (0: off).
"""

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse


def is_shared_view(request):
    return (
        request.method == "GET"
        and not request.GET
        and set(request.COOKIES) <= {settings.CSRF_COOKIE_NAME}
        and not request.user.is_authenticated
    )


def cached_paper_response(request, paper, render, *, variant="1"):
    """render() when the visitor needs their own page or the cache is cold; else the copy."""
    seconds = settings.COLLOQUY_PAGE_CACHE_SECONDS
    if not seconds or not is_shared_view(request):
        return render()
    key = f"colloquy:paper-page:{paper.pk}:{variant}:{paper.updated_at.timestamp()}"
    content = cache.get(key)
    if content is not None:
        return HttpResponse(content)
    response = render()
    if response.status_code == 200 and not response.cookies:
        cache.set(key, response.content, seconds)
    return response
