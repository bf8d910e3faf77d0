"""What the fuzz tests share: Hypothesis's settings for them, and a client per kind of visitor."""

import os
from contextlib import contextmanager
from http.cookies import SimpleCookie

from django.core.cache import cache
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, settings

# Modest and repeatable in the suite; COLLOQUY_FUZZ_EXAMPLES=5000 explores at random, for longer.
EXAMPLES = int(os.environ.get("COLLOQUY_FUZZ_EXAMPLES", 0))
FUZZ = settings(
    max_examples=EXAMPLES or 100,
    deadline=None,
    derandomize=not EXAMPLES,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
HUGE = "99999999999999999999"  # beyond any integer column


class Visitors:
    """One client per kind of visitor (a client loads the middleware once), each request
    made with that visitor's cookies only, whatever an earlier request left; a 500 is
    answered as one (not raised)."""

    def __init__(self, guest, **users):
        self.cookies = {guest: {}}
        for who, user in users.items():
            signed_in = Client()
            signed_in.force_login(user)
            self.cookies[who] = {key: morsel.value for key, morsel in signed_in.cookies.items()}
        self.clients = {who: Client(raise_request_exception=False) for who in self.cookies}

    def client(self, who):
        client = self.clients[who]
        client.cookies = SimpleCookie(self.cookies[who])
        return client


@contextmanager
def rolled_back():
    """Whatever the request wrote (or a database error it met) goes with the savepoint."""
    savepoint = transaction.savepoint_create()
    try:
        yield
    finally:
        transaction.savepoint_rollback(savepoint)
        cache.clear()
