"""Shared fixtures for the comments tests: moderation settings, posting the form, reading a page."""

import copy
import re

import pytest

from comments.tokens import new_form_token


@pytest.fixture
def moderation_settings(settings):
    """A private copy of COLLOQUY_MODERATION that a test may change."""
    settings.COLLOQUY_MODERATION = copy.deepcopy(settings.COLLOQUY_MODERATION)
    return settings.COLLOQUY_MODERATION


@pytest.fixture
def moderation(moderation_settings):
    """A private copy of COLLOQUY_MODERATION that a test may change; forms may be posted at once."""
    moderation_settings["min_seconds_to_post"] = 0
    return moderation_settings


@pytest.fixture
def open_moderation(moderation):
    """Guests' first comments are approved and posting quickly is allowed."""
    moderation["checks"]["first_comment"] = False
    moderation["checks"]["flood"] = False
    return moderation


@pytest.fixture
def post(client):
    """Post the comment form of a paper, as its page renders it, with these fields.

    `using` is the client that posts (this test's `client` unless told); a field given as None
    is left out of the form; forwarded_for is the request's X-Forwarded-For header.
    """

    def send(paper, using=None, remote_addr="127.0.0.1", forwarded_for=None, **fields):
        using = using or client
        data = {
            "name": "Rosa Quintero",
            "email": "rosa@example.net",
            "website": "",
            "body": "A thoughtful comment about the paper.",
            "url": "",
            "parent": "",
            "token": new_form_token(),
            **fields,
        }
        data = {key: value for key, value in data.items() if value is not None}
        headers = {"HTTP_X_FORWARDED_FOR": forwarded_for} if forwarded_for else {}
        return using.post(f"/comments/post/{paper.pk}/", data, REMOTE_ADDR=remote_addr, **headers)

    return send


@pytest.fixture
def page(client):
    """The HTML of a paper's page (plus a query string) as a client sees it, this test's unless told."""

    def read(paper, query="", using=None):
        return (using or client).get(paper.get_absolute_url() + query).content.decode()

    return read


@pytest.fixture
def form_token(page):
    """The token of the comment form, as the paper's page renders it for a client."""

    def read(paper, using=None):
        return re.search(r'name="token" value="([^"]+)"', page(paper, using=using))[1]

    return read
