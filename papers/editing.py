"""A paper edited as one Markdown document (papers.document): what the pages that do it share.

Three pages do: the admin's Markdown page (papers.admin), the authors' edit page
(revisions.editing) and the submission form (authoring.forms). DocumentForm holds the
document, typed or read from an uploaded .md file (UTF-8, papers.importer.decode; at most
DOCUMENT_MAX_BYTES), and draws a Preview of it (papers.preview) from the page's own write().
DocumentChangeForm adds what a change of a stored paper needs: what changed (the revision's
note), and the check that nobody saved a revision of the paper after the page was opened,
so that Save does not replace it unawares. Each page keeps its own rules in its write().
"""

from django import forms
from django.db import transaction
from django.utils.text import capfirst

from .importer import ImportProblem, decode
from .models import PaperRevision
from .preview import paper_preview

DOCUMENT_MAX_BYTES = 1_000_000  # the largest paper document, typed or uploaded


def size_text(limit):
    """A number of bytes as people say it: "10 MB", "500 kB"."""
    if limit >= 1024 * 1024:
        return f"{limit // (1024 * 1024)} MB"
    return f"{max(1, limit // 1000)} kB"


def read_upload(upload, limit):
    """The bytes of an uploaded file, or None when it is larger than `limit`."""
    if upload.size is not None and upload.size > limit:
        return None
    data = upload.read(limit + 1)  # one byte more: too large
    return None if len(data) > limit else data


def latest_revision(paper):
    """The number of the paper's latest revision as a form holds it: "0" for none, "" for a
    paper not yet made (nothing to have been saved since)."""
    if paper is None:
        return ""
    return str(paper.revisions.order_by("-number").values_list("number", flat=True).first() or 0)


def document_field(*, label, help_text, css_class=None):
    attrs = {"rows": 30, "spellcheck": "true"} | ({"class": css_class} if css_class else {})
    return forms.CharField(
        label=label,
        required=False,  # DocumentForm.clean says what is missing
        strip=False,
        max_length=DOCUMENT_MAX_BYTES,
        widget=forms.Textarea(attrs=attrs),
        help_text=help_text,
    )


def document_file_field(*, label):
    return forms.FileField(
        label=label,
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".md,.markdown,text/markdown"}),
        help_text=f"A .md file in UTF-8, at most {size_text(DOCUMENT_MAX_BYTES)}: it replaces "
        "the text above.",
    )


class DocumentForm(forms.Form):
    """A form with the paper's `document`, and, when upload_field names one, a file that
    replaces it (its clean_<field> calls uploaded_document). The form shown again holds the
    file's text, to be read and changed there."""

    upload_field = None
    empty_message = "Write the paper here, or upload its file."

    def uploaded_document(self, limit=DOCUMENT_MAX_BYTES):
        """The text of the uploaded file; a ValidationError when it cannot be used."""
        upload = self.cleaned_data.get(self.upload_field)
        if not upload:
            return None
        data = read_upload(upload, limit)
        if data is None:
            raise forms.ValidationError(
                f"This file is larger than {size_text(limit)}.", code="too_big"
            )
        try:
            text = decode(data)
        except ImportProblem as problem:
            raise forms.ValidationError(
                f"This file cannot be used: {problem}.", code="encoding"
            ) from None
        if "\x00" in text:  # UTF-8, but no database keeps it in text (nor would a form send it)
            line = text.count("\n", 0, text.index("\x00")) + 1
            raise forms.ValidationError(
                f"This file cannot be used: line {line} holds a NUL byte.", code="encoding"
            )
        self.data = self.data.copy()
        self.data["document"] = text
        return text

    def clean(self):
        cleaned = super().clean()
        if self.upload_field and cleaned.get(self.upload_field):
            cleaned["document"] = cleaned[self.upload_field]
            self.errors.pop("document", None)
        elif self.upload_field not in self.errors and not cleaned.get("document", "x").strip():
            self.add_error("document", self.empty_message)
        return cleaned

    def add_problem(self, problem):
        """An ImportProblem (with its line) shown next to the document."""
        self.add_error("document", capfirst(str(problem)))

    def document_preview(self, request, write):
        """The Preview (papers.preview) of what write() makes, rolled back; None (and the
        form's error) when the document is refused."""
        try:
            return paper_preview(request, write)
        except ImportProblem as problem:
            self.add_problem(problem)
            return None


class DocumentChangeForm(DocumentForm):
    """A stored paper's document changed (or a new paper's written), with a revision."""

    note = forms.CharField(
        label="What changed",
        required=False,
        max_length=PaperRevision._meta.get_field("note").max_length,
        help_text="A line for the paper's revisions, e.g. “Corrected the figures' captions”.",
    )
    # The paper's latest revision when the page was given its document (latest_revision).
    based_on = forms.CharField(widget=forms.HiddenInput, required=False)

    def saved_since(self, paper):
        """Whether someone saved a revision after this form was given its document; if so
        the form says so, and now holds that revision, so that Save pressed again replaces
        it."""
        latest = latest_revision(paper)
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

    def document_save(self, paper, write):
        """What write() returns, written in a transaction; None (and the form's error) when
        someone saved a revision meanwhile (saved_since), or the document is refused."""
        if self.saved_since(paper):
            return None
        try:
            with transaction.atomic():
                return write()
        except ImportProblem as problem:
            self.add_problem(problem)
            return None
