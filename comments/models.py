"""Comments under papers, threaded by parent, with the moderation status each one is in."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from papers.models import Paper


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
    body_html = models.TextField(editable=False)
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
    moderation_reasons = models.JSONField(default=list, blank=True)
    submitted_at = models.DateTimeField(default=timezone.now, db_index=True)
    form_token = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["submitted_at", "id"]
        indexes = [
            models.Index(fields=["paper", "status", "submitted_at"], name="comment_discussion"),
            models.Index(fields=["root", "status"], name="comment_thread"),
            models.Index(fields=["email", "submitted_at"], name="comment_by_email"),
        ]

    def __str__(self):
        return f"{self.name} on {self.paper}: {self.excerpt}"

    def get_absolute_url(self):
        return f"{self.paper.get_absolute_url()}#{self.anchor}"

    @property
    def excerpt(self):
        text = " ".join(self.body.split())
        return text if len(text) <= 60 else text[:57] + "…"

    @property
    def anchor(self):
        return f"comment-{self.pk}"
