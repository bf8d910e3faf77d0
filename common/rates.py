"""Counting what a client does in a period, in Django's cache, so that every server process
counts the same requests (with REDIS_URL) and none keeps a count of its own."""

from django.core.cache import cache


def _counted(key, seconds):
    """Count one more under key, for `seconds` from the first; the count so far."""
    key = f"colloquy:count:{key}"
    cache.add(key, 0, timeout=seconds)
    try:
        return cache.incr(key)
    except ValueError:  # gone between add and incr: this one is the first again
        cache.add(key, 1, timeout=seconds)
        return 1


def within_rate(key, most, seconds):
    """Count one more under key: whether that makes at most `most` in `seconds` from the
    first."""
    return _counted(key, seconds) <= most
