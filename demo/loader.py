"""Loads the demo conference in demo/content/: the edition, its papers and their discussions.

Papers go through the same importer as `manage.py import_paper`; comments are built by the
same service as posted ones and stored as approved, as a discussion that has been moderated.
The comments in moderation.toml are then posted through the moderation pipeline itself, so
the moderation queue has work in it, each comment held for the reasons the checks give.
"""

import datetime
import tomllib
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from comments.models import Comment
from comments.services import (
    Identity,
    comment_build,
    comment_create,
    comment_store,
    paper_recount,
)
from papers.importer import import_paper
from papers.models import Edition, Stream

CONTENT = Path(__file__).resolve().parent / "content"


def _load_edition():
    data = tomllib.loads((CONTENT / "edition.toml").read_text(encoding="utf-8"))
    edition, _ = Edition.objects.update_or_create(
        slug=data["slug"],
        defaults={
            "name": data["name"],
            "year": data["year"],
            "starts_on": data["starts_on"],
            "ends_on": data["ends_on"],
            "description": data["description"].strip(),
        },
    )
    for position, stream in enumerate(data["streams"]):
        Stream.objects.update_or_create(
            edition=edition,
            slug=stream["slug"],
            defaults={
                "name": stream["name"],
                "description": stream["description"],
                "position": position,
            },
        )
    return edition


def _author_accounts(paper):
    """Each author gets an account (no password until an admin sets one) to sign replies."""
    users = get_user_model().objects
    for person in paper.author_list:
        if person.user is None:
            person.user, _ = users.get_or_create(
                username=person.slug,
                defaults={
                    "email": f"{person.slug}@example.org",
                    "first_name": person.display_name.rsplit(" ", 1)[0],
                    "last_name": person.display_name.rsplit(" ", 1)[-1],
                },
            )
            person.save(update_fields=["user"])


def _identity(paper, entry):
    if entry.get("by_author"):
        author = paper.author_list[0].user
        return Identity(name=author.get_full_name(), email=author.email, user=author)
    return Identity(entry["name"], entry["email"], entry.get("website", ""))


def _store_thread(paper, entries, *, parent, clock):
    for entry in entries:
        identity = _identity(paper, entry)
        comment = comment_build(
            paper=paper, identity=identity, body=entry["body"].strip(), parent=parent
        )
        comment.status = Comment.Status.APPROVED
        clock[0] += datetime.timedelta(hours=7, minutes=13)
        comment.submitted_at = comment.status_changed_at = clock[0]
        comment_store(comment)
        _store_thread(paper, entry.get("replies", []), parent=comment, clock=clock)


def _load_discussion(paper):
    path = CONTENT / "discussions" / f"{paper.slug}.toml"
    if not path.exists():
        return
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    paper.comments.all().delete()
    _store_thread(paper, data.get("comments", []), parent=None, clock=[paper.published_on])
    paper_recount(paper)


def _post_submissions(papers):
    """Post moderation.toml's comments through the pipeline, as a visitor would."""
    data = tomllib.loads((CONTENT / "moderation.toml").read_text(encoding="utf-8"))
    by_slug = {paper.slug: paper for paper in papers}
    for entry in data["submissions"]:
        paper = by_slug[entry["paper"]]
        parent = None
        if email := entry.get("in_reply_to"):
            parent = paper.comments.filter(email=email).order_by("-submitted_at").first()
        comment_create(
            paper=paper, identity=_identity(paper, entry), body=entry["body"].strip(), parent=parent
        )


@transaction.atomic
def load_demo():
    """Create or refresh the demo edition; returns its papers."""
    _load_edition()
    papers = []
    for path in sorted((CONTENT / "papers").glob("*.md")):
        paper, _created = import_paper(path.read_text(encoding="utf-8"))
        _author_accounts(paper)
        _load_discussion(paper)
        papers.append(paper)
    _post_submissions(papers)
    return papers
