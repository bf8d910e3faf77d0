"""Signals of the comments app, for apps built on it (which it does not know of)."""

from django.dispatch import Signal

# Sent (sender=Comment, paper=..., comment_ids=...) after comments of one paper were stored
# or changed without a save of each: comment_ids those (a deletion's moved replies), or None
# for any of the paper's (comments_import, an import's updates). What follows each comment
# through post_save reads them again.
comments_written_in_bulk = Signal()
