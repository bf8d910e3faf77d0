"""What an import from a WordPress site made of each of its posts, comments and authors.

Keyed by the site's address as well as WordPress's id, so that two sites never collide and
importing the same export again updates what it made before instead of making it twice. The
id comes first in each key's index: it picks out a few rows whatever the planner's
statistics say, where the site (most rows share it) does not.
"""

from django.db import models

from comments.models import Comment
from papers.models import Paper, Person


class ImportedPost(models.Model):
    site = models.CharField(max_length=200, help_text="The WordPress site's address.")
    wp_id = models.PositiveBigIntegerField("WordPress post id")
    paper = models.OneToOneField(Paper, on_delete=models.CASCADE, related_name="wordpress_post")
    digest = models.CharField(
        max_length=64,
        blank=True,
        help_text="Of the post as last imported: unchanged, not rewritten.",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["wp_id", "site"], name="unique_imported_post"),
        ]

    def __str__(self):
        return f"{self.site} post {self.wp_id}"


class ImportedComment(models.Model):
    site = models.CharField(max_length=200)
    wp_id = models.PositiveBigIntegerField("WordPress comment id")
    comment = models.OneToOneField(
        Comment, on_delete=models.CASCADE, related_name="wordpress_comment"
    )
    digest = models.CharField(
        max_length=32,
        blank=True,
        help_text="Of the comment as WordPress had it when last imported: while WordPress "
        "does not change it, what was done to it here (moderation, edits) stays.",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["wp_id", "site"], name="unique_imported_comment"),
        ]

    def __str__(self):
        return f"{self.site} comment {self.wp_id}"


class ImportedAuthor(models.Model):
    site = models.CharField(max_length=200)
    login = models.CharField("WordPress login", max_length=200)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["site", "login"], name="unique_imported_author"),
        ]

    def __str__(self):
        return f"{self.site} author {self.login}"
