"""The search index: one entry for each published paper and each approved comment on one.

An entry holds the terms of its text (search.analysis) and the plain text its snippet is
cut from. The database's own full-text index is kept over the terms by the database itself
(migration 0001): on PostgreSQL a trigger stores each entry's weighted tsvector in `vector`,
under a GIN index; on SQLite triggers keep an FTS5 table (search_entry_index) in step.
Writing and deleting entries is therefore all search.indexing does.

Altering this table on SQLite rebuilds it, and the triggers go with the old table: a
migration that alters it must create them again (search.machinery).
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models

from comments.models import Comment
from papers.models import Edition, Paper, Stream


class Entry(models.Model):
    class Kind(models.TextChoices):
        PAPER = "paper", "Paper"
        COMMENT = "comment", "Comment"

    kind = models.CharField(max_length=8, choices=Kind.choices)
    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="+")
    comment = models.OneToOneField(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="+")
    stream = models.ForeignKey(Stream, on_delete=models.CASCADE, related_name="+")
    visible_from = models.DateTimeField(help_text="When the paper is (or was) published.")
    dated = models.DateTimeField(help_text="When the paper was published or the comment posted.")
    heading_terms = models.TextField(help_text="Title and thesis, as terms: weighs most.")
    text_terms = models.TextField(help_text="The rest of the text, as terms.")
    text = models.TextField(help_text="Plain text that snippets are cut from.")
    vector = SearchVectorField(null=True, editable=False, help_text="PostgreSQL only.")

    class Meta:
        verbose_name_plural = "entries"
        indexes = [models.Index(fields=["paper", "kind"], name="search_entry_of_paper")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.comment_id or self.paper_id}"
