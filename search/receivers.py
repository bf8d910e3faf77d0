"""When the search index changes: at once, in the transaction of the change itself.

A paper's entry is made again when the paper, one of its sections or its byline changes,
and when a person or stream it names is renamed; a comment's when its status or text does.
Comments written in bulk say so with comments_written_in_bulk, and those it names (the
replies a deletion moved) or the paper's whole discussion (imports) are indexed again.
Deleted papers and comments take their entries with them (the foreign keys cascade). Saves
that only recount a paper's comments change nothing here.
"""

from django.db.models import QuerySet
from django.db.models.signals import m2m_changed, post_migrate, post_save
from django.dispatch import receiver

from comments.models import Comment
from comments.signals import comments_written_in_bulk
from papers.models import Authorship, Paper, Person, Section, Stream
from papers.receivers import saved_or_deleted

from . import indexing
from .models import Entry

COMMENT_TEXT_OR_STATUS = {"status", "body", "body_html", "paper", "paper_id"}


def _recount_only(update_fields):
    """A save of the paper's comment count (comments.services.paper_discussion_changed)."""
    fields = set(update_fields or ())
    return "comment_count" in fields and fields <= {"comment_count", "updated_at"}


def _deleting_paper(origin):
    """Whether a delete cascades from papers being deleted (their entries go with them)."""
    model = origin.model if isinstance(origin, QuerySet) else type(origin)
    return model is Paper


@receiver(post_save, sender=Paper, dispatch_uid="search-paper-saved")
def paper_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if not raw and not _recount_only(update_fields):
        indexing.index_paper(instance.pk)


@saved_or_deleted(Section, Authorship, dispatch_uid="search")
def paper_part_changed(sender, instance, raw=False, origin=None, **kwargs):
    if not raw and not _deleting_paper(origin):
        indexing.index_paper(instance.paper_id)


@receiver(m2m_changed, sender=Paper.authors.through, dispatch_uid="search-paper-authors")
def paper_authors_changed(sender, instance, action, pk_set=None, **kwargs):
    if not action.startswith("post_"):
        return
    paper_ids = [instance.pk] if isinstance(instance, Paper) else pk_set or ()
    for paper_id in paper_ids:
        indexing.index_paper(paper_id)


@saved_or_deleted(Person, Stream, dispatch_uid="search")
def name_changed(sender, instance, raw=False, created=False, **kwargs):
    """A person or stream renamed: the papers that name them."""
    if raw or created or instance.pk is None:
        return
    for paper_id in instance.papers.values_list("pk", flat=True):
        indexing.index_paper(paper_id)


@receiver(post_save, sender=Comment, dispatch_uid="search-comment-saved")
def comment_saved(sender, instance, raw=False, created=False, update_fields=None, **kwargs):
    if raw or (created and instance.status != Comment.Status.APPROVED):
        return
    if update_fields is None or COMMENT_TEXT_OR_STATUS & set(update_fields):
        indexing.index_comment(instance)


@receiver(comments_written_in_bulk, dispatch_uid="search-comments-in-bulk")
def comments_stored(sender, paper, comment_ids=None, **kwargs):
    indexing.index_discussion(paper.pk, comment_ids)


@receiver(post_migrate, dispatch_uid="search-fill-after-migrate")
def fill_empty_index(sender, using="default", **kwargs):
    """A site that had papers before search came gets them indexed by its next migrate."""
    if sender.name != "search" or Entry.objects.using(using).exists():
        return
    if Paper.objects.using(using).exists():
        indexing.rebuild()
