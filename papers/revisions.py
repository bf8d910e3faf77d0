"""Writing revisions: a paper's saved versions, each the whole paper as one Markdown document
(papers.document), and the anchors its sections keep across them.

paper_revised is called after every save that may change a paper (the admin's Markdown
editor, the authors' edit page): it records a revision when the paper's document is not the
latest revision's. An import (papers.importer.import_paper) deletes a paper's sections and
makes them anew, so what a section was called before lives on only in the revisions: the
section at the same place keeps the anchors the earlier versions gave that place, so that a
link to "#methods" still lands on the section once it is headed "Methods and data"
(paper_detail.html draws an empty element with each former anchor inside its section).
A section renamed in place (the admin's inlines keep its row) keeps its earlier anchor
through papers.services.paper_render itself.
"""

from django.core.cache import cache
from django.db import transaction

from .document import paper_document
from .importer import ImportProblem, parse_paper
from .models import Paper, PaperRevision, Reference, Section
from .services import anchors_assign, former_anchors_settle

NOTE_LENGTH = PaperRevision._meta.get_field("note").max_length
ANCHORS_SECONDS = 30 * 24 * 3600  # a revision's anchors, kept in the cache (they never change)


@transaction.atomic
def paper_revised(paper, *, user=None, note=""):
    """Record the paper as it now is as its next revision, unless the latest revision holds
    the same document; the first revision of a paper is number 1. Returns the new revision,
    or None when nothing changed.

    user: who saved it (None, or an anonymous user: nobody known); note: what changed, in a
    line. The paper's row is locked while the number is chosen, so two saves at once make
    two revisions, one after the other. The paper is read as stored (the instance given may
    be one an import did not update).
    """
    stored = Paper.objects.select_for_update(of=("self",)).select_related("edition", "stream")
    paper = stored.get(pk=paper.pk)
    document = paper_document(paper)
    latest = paper.revisions.order_by("-number").first()
    if latest is not None and latest.document == document:
        return None
    sections_keep_anchors(paper)
    revision = PaperRevision.objects.create(
        paper=paper,
        number=latest.number + 1 if latest else 1,
        created_by=user if user is not None and user.is_authenticated else None,
        note=" ".join(note.split())[:NOTE_LENGTH],
        document=document,
    )
    paper.save(update_fields=["updated_at"])  # its page says it was revised: papers/receivers.py
    return revision


def paper_revision_baseline(paper):
    """Revision 1 of a paper that has none: the paper as it is, from the day it was made or
    published (whichever is earlier), so that every comment on it was written on a known
    version. Called before a paper is first changed by a page that keeps revisions, and by
    the data migration for papers made before revisions were kept. Returns it, or None when
    the paper already has revisions."""
    if paper.revisions.exists():
        return None
    return PaperRevision.objects.create(
        paper=paper,
        number=1,
        created_at=min(paper.created_at, paper.published_on),
        document=paper_document(paper),
    )


def revision_anchors(document):
    """The anchors a revision's document gives its sections, in order, as the paper page
    gave them then (papers.services.anchors_assign); [] for a document that no longer
    reads."""
    try:
        parsed = parse_paper(document)
    except ImportProblem:
        return []
    sections = [Section(heading=heading) for _line, heading, _body in parsed.sections]
    references = [Reference(**parts) for _line, parts in parsed.references]
    anchors_assign(sections, references)
    return [section.anchor for section in sections]


def _anchors_of_revisions(paper):
    """The anchors of each revision's sections, oldest revision first. A revision never
    changes, so what its document gives is kept in the cache, and only the revisions not
    found there are read and parsed."""
    revisions = list(paper.revisions.order_by("number").values_list("pk", "created_at"))
    ids = [pk for pk, _created_at in revisions]
    keys = {  # the time too: a database made anew may give the id to another revision
        pk: f"colloquy:revision-anchors:{pk}:{created_at.timestamp()}"
        for pk, created_at in revisions
    }
    found = cache.get_many(keys.values())
    missing = [pk for pk in ids if keys[pk] not in found]
    if missing:
        documents = PaperRevision.objects.filter(pk__in=missing).values_list("pk", "document")
        made = {keys[pk]: revision_anchors(document) for pk, document in documents.iterator()}
        cache.set_many(made, timeout=ANCHORS_SECONDS)
        found |= made
    return [found[keys[pk]] for pk in ids]


def sections_keep_anchors(paper):
    """Give the paper's sections the anchors earlier revisions gave their places.

    Walks the revisions oldest first: each anchor goes to the place (the section's index)
    that last held it; anchors the sections themselves keep (renamed in place) win. An anchor
    that is an id of the page now (a section's, a reference's) is not kept: it leads there.
    """
    sections = list(paper.sections.all())
    references = list(paper.references.all())
    claims = {}
    for anchors in _anchors_of_revisions(paper):
        for index, anchor in enumerate(anchors):
            claims[anchor] = index
    claims |= {a: i for i, section in enumerate(sections) for a in section.former_anchors}
    before = [list(section.former_anchors) for section in sections]
    former_anchors_settle(sections, references, claims)
    changed = [s for s, old in zip(sections, before, strict=True) if s.former_anchors != old]
    Section.objects.bulk_update(changed, ["former_anchors"])
