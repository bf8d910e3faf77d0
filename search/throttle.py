"""How many searches one client address may make in a minute (COLLOQUY_SEARCHES_PER_MINUTE),
counted in Django's cache, so every server process counts the same searches."""

import time

from django.conf import settings
from django.core.cache import cache

from comments.tokens import client_key
from comments.visitor import client_address


def search_allowed(request):
    minute = int(time.time() // 60)
    key = f"colloquy:searches:{client_key(client_address(request))}:{minute}"
    cache.add(key, 0, timeout=120)
    try:
        made = cache.incr(key)
    except ValueError:  # gone between add and incr
        made = 1
    return made <= settings.COLLOQUY_SEARCHES_PER_MINUTE
