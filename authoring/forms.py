"""The authors' forms: their profile, and a paper sent in through the call for papers."""

import re
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils.html import format_html

from common import names
from common.images import NotAnImage
from papers.editing import DOCUMENT_MAX_BYTES as PAPER_MAX_BYTES
from papers.editing import DocumentForm, document_field, document_file_field, read_upload, size_text
from papers.models import Person
from papers.photos import portrait

MAX_AUTHORS = 30
NAME_MAX_LENGTH = Person._meta.get_field("display_name").max_length
# "Ada Lovelace <ada@example.org>", or the name alone.
AUTHOR_LINE = re.compile(r"(?P<name>[^<>]*?)\s*(?:<(?P<email>[^<>]*)>)?")


class ProfileForm(forms.ModelForm):
    """What an author's page says about them. The photo is checked and made anew here
    (papers.photos); cleaned_data["photo"] is (bytes, extension), or None."""

    photo = forms.FileField(
        label="Photo",
        required=False,
        help_text="PNG, JPEG, GIF or WebP; shown at most 400 by 400 pixels, without the "
        "file's metadata (camera, place).",
    )
    remove_photo = forms.BooleanField(label="Remove my photo", required=False)

    class Meta:
        model = Person
        fields = ["display_name", "affiliation", "website", "bio"]
        labels = {"display_name": "Name", "bio": "About you"}
        help_texts = {
            "display_name": "As it is shown on your papers and your page.",
            "website": "An http:// or https:// address.",
            "bio": "Markdown: *emphasis*, **strong**, [links](https://example.org), lists.",
        }
        widgets = {"bio": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        website = self.fields["website"]  # one check, with one message: http(s) only
        website.validators = [v for v in website.validators if not isinstance(v, URLValidator)]
        website.validators.append(URLValidator(schemes=["http", "https"]))
        website.error_messages["invalid"] = "Enter an http:// or https:// address."
        self.fields["website"].assume_scheme = "https"
        if not self.instance.photo:
            del self.fields["remove_photo"]

    def clean_display_name(self):
        name = names.clean_name(self.cleaned_data["display_name"])
        if not names.has_letters(name):
            raise ValidationError("Please enter your name.", code="required")
        if name != self.instance.display_name:
            others = Person.objects.exclude(pk=self.instance.pk).order_by("pk")
            taken = names.name_index(tuple(others.values_list("display_name", flat=True)))
            if taken.taken(name):
                raise ValidationError(
                    "This name reads as another author's. Please choose one that is yours alone.",
                    code="taken",
                )
        return name

    def clean_photo(self):
        upload = self.cleaned_data.get("photo")
        if not upload:
            return None
        limit = settings.COLLOQUY_IMAGE_MAX_BYTES
        data = read_upload(upload, limit)
        if data is None:
            raise ValidationError(f"This photo is larger than {size_text(limit)}.", code="too_big")
        try:
            return portrait(data)
        except NotAnImage as error:
            raise ValidationError(f"This photo cannot be used: {error}.", code="invalid") from None


@dataclass(frozen=True)
class AuthorEntry:
    """One author, as the submission form names them."""

    name: str
    email: str
    is_submitter: bool = False


class SubmissionForm(DocumentForm):
    """A paper sent in: its stream, its authors and its text (typed, or a file: papers.editing)."""

    upload_field = "document_file"
    empty_message = "Please write your paper here, or upload its file."

    stream = forms.ModelChoiceField(queryset=None, empty_label=None)
    authors = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        # Crispy draws help texts as HTML: the example's angle brackets are escaped here.
        help_text=format_html(
            "One author a line, in the order of the byline: {}. You are one of them. Each "
            "co-author gets an account and an e-mail inviting them to sign in.",
            "Name <e-mail address>",
        ),
    )
    document = document_field(
        label="Paper",
        css_class="paper-editor",
        help_text="Markdown with front matter (title, thesis, abstract), a '## ' heading for "
        "each section, and a References section. The edition, stream, authors, date and "
        "status are this form's: the text's own are not used.",
    )
    document_file = document_file_field(label="Or upload the paper as a file")

    def __init__(self, *args, edition, user, person=None, submitter_required=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.edition, self.user, self.person = edition, user, person
        self.submitter_required = submitter_required
        self.fields["stream"].queryset = edition.streams.all()
        self.fields["stream"].label_from_instance = lambda stream: stream.name

    def clean_document_file(self):
        return self.uploaded_document(PAPER_MAX_BYTES)

    def clean_authors(self):
        entries, seen, problems = [], set(), []
        lines = [line.strip() for line in self.cleaned_data["authors"].splitlines()]
        for number, line in enumerate(lines, start=1):
            if not line:
                continue
            try:
                entry = self._author(line)
            except ValidationError as error:
                problems.append(f"Line {number}: {error.message}")
                continue
            for key in filter(None, (entry.name.casefold(), entry.email.lower())):
                if key in seen:
                    problems.append(f"Line {number}: {key} is listed twice.")
                seen.add(key)
            entries.append(entry)
        if problems:
            raise ValidationError(problems)
        if not entries:
            raise ValidationError("Please list the paper's authors.", code="required")
        if len(entries) > MAX_AUTHORS:
            raise ValidationError(f"A paper has at most {MAX_AUTHORS} authors here.")
        submitters = [entry for entry in entries if entry.is_submitter]
        if self.submitter_required and not submitters:
            raise ValidationError(
                f"You must be one of the authors: add a line for yourself, "
                f"{self.initial_author_line()}",
                code="not_an_author",
            )
        if len(submitters) > 1:
            raise ValidationError("You are listed twice.", code="twice")
        return entries

    def _author(self, line):
        match = AUTHOR_LINE.fullmatch(line)
        if match is None:
            raise ValidationError("write an author as Name <e-mail address>.")
        name = names.clean_name(match["name"])
        email = (match["email"] or "").strip()
        if not names.has_letters(name):
            raise ValidationError("the author's name is missing.")
        if len(name) > NAME_MAX_LENGTH:
            raise ValidationError(f"a name is at most {NAME_MAX_LENGTH} characters.")
        if email:
            try:
                validate_email(email)
            except ValidationError:
                raise ValidationError(f"{email} is not an e-mail address.") from None
        own_email = self.user.email
        if (email and own_email and email.lower() == own_email.lower()) or (
            not email and self.person and name.casefold() == self.person.display_name.casefold()
        ):
            return AuthorEntry(name=name, email=own_email, is_submitter=True)
        if not email:
            raise ValidationError(
                f"{name} has no e-mail address: write it as {name} <address>, so that they "
                "can be invited."
            )
        return AuthorEntry(name=name, email=email)

    def initial_author_line(self):
        """The submitter's own line, as the authors field is first filled in."""
        name = self.person.display_name if self.person else self.user.get_full_name()
        return f"{name or self.user.get_username()} <{self.user.email}>"


class DecisionForm(forms.Form):
    """The organisers' note with a decision (the admin's intermediate page): needed to
    return a paper (what should change), optional when declining one."""

    note = forms.CharField(
        label="Note to the authors",
        widget=forms.Textarea(attrs={"rows": 8, "cols": 80}),
        help_text="Sent to every author with the decision, and shown on their submission's page.",
    )

    def __init__(self, *args, note_required=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].required = note_required
