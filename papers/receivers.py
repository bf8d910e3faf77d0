"""What happens when papers change: the cached pages that show them go (common.page_cache).

Every write reaches these receivers however it is made (admin, services, import, shell;
comments keep a paper's comment count and so save the paper when its discussion changes).
A paper's own parts let its pages go; what many papers' pages show (editions, streams,
people) lets every shared page go, since such changes are rare. So do the raw saves of
loaddata: a fixture may overwrite what pages show, and the rows a row names may not be
loaded yet, so nothing is looked up then.
Writes that send no signal (QuerySet.update(), bulk_create(), bulk_update()) must be
followed by a save of the paper, as papers.services.paper_render and
comments.services.paper_discussion_changed do.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver

from common.page_cache import pages_changed

from .models import (
    Authorship,
    Edition,
    FigureImage,
    Paper,
    Person,
    Reference,
    Section,
    Stream,
)

ADDRESS_FIELDS = {"slug", "edition", "edition_id"}


def paper_pages_changed(paper):
    pages_changed(paper.edition.slug, paper.slug)


def saved_or_deleted(*models, dispatch_uid="pages"):
    """Connect the receiver to post_save and post_delete of each model ("<dispatch_uid>-
    <model>-saved", "...-deleted"): a row that goes changes what shows it as one that
    changes does."""

    def connect(function):
        for model in models:
            uid = f"{dispatch_uid}-{model._meta.model_name}"
            post_save.connect(function, sender=model, dispatch_uid=f"{uid}-saved")
            post_delete.connect(function, sender=model, dispatch_uid=f"{uid}-deleted")
        return function

    return connect


@receiver(pre_save, sender=Paper, dispatch_uid="paper-moving")
def paper_moving(sender, instance, raw=False, update_fields=None, **kwargs):
    """A change of slug or edition: the pages at the old address go too."""
    if raw or instance.pk is None:
        return
    if update_fields is not None and not ADDRESS_FIELDS & set(update_fields):
        return  # a save of some fields (the comment count) cannot move the paper
    before = Paper.objects.select_related("edition").filter(pk=instance.pk).first()
    if before and (before.slug, before.edition_id) != (instance.slug, instance.edition_id):
        paper_pages_changed(before)


@saved_or_deleted(Paper)
def paper_changed(sender, instance, raw=False, **kwargs):
    """The paper itself, or its discussion (comments save its count), changed."""
    if raw:
        pages_changed()
    else:
        paper_pages_changed(instance)


@saved_or_deleted(Section, Reference, Authorship, FigureImage)
def paper_part_changed(sender, instance, raw=False, **kwargs):
    """A section, reference, author or figure's image file of one paper."""
    if raw:
        pages_changed()
        return
    paper = Paper.objects.select_related("edition").filter(pk=instance.paper_id).first()
    if paper is not None:  # else the paper is being deleted, and its own receiver says so
        paper_pages_changed(paper)


@receiver(m2m_changed, sender=Paper.authors.through, dispatch_uid="paper-authors-changed")
def paper_authors_changed(sender, instance, action, **kwargs):
    """paper.authors.add()/remove()/clear(), which save no Authorship one by one (and
    person.papers..., which may touch many papers)."""
    if action.startswith("post_"):
        if isinstance(instance, Paper):
            paper_pages_changed(instance)
        else:
            pages_changed()


@saved_or_deleted(Edition, Stream, Person)
def site_part_changed(sender, instance, **kwargs):
    """An edition, stream or person, which the pages of many papers name."""
    pages_changed()
