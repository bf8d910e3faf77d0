"""The moderation pipeline: every new comment passes these checks, in order.

Each check looks at one Submission and returns None (nothing to say) or a Finding: a verdict
(allow < hold < spam < refuse) with a reason a moderator can read. The refusals run first,
before the text is rendered; then the strongest verdict of the other checks wins and every
finding is stored with the comment. Settings (COLLOQUY_MODERATION) switch
each check on or off and set its thresholds.

Staff, moderators, and paper authors on their own papers are trusted: flood, copy-paste and
every hold that judges trust are skipped for them. The duplicate checks (the same person
saying the same thing twice on one paper) are not about trust (the typical double post is an
author's accident), so they apply to everyone.
"""

import datetime
from dataclasses import dataclass, field
from enum import IntEnum

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from .fingerprints import similarity
from .models import Comment, ModerationWord

Status = Comment.Status


class Verdict(IntEnum):
    ALLOW = 0
    HOLD = 1
    SPAM = 2
    REFUSE = 3


@dataclass(frozen=True)
class Finding:
    check: str
    verdict: Verdict
    message: str
    related: Comment | None = None
    http_status: int = 400


@dataclass
class Submission:
    """A built, unsaved comment and what is known about how it was posted."""

    comment: Comment
    trusted: bool = False
    client_key: str = ""
    seconds_to_post: float | None = None
    honeypot: str = ""


@dataclass
class Outcome:
    verdict: Verdict
    findings: list = field(default_factory=list)


def option(name):
    return settings.COLLOQUY_MODERATION[name]


def _same_person(comment):
    return Q(user=comment.user) if comment.user_id else Q(email=comment.email)


def _earlier_by_same_person(comment):
    """Their other comments on the paper (an edited comment is not its own duplicate)."""
    earlier = Comment.objects.filter(
        _same_person(comment),
        paper=comment.paper,
        status__in=[Status.APPROVED, Status.PENDING],
    )
    return earlier.exclude(pk=comment.pk) if comment.pk else earlier


def exact_duplicate(sub):
    earlier = (
        _earlier_by_same_person(sub.comment)
        .filter(text_hash=sub.comment.text_hash)
        .order_by("submitted_at")
        .first()
    )
    if earlier is None:
        return None
    return Finding(
        "exact_duplicate",
        Verdict.REFUSE,
        "Duplicate comment detected; it looks as though you've already said that!",
        related=earlier,
    )


def near_duplicate(sub):
    threshold = option("near_duplicate_threshold")
    candidates = _earlier_by_same_person(sub.comment).only("id", "sketch")
    best, best_score = None, 0.0
    for earlier in candidates:
        score = similarity(sub.comment.sketch, earlier.sketch)
        if score > best_score:
            best, best_score = earlier, score
    if best is None or best_score < threshold:
        return None
    return Finding(
        "near_duplicate",
        Verdict.HOLD,
        f"near-duplicate of #{best.pk} ({best_score:.0%} similar)",
        related=best,
    )


def copy_paste(sub):
    """The same or near-same text from another identity, or on another paper, lately."""
    if sub.trusted:
        return None
    comment = sub.comment
    since = timezone.now() - datetime.timedelta(hours=option("copy_paste_window_hours"))
    recent = Comment.objects.filter(submitted_at__gte=since).exclude(
        _same_person(comment) & Q(paper=comment.paper)
    )
    exact = recent.filter(text_hash=comment.text_hash).order_by("-submitted_at").first()
    if exact:
        return Finding(
            "copy_paste",
            Verdict.HOLD,
            f"suspected spam: same text as #{exact.pk}, posted elsewhere",
            exact,
        )
    threshold = option("near_duplicate_threshold")
    newest = recent.order_by("-submitted_at").only("id", "sketch")[: option("copy_paste_scan")]
    for other in newest:
        score = similarity(comment.sketch, other.sketch)
        if score >= threshold:
            return Finding(
                "copy_paste",
                Verdict.HOLD,
                f"suspected spam: {score:.0%} like #{other.pk}, posted elsewhere",
                other,
            )
    return None


