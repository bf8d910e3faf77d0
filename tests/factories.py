"""Small builders for real objects in the test database (no mocks of our own code)."""

import datetime
import itertools

from django.contrib.auth import get_user_model
from django.utils import timezone

from comments.models import Comment
from comments.services import Identity, comment_import
from papers.models import Authorship, Edition, Paper, Person, Reference, Section, Stream
from papers.services import paper_render

_n = itertools.count(1)


def make_edition(**fields):
    n = next(_n)
    defaults = {
        "name": f"Test Conference {n}",
        "year": 2026,
        "slug": f"test-{n}",
        "starts_on": datetime.date(2026, 4, 1),
        "ends_on": datetime.date(2026, 4, 30),
        "description": "A conference for tests.",
    }
    return Edition.objects.create(**{**defaults, **fields})


def make_stream(edition=None, **fields):
    n = next(_n)
    edition = edition or make_edition()
    defaults = {"name": f"Stream {n}", "slug": f"stream-{n}", "description": "A stream."}
    return Stream.objects.create(edition=edition, **{**defaults, **fields})


def make_user(username=None, *, staff=False, superuser=False, **fields):
    username = username or f"user{next(_n)}"
    defaults = {"email": f"{username}@example.org", "first_name": "", "last_name": ""}
    return get_user_model().objects.create_user(
        username=username,
        password="correct horse battery staple",
        is_staff=staff or superuser,
        is_superuser=superuser,
        **{**defaults, **fields},
    )


def make_person(display_name=None, *, user=None, **fields):
    n = next(_n)
    display_name = display_name or f"Author Number{n}"
    return Person.objects.create(display_name=display_name, slug=f"author-{n}", user=user, **fields)


def make_paper(*, stream=None, authors=(), sections=None, references=(), **fields):
    """A published paper; sections are (heading, markdown) pairs, references dicts."""
    n = next(_n)
    stream = stream or make_stream()
    defaults = {
        "title": f"A paper about things number {n}",
        "slug": f"paper-{n}",
        "thesis": "Things matter, and this paper says why.",
        "status": Paper.Status.PUBLISHED,
        "published_on": timezone.now() - datetime.timedelta(days=1),
    }
    paper = Paper.objects.create(edition=stream.edition, stream=stream, **{**defaults, **fields})
    for position, person in enumerate(authors):
        Authorship.objects.create(paper=paper, person=person, position=position)
    sections = sections if sections is not None else [("Introduction", "Some *text*.")]
    for position, (heading, body) in enumerate(sections):
        Section.objects.create(paper=paper, position=position, heading=heading, body=body)
    for position, parts in enumerate(references):
        Reference.objects.create(paper=paper, position=position, **parts)
    paper_render(paper)
    return paper


def make_comment(
    paper, *, parent=None, status=Comment.Status.APPROVED, user=None, submitted_at=None, **fields
):
    """A comment stored by comment_import, as one made elsewhere: in the status asked for (with
    the moderation event that gave it), posted now unless told; fields: other stored fields."""
    n = next(_n)
    name = fields.pop("name", None) or (user.get_full_name() or user.username if user else None)
    identity = Identity(
        name=name or f"Commenter {n}",
        email=fields.pop("email", None) or (user.email if user else f"c{n}@example.net"),
        website=fields.pop("website", ""),
        user=user,
    )
    body = fields.pop("body", None) or f"Comment number {n} with some words in it."
    return comment_import(
        paper=paper,
        identity=identity,
        body=body,
        parent=parent,
        status=status,
        submitted_at=submitted_at or timezone.now(),
        reason="made by a test",
        **fields,
    )
