import copy
import re

import pytest

from comments.tokens import new_form_token


@pytest.fixture
def moderation(settings):
    """A private copy of COLLOQUY_MODERATION that a test may change."""
    settings.COLLOQUY_MODERATION = copy.deepcopy(settings.COLLOQUY_MODERATION)
    settings.COLLOQUY_MODERATION["min_seconds_to_post"] = 0
    return settings.COLLOQUY_MODERATION


@pytest.fixture
def open_moderation(moderation):
    """Guests' first comments are approved and posting quickly is allowed."""
    moderation["checks"]["first_comment"] = False
    moderation["checks"]["flood"] = False
    return moderation


@pytest.fixture
def post(client):
    """Post the comment form of a paper, as its page renders it, with these fields."""

    def send(paper, using=None, **fields):
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
        return using.post(f"/comments/post/{paper.pk}/", data)

    return send


def token_in(html):
    return re.search(r'name="token" value="([^"]+)"', html)[1]
