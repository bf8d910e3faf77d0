"""What happens when pages change: every cached page goes (common.page_cache), since the
navigation of every page lists them (pages/navigation.py)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from common.page_cache import pages_changed

from .models import Page


@receiver(post_save, sender=Page, dispatch_uid="page-saved")
@receiver(post_delete, sender=Page, dispatch_uid="page-deleted")
def page_changed(sender, instance, **kwargs):
    pages_changed()
