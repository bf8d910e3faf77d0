"""Keeping the search index true: what each entry holds, and writing or deleting entries as
papers and comments change (search.receivers says when).

Only what every reader may see is indexed: a paper whose status is published (scheduled
ones too, with the time they appear, which queries compare with the clock) and its
approved comments. Everything else has no entry, so no query can find it.
"""

import html
import itertools
import re

from django.db import transaction
from django.db.models import Q

from comments.models import Comment
from comments.selectors import public_comments
from common.bulk import insert_rows
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


def _comment_values(body_html, submitted_at, paper_entry):
    """The fields of a comment's entry, but the comment's own and the kind."""
    text = plain_text(body_html)
    return {
        "paper_id": paper_entry.paper_id,
        "edition_id": paper_entry.edition_id,
        "stream_id": paper_entry.stream_id,
        "visible_from": paper_entry.visible_from,
        "dated": submitted_at,
        "heading_terms": "",
        "text_terms": indexed(text),
        "text": text,
    }


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


COMMENT_COLUMNS = ["kind", "comment", *_comment_values("", None, Entry()).keys()]


def _write_comments(comments, paper_entry):
    """Entries for the comments (those a reader finds: comments.selectors.public_comments),
    written as they are read, without a model instance each (common.bulk)."""
    read = comments.values_list("pk", "body_html", "submitted_at").iterator(chunk_size=BATCH)
    rows = (
        [Kind.COMMENT, pk, *_comment_values(body_html, submitted_at, paper_entry).values()]
        for pk, body_html, submitted_at in read
    )
    while batch := list(itertools.islice(rows, BATCH)):
        insert_rows(Entry, COMMENT_COLUMNS, batch)


@transaction.atomic
def index_comment(comment):
    """The comment's entry as it now is, and, for a top-level comment, those of its thread's
    replies, which are shown (and found) only while it is."""
    thread = (
        Q(pk=comment.pk) | Q(root_id=comment.pk) if comment.root_id is None else Q(pk=comment.pk)
    )
    Entry.objects.filter(comment__in=Comment.objects.filter(thread).values("pk")).delete()
    paper_entry = _indexed_paper(comment.paper_id)
    if paper_entry is not None:
        _write_comments(public_comments().filter(thread), paper_entry)


@transaction.atomic
def index_discussion(paper_id, comment_ids=None):
    """The paper's comment entries made again after comments were written in bulk: those of
    the comments named, or all."""
    entries = Entry.objects.filter(paper_id=paper_id, kind=Kind.COMMENT)
    comments = public_comments().filter(paper_id=paper_id)
    if comment_ids is not None:
        entries = entries.filter(comment__in=comment_ids)
        comments = comments.filter(pk__in=comment_ids)
    entries.delete()
    paper_entry = _indexed_paper(paper_id)
    if paper_entry is not None:
        _write_comments(comments, paper_entry)


def rebuild():
    """The whole index made again from the papers and comments; returns how many entries."""
    with transaction.atomic():
        Entry.objects.all().delete()
        for paper_id in Paper.objects.filter(status=Paper.Status.PUBLISHED).values_list(
            "pk", flat=True
        ):
            index_paper(paper_id)
    return Entry.objects.count()
