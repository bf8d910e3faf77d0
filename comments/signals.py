"""Signals of the comments app, for apps built on it (which it does not know of)."""

from django.dispatch import Signal

# Sent (sender=Comment, paper=...) after comments of one paper were stored or changed
# without a save of each (comments_import, an import's updates): what follows each comment
# through post_save reads the paper's comments again.
comments_written_in_bulk = Signal()
