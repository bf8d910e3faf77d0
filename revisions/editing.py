"""Editing a paper as one Markdown document (papers.document), by its authors or staff.

Preview writes the document as Save would, inside a transaction that is rolled back, and
draws the paper's article as readers will see it, with its citation check (papers.preview,
which the admin's Markdown page uses too): nothing is written. Save imports it and records
a revision (services.paper_revised). What the organisers decide, the front matter's edition,
stream, status, slug (the paper's address), date and comments (open or closed), a paper's
author who is not staff cannot change: the document is refused, naming the line.
"""

from django import forms
from django.db import transaction
from django.utils import timezone

from papers.document import paper_document
from papers.importer import ImportProblem, import_paper, parse_paper
from papers.models import Paper, PaperRevision
from papers.preview import paper_preview
from papers.revisions import paper_revised, paper_revision_baseline

DOCUMENT_MAX_LENGTH = 1_000_000  # characters, as the admin's Markdown page allows
# What only organisers change. The byline too: a name or address typed there would link
# someone's account to the paper (papers.accounts.author_person finds people by both).
ORGANISERS_KEYS = ("edition", "stream", "status", "slug", "date", "comments", "authors")


def may_edit(user, paper):
    """Staff, and the paper's authors (their person's account)."""
    if not user.is_authenticated:
        return False
    return user.is_staff or paper.authorships.filter(person__user=user).exists()


def _latest(paper):
    """The number of the paper's latest revision, as the form holds it ("0": none)."""
    return str(paper.revisions.order_by("-number").values_list("number", flat=True).first() or 0)


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


class EditForm(forms.Form):
    document = forms.CharField(
        label="The paper",
        max_length=DOCUMENT_MAX_LENGTH,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 30, "spellcheck": "true"}),
        help_text="Front matter between the --- lines, a “## ” heading for each section, then "
        "“## References” with one APA reference per paragraph.",
    )
    note = forms.CharField(
        label="What changed",
        max_length=PaperRevision._meta.get_field("note").max_length,
        required=False,
        help_text="A line for the list of revisions, e.g. “Clearer methods section”.",
    )
    # The latest revision when the page was given its document, so that Save does not
    # replace, unawares, a revision someone else saved since.
    based_on = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, paper, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.paper, self.user = paper, user
        if not self.is_bound:
            self.initial["document"] = paper_document(paper)
            self.initial["based_on"] = _latest(paper)

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
        try:
            return paper_preview(request, self._write)
        except ImportProblem as problem:
            self.add_error("document", str(problem))
            return None

    def _revised_since(self):
        """Whether someone saved a revision after this form was given its document; if so
        the form says so, and now holds that revision, so that Save pressed again replaces
        it."""
        latest = _latest(self.paper)
        if self.cleaned_data["based_on"] in ("", latest):
            return False
        self.data = self.data.copy()
        self.data["based_on"] = latest
        self.add_error(
            "document",
            f"Someone saved revision {latest} of this paper after this page was opened. Your "
            "text is kept here: read theirs on the paper's page (or compare the revisions), "
            "then press Save again to replace it with yours.",
        )
        return True

    def save(self):
        """(the paper, its new revision or None when nothing changed); None (and the form's
        error) when the document is refused, or when someone saved a revision meanwhile."""
        if self._revised_since():
            return None
        try:
            with transaction.atomic():
                paper = self._write()
        except ImportProblem as problem:
            self.add_error("document", str(problem))
            return None
        return paper, self.revision
