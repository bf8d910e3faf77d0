"""Whether a paper's discussion is open and, when it is closed, since when and why.

Each edition has a rule for closing its papers' discussions (Edition.comments_close): never,
a number of days after each paper is published, or when the edition ends (at the end of its
last day in TIME_ZONE). Organisers can also close one paper's discussion by hand
(Paper.comments_open off; Paper.comments_closed_at says when), or keep it open past the
edition's rule (Paper.keep_comments_open). A discussion closed by hand stays closed whatever
else is set.

The rule is read when a page is drawn or a comment posted: nothing runs when a discussion
closes, so a cached paper page (common.page_cache) shows it closed once its copy expires,
and a post sent from an older copy is refused.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from .models import Edition

BY_HAND = "by_hand"
AFTER_DAYS = Edition.CommentsClose.AFTER_DAYS.value
AT_END = Edition.CommentsClose.AT_END.value


@dataclass(frozen=True)
class DiscussionState:
    """Open, or closed since a moment (None: closed by hand at a time not recorded), for a
    reason: BY_HAND, AFTER_DAYS (after days days) or AT_END (when edition_name ended, on
    closed_on, the edition's last day)."""

    is_open: bool
    reason: str = ""
    since: datetime.datetime | None = None
    days: int | None = None
    edition_name: str = ""

    @property
    def closed_on(self):
        """The day it closed, as a reader says it: the edition's last day for AT_END (it
        closes at midnight after it), otherwise the day of `since` in the current time zone."""
        if self.since is None:
            return None
        if self.reason == AT_END:
            since = self.since.astimezone(timezone.get_default_timezone())
            return (since - datetime.timedelta(days=1)).date()
        return timezone.localtime(self.since).date()


OPEN = DiscussionState(is_open=True)


def rule_closes_at(paper):
    """When the edition's rule closes this paper's discussion, or None if it never does."""
    edition = paper.edition
    if edition.comments_close == AFTER_DAYS and edition.comments_close_days is not None:
        return paper.published_on + datetime.timedelta(days=edition.comments_close_days)
    if edition.comments_close == AT_END:
        day_after = edition.ends_on + datetime.timedelta(days=1)
        midnight = datetime.datetime.combine(day_after, datetime.time.min)
        return timezone.make_aware(midnight, timezone.get_default_timezone())
    return None


def discussion_state(paper, now=None):
    """Whether paper's discussion is open at now (this moment by default); a DiscussionState."""
    if not paper.comments_open:
        return DiscussionState(is_open=False, reason=BY_HAND, since=paper.comments_closed_at)
    if paper.keep_comments_open:
        return OPEN
    closes_at = rule_closes_at(paper)
    if closes_at is None or (now or timezone.now()) < closes_at:
        return OPEN
    edition = paper.edition
    return DiscussionState(
        is_open=False,
        reason=edition.comments_close,
        since=closes_at,
        days=edition.comments_close_days,
        edition_name=edition.name,
    )
