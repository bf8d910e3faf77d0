"""Comments under papers, threaded by parent, with the moderation status each one is in."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from common.names import NO_NAME, display_name
from papers.models import Paper


def normalize_email(address):
    """Comments keep e-mail addresses in lower case, so that finding a person's comments is
    an indexed equality rather than a case-blind scan of every row."""
    return address.strip().lower()


class CommentQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=Comment.Status.APPROVED)

    def pending(self):
        return self.filter(status=Comment.Status.PENDING)

    def in_thread_order(self):
        return self.order_by("submitted_at", "id")


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        SPAM = "spam", "Spam"
        TRASH = "trash", "Trash"
        # Taken back by its poster (or erased) while it has replies: kept, without its words
        # or its poster's name, so that the replies keep their place ("This comment was
        # deleted.").
        DELETED = "deleted", "Deleted"

    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replies"
    )
    root = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The top-level comment of this thread; empty for a top-level comment.",
    )
    depth = models.PositiveSmallIntegerField(default=1, help_text="1 for a top-level comment.")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
    )
    by_paper_author = models.BooleanField(
        default=False, help_text="Written by one of the paper's authors while signed in."
    )
    name = models.CharField(max_length=100)
    email = models.EmailField(max_length=254)
    website = models.URLField(max_length=300, blank=True)
    body = models.TextField(help_text="Markdown, as the commenter typed it.")
    body_html = models.TextField(
        editable=False, help_text="The body's sanitised HTML: the only markup stored."
    )
    notify_replies = models.BooleanField(default=False)

    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    status_before = models.CharField(
        max_length=10,
        choices=Status.choices,
        blank=True,
        help_text="The status it had before it went to spam or trash, for Not spam and Restore.",
    )
    status_changed_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(default=timezone.now, db_index=True)
    edited_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When its poster last edited it."
    )
    form_token = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    client_key = models.CharField(
        max_length=64,
        blank=True,
        editable=False,
        help_text="Keyed hash of the client address; emptied after COLLOQUY_CLIENT_KEY_DAYS.",
    )
    text_hash = models.CharField(max_length=64, editable=False)
    sketch = models.BinaryField(editable=False, help_text="MinHash sketch of the text.")

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["submitted_at", "id"]
        indexes = [
            models.Index(fields=["paper", "status", "submitted_at"], name="comment_discussion"),
            models.Index(fields=["root", "status"], name="comment_thread"),
            # A person's comments (moderation asks for them on every post): by status, and on
            # one paper by status. Each question has one index that fits it better than any
            # other, so it is chosen even where the database has no statistics to choose by
            # (SQLite, unless ANALYZE has been run).
            models.Index(fields=["email", "status", "submitted_at"], name="comment_by_email"),
            models.Index(fields=["user", "status", "submitted_at"], name="comment_by_user"),
            models.Index(fields=["email", "paper", "status"], name="comment_by_email_paper"),
            models.Index(fields=["user", "paper", "status"], name="comment_by_user_paper"),
            models.Index(fields=["client_key", "submitted_at"], name="comment_by_client"),
            models.Index(fields=["text_hash"], name="comment_by_text"),
        ]

    def __str__(self):
        return f"{display_name(self.name) or NO_NAME} on {self.paper}: {self.excerpt}"

    def get_absolute_url(self):
        """The permanent address; it redirects to the discussion page that shows the comment."""
        return reverse("comments:permalink", args=[self.pk])

    @property
    def excerpt(self):
        text = " ".join(self.body.split())
        return text if len(text) <= 60 else text[:57] + "…"

    @property
    def anchor(self):
        return f"comment-{self.pk}"


class PendingComment(Comment):
    """The moderation queue: the same comments, seen through the pending ones only."""

    class Meta:
        proxy = True
        verbose_name = "comment awaiting moderation"
        verbose_name_plural = "moderation queue"


class ModerationReason(models.Model):
    """Why the moderation pipeline judged a comment as it did; one row per check that spoke."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reasons")
    check_name = models.CharField("check", max_length=40, db_index=True)
    verdict = models.CharField(max_length=10)
    message = models.CharField(max_length=300)
    related_comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.message


class ModerationEvent(models.Model):
    """One change of a comment's status: who, when, from what, to what, and why."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_status = models.CharField(max_length=10, choices=Comment.Status.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=Comment.Status.choices)
    reason = models.CharField(max_length=300, blank=True)
    text_before = models.TextField(
        blank=True,
        db_default="",  # imports write events' columns by name (common.bulk)
        help_text="The comment's text before this change, when its poster edited it.",
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.from_status or 'new'} → {self.to_status}"


class ModerationWord(models.Model):
    """A word or phrase that holds a comment for moderation, or sends it straight to spam."""

    class Action(models.TextChoices):
        HOLD = "hold", "Hold for moderation"
        SPAM = "spam", "Send to spam (block)"

    phrase = models.CharField(max_length=200, help_text="Matched without case, anywhere.")
    action = models.CharField(max_length=10, choices=Action.choices, default=Action.HOLD)

    # Declarations (an ordering, a unique pair, a name): papers.Authorship's have the same
    # shape, and nothing in them is logic to share.
    class Meta:
        ordering = ["action", "phrase"]
        constraints = [
            models.UniqueConstraint(fields=["phrase", "action"], name="unique_moderation_word"),
        ]

    def __str__(self):
        return f"{self.phrase} ({self.get_action_display()})"


class PersonalDataLink(models.Model):
    """A link mailed to an address, that shows, exports and erases the comments made under
    it (comments/personal_data.py). Its secret is not kept: a keyed hash of the nonce
    (SECRET_KEY), which only the mailing task works out again; the link is found by the
    secret's hash. It works for COLLOQUY_PERSONAL_DATA_LINK_HOURS, and goes once the comments
    are erased."""

    nonce = models.CharField(max_length=32, help_text="Its secret is a keyed hash of this.")
    secret_hash = models.CharField(max_length=64, unique=True)
    email = models.EmailField(max_length=254)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "personal data link"

    def __str__(self):
        return f"link of {self.created_at:%Y-%m-%d %H:%M}"
