"""System checks for deployments (`manage.py check --deploy`)."""

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.checks import Tags, Warning, register


@register(Tags.caches, deploy=True)
def page_cache_is_shared(app_configs, **kwargs):
    """papers.page_cache drops a paper's cached pages in the cache it uses: with one cache per
    process, the other processes would keep serving the old page until it expires."""
    if not settings.COLLOQUY_PAGE_CACHE_SECONDS or not isinstance(caches["default"], LocMemCache):
        return []
    return [
        Warning(
            "The paper page cache is kept in the local-memory cache, one per process: with "
            "several server processes, a change made through one is not seen by the others "
            "for up to COLLOQUY_PAGE_CACHE_SECONDS.",
            hint="Set REDIS_URL so that every process shares one cache, or run one process.",
            id="colloquy.W001",
        )
    ]