def flood(sub):
    if sub.trusted:
        return None
    since = timezone.now() - datetime.timedelta(seconds=option("flood_seconds"))
    senders = [_same_person(sub.comment)]
    if sub.client_key:
        senders.append(Q(client_key=sub.client_key))
    recent = Comment.objects.filter(submitted_at__gte=since)
    # One indexed look-up per way of recognising the sender (an OR would scan on SQLite).
    if any(recent.filter(sender).exists() for sender in senders):
        return Finding(
            "flood",
            Verdict.REFUSE,
            "You are posting comments too quickly. Slow down.",
            http_status=429,
        )
    return None


def links(sub):
    if sub.trusted:
        return None
    count = sub.comment.body_html.count("<a ")
    if count > option("max_links"):
        return Finding("links", Verdict.HOLD, f"contains {count} links")
    return None


def moderation_words(sub):
    """Admin-edited words: a match holds, a block word sends the comment to spam."""
    comment = sub.comment
    text = " ".join([comment.name, comment.email, comment.website, comment.body]).casefold()
    found = None
    for word in ModerationWord.objects.all():
        if word.phrase.casefold() not in text:
            continue
        if word.action == ModerationWord.Action.SPAM:
            return Finding("block_words", Verdict.SPAM, f"contains the block word “{word.phrase}”")
        if not sub.trusted and found is None:
            found = Finding(
                "moderation_words", Verdict.HOLD, f"contains the moderation word “{word.phrase}”"
            )
    return found


def first_comment(sub):
    if sub.trusted:
        return None
    comment = sub.comment
    approved_before = Comment.objects.approved().filter(_same_person(comment)).exists()
    if approved_before:
        return None
    who = "a guest" if comment.user_id is None else "a user"
    return Finding("first_comment", Verdict.HOLD, f"first comment by {who} with this e-mail")


def registered_address(sub):
    """A guest giving the address of a registered account: its owner signs in to post, so
    a moderator looks first. The form says nothing (it would tell which addresses have
    accounts); every guest is asked to sign in if they have one."""
    comment = sub.comment
    if comment.user_id is not None:
        return None
    if get_user_model().objects.filter(email__iexact=comment.email).exists():
        return Finding(
            "registered_address", Verdict.HOLD, "a guest gave the e-mail address of an account"
        )
    return None


def bot_traps(sub):
    """A filled honeypot field or a form posted faster than anyone types: spam, silently.

    Trusted people are signed in and known: their browser may fill in any field and they may
    post as fast as they like.
    """
    if sub.trusted:
        return None
    if sub.honeypot:
        return Finding("honeypot", Verdict.SPAM, "the hidden honeypot field was filled in")
    fastest = option("min_seconds_to_post")
    if sub.seconds_to_post is not None and sub.seconds_to_post < fastest:
        return Finding(
            "too_fast", Verdict.SPAM, f"form posted {sub.seconds_to_post:.1f} s after it was shown"
        )
    return None


# The refusals, cheap (indexed look-ups of the sender and of the text's hash): they run first,
# on a comment whose text is not rendered yet, so a refused post costs next to nothing.
REFUSALS = [
    ("flood", flood),
    ("exact_duplicate", exact_duplicate),
]
# The rest, on the rendered comment with its sketch.
CHECKS = [
    ("bot_traps", bot_traps),
    ("near_duplicate", near_duplicate),
    ("copy_paste", copy_paste),
    ("moderation_words", moderation_words),
    ("links", links),
    ("first_comment", first_comment),
    ("registered_address", registered_address),
]


def _enabled(checks):
    switches = option("checks")
    return [check for name, check in checks if switches.get(name, True)]


def refusal(sub):
    """The first refusal of the cheap checks, or None; the comment needs only its text_hash."""
    return next((f for check in _enabled(REFUSALS) if (f := check(sub)) is not None), None)


def edit_refusal(sub):
    """The refusals that hold for its poster's edit of a comment: not flood (the comment
    being edited is itself recent)."""
    checks = [(name, check) for name, check in REFUSALS if name != "flood"]
    return next((f for check in _enabled(checks) if (f := check(sub)) is not None), None)


def moderate(sub):
    """Run every other enabled check on the rendered comment; the strongest verdict wins."""
    outcome = Outcome(verdict=Verdict.ALLOW)
    for check in _enabled(CHECKS):
        finding = check(sub)
        if finding is None:
            continue
        outcome.findings.append(finding)
        outcome.verdict = max(outcome.verdict, finding.verdict)
    return outcome
