"""Papers authors submit from the browser, and what the organisers decided about them."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from papers.models import Paper


class Submission(models.Model):
    """A paper an author sent in through the call for papers. The paper itself is a draft
    until the organisers publish it; `document` is the text as its authors wrote it."""

    class State(models.TextChoices):
        SUBMITTED = "submitted", "Submitted"
        RETURNED = "returned", "Returned to the authors"
        DECLINED = "declined", "Declined"
        PUBLISHED = "published", "Published"

    paper = models.OneToOneField(Paper, on_delete=models.CASCADE, related_name="submission")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="submissions",
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.SUBMITTED)
    document = models.TextField(help_text="The paper as its authors wrote it (Markdown).")
    note = models.TextField(
        "note to the authors", blank=True, help_text="The organisers' word with their decision."
    )
    submitted_at = models.DateTimeField(default=timezone.now, help_text="Last sent in.")
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-submitted_at"]

    def __str__(self):
        return str(self.paper)

    def get_absolute_url(self):
        return reverse("authoring:submission", kwargs={"pk": self.pk})

    @property
    def is_editable(self):
        """Its authors may change it and send it again."""
        return self.state == self.State.RETURNED


class SubmissionEvent(models.Model):
    """One step of a submission's history: sent in, sent again, or a decision."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", "Submitted"
        RESUBMITTED = "resubmitted", "Submitted again"
        RETURNED = "returned", "Returned to the authors"
        DECLINED = "declined", "Declined"
        PUBLISHED = "published", "Published"

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=12, choices=Action.choices)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.get_action_display()}: {self.submission}"
