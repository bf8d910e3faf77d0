"""Editing a paper as one Markdown document (papers.document), by its authors or staff.

The form, its Preview (written as Save would write it, then rolled back: papers.preview) and
its Save (refused once when someone saved a revision since the page was opened) are
papers.editing's, as on the admin's Markdown page. Save imports the document and records a
revision (papers.revisions.paper_revised). What this page adds: what the organisers decide
(the front matter's edition, stream, status, slug, date, comments and authors) a paper's
author who is not staff cannot change: the document is refused, naming the line.
"""

from django.utils import timezone

from papers.document import paper_document
from papers.editing import DocumentChangeForm, document_field, latest_revision
from papers.importer import ImportProblem, import_paper, parse_paper
from papers.models import Paper
from papers.revisions import paper_revised, paper_revision_baseline

# What only organisers change. The byline too: a name or address typed there would link
# someone's account to the paper (papers.accounts.author_person finds people by both).
ORGANISERS_KEYS = ("edition", "stream", "status", "slug", "date", "comments", "authors")


def may_edit(user, paper):
    """Staff, and the paper's authors (their person's account)."""
    if not user.is_authenticated:
        return False
    return user.is_staff or paper.authorships.filter(person__user=user).exists()


def _decided(paper):
    """What ORGANISERS_KEYS set on a paper."""
    return {
        "edition": paper.edition_id,
        "stream": paper.stream_id,
        "status": paper.status,
        "slug": paper.slug,
        "date": timezone.localdate(paper.published_on),
        "comments": paper.comments_open,
        "authors": list(paper.authorships.values_list("person_id", flat=True)),
    }


class EditForm(DocumentChangeForm):
    """The paper's document and what changed (papers.editing); Save refused when someone
    saved a revision after the page was opened."""

    document = document_field(
        label="The paper",
        help_text="Front matter between the --- lines, a “## ” heading for each section, then "
        "“## References” with one APA reference per paragraph.",
    )
    empty_message = "Write the paper here."
    field_order = ["document", "note", "based_on"]

    def __init__(self, *args, paper, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.paper, self.user = paper, user
        if not self.is_bound:
            self.initial["document"] = paper_document(paper)
            self.initial["based_on"] = latest_revision(paper)

    def _imported(self):
        """The paper with the document imported into it (in the caller's transaction);
        raises ImportProblem, also for what an author may not change."""
        text = self.cleaned_data["document"]
        paper = Paper.objects.select_related("edition", "stream").get(pk=self.paper.pk)
        before = _decided(paper)
        paper, _created = import_paper(text, paper=paper)
        if self.user.is_staff:
            return paper
        after = _decided(paper)
        changed = [key for key in ORGANISERS_KEYS if after[key] != before[key]]
        if changed:
            lines = parse_paper(text).meta_lines
            raise ImportProblem(
                min(lines.get(key, 2) for key in changed),
                f"only the organisers change a paper's {', '.join(changed)}: "
                "keep what the document said",
            )
        return paper

    def _write(self):
        """What Save writes: revision 1 first for a paper without revisions (as it was
        before this change), the document imported, the next revision. Returns the paper;
        raises ImportProblem (with its line)."""
        paper_revision_baseline(self.paper)
        paper = self._imported()
        self.revision = paper_revised(paper, user=self.user, note=self.cleaned_data["note"])
        return paper

    def preview(self, request):
        """The article as readers would see it once saved, and its citation check
        (papers.preview: written as Save writes it, then rolled back); None (and the
        form's error) when the document is refused."""
        return self.document_preview(request, self._write)

    def save(self):
        """(the paper, its new revision or None when nothing changed); None (and the form's
        error) when the document is refused, or when someone saved a revision meanwhile."""
        paper = self.document_save(self.paper, self._write)
        return None if paper is None else (paper, self.revision)
