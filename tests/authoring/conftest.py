import datetime

import pytest
from django.test import Client
from django.utils import timezone

from tests.factories import make_edition, make_person, make_stream, make_user

PAPER = """\
---
title: Care work keeps open source alive
thesis: Maintainers' care must be shared as deliberately as the code.
abstract: One paragraph that sums the paper up.
---

## Introduction

Communities last as long as their maintainers do (Naslund et al., 2016).

## Method

We asked them.

## References

Naslund, J. A., Aschbrenner, K. A., Marsch, L. A., & Bartels, S. J. (2016). The future of mental health care. Epidemiology and Psychiatric Sciences, 25(2), 113–122. https://doi.org/10.1017/S2045796015001067
"""


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Uploaded photos go to a temporary MEDIA_ROOT (which /media/ serves)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def edition(db):
    """An edition whose call for papers is open today (it opened five days ago)."""
    today = timezone.localdate()
    return make_edition(
        name="Colloquy 2027",
        slug="colloquy-2027",
        call_opens_on=today - datetime.timedelta(days=5),
        call_closes_on=today + datetime.timedelta(days=5),
    )


@pytest.fixture
def stream(edition):
    return make_stream(edition, name="Communities", slug="communities")


@pytest.fixture
def author(db):
    """Ada, a paper author with an account."""
    return make_person("Ada Lovelace", user=make_user("ada", email="ada@example.org"))


@pytest.fixture
def author_client(client, author):
    client.force_login(author.user)
    return client


@pytest.fixture
def staff_client(db):
    client = Client()
    client.force_login(make_user("organiser", superuser=True))
    return client
