"""Keeping the search index true: what each entry holds, and writing or deleting entries as
papers and comments change (search.receivers says when).

Only what every reader may see is indexed: a paper whose status is published (scheduled
ones too, with the time they appear, which queries compare with the clock) and its
approved comments. Everything else has no entry, so no query can find it.
"""

import html
import re

from django.db import transaction

from comments.models import Comment
from papers.models import Paper

from .analysis import indexed
from .models import Entry

Kind = Entry.Kind
TAG = re.compile(r"<[^>]*>")
BATCH = 1000


def plain_text(stored_html):
    """The text of HTML this site sanitised itself (so a tag is never inside an attribute)."""
    return " ".join(html.unescape(TAG.sub(" ", stored_html)).split())


def _paper_entry(paper):
    authors = ", ".join(str(person) for person in paper.author_list)
    sections = [f"{s.heading}. {plain_text(s.body_html)}" for s in paper.sections.all()]
    text = "\n".join(filter(None, [paper.thesis, paper.abstract, *sections]))
    return Entry(
        kind=Kind.PAPER,
        paper=paper,
        edition_id=paper.edition_id,
        stream_id=paper.stream_id,
        visible_from=paper.published_on,
        dated=paper.published_on,
        heading_terms=indexed(f"{paper.title}\n{paper.thesis}"),
        text_terms=indexed(f"{text}\n{authors}\n{paper.stream.name}"),
        text=text,
    )


def _comment_entry(comment, paper_entry):
    text = plain_text(comment.body_html)
    return Entry(
        kind=Kind.COMMENT,
        paper_id=comment.paper_id,
        comment=comment,
        edition_id=paper_entry.edition_id,
        stream_id=paper_entry.stream_id,
        visible_from=paper_entry.visible_from,
        dated=comment.submitted_at,
        heading_terms="",
        text_terms=indexed(text),
        text=text,
    )


def _indexed_paper(paper_id):
    return Entry.objects.filter(paper_id=paper_id, kind=Kind.PAPER).first()


@transaction.atomic
def index_paper(paper_id):
    """The paper's entry made again from what it says now. Its comments' entries follow
    where it is shown (edition, stream, from when); a paper no longer published takes them
    all out, one published again brings them back."""
    paper = (
        Paper.objects.select_related("stream")
        .prefetch_related("authorships__person", "sections")
        .filter(pk=paper_id)
        .first()
    )
    before = _indexed_paper(paper_id)
    if paper is None or paper.status != Paper.Status.PUBLISHED:
        Entry.objects.filter(paper_id=paper_id).delete()
        return
    entry = _paper_entry(paper)
    if before is not None:
        before.delete()
    entry.save()
    if before is None:
        index_discussion(paper_id)
    elif (before.edition_id, before.stream_id, before.visible_from) != (
        entry.edition_id,
        entry.stream_id,
        entry.visible_from,
    ):
        Entry.objects.filter(paper_id=paper_id, kind=Kind.COMMENT).update(
            edition_id=entry.edition_id,
            stream_id=entry.stream_id,
            visible_from=entry.visible_from,
        )


@transaction.atomic
def index_comment(comment):
    """The comment's entry as it now is: there when it is approved on an indexed paper."""
    Entry.objects.filter(comment_id=comment.pk).delete()
    if comment.status != Comment.Status.APPROVED:
        return
    paper_entry = _indexed_paper(comment.paper_id)
    if paper_entry is not None:
        _comment_entry(comment, paper_entry).save()


@transaction.atomic
def index_discussion(paper_id):
    """Every comment entry of the paper made again (after comments were written in bulk)."""
    Entry.objects.filter(paper_id=paper_id, kind=Kind.COMMENT).delete()
    paper_entry = _indexed_paper(paper_id)
    if paper_entry is None:
        return
    approved = (
        Comment.objects.approved()
        .filter(paper_id=paper_id)
        .only("pk", "paper_id", "body_html", "submitted_at")
    )
    batch = []
    for comment in approved.iterator(chunk_size=BATCH):
        batch.append(_comment_entry(comment, paper_entry))
        if len(batch) >= BATCH:
            Entry.objects.bulk_create(batch)
            batch.clear()
    Entry.objects.bulk_create(batch)


def rebuild():
    """The whole index made again from the papers and comments; returns how many entries."""
    with transaction.atomic():
        Entry.objects.all().delete()
        for paper_id in Paper.objects.filter(status=Paper.Status.PUBLISHED).values_list(
            "pk", flat=True
        ):
            index_paper(paper_id)
    return Entry.objects.count()
