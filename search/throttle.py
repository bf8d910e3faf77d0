"""How many searches one client address may make in a minute (COLLOQUY_SEARCHES_PER_MINUTE)."""

import time

from django.conf import settings

from comments.tokens import client_key
from comments.visitor import client_address
from common.rates import counted


def search_allowed(request):
    minute = int(time.time() // 60)
    made = counted(f"searches:{client_key(client_address(request))}:{minute}", 120)
    return made <= settings.COLLOQUY_SEARCHES_PER_MINUTE
