"""The search form: what to look for, and where."""

from django import forms

from papers.models import Edition, Stream

from .analysis import parse_query
from .models import Entry

MAX_QUERY_LENGTH = 200
MAX_TERMS = 12


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Search papers and comments",
        max_length=MAX_QUERY_LENGTH,
        required=False,
        help_text='Words, "a phrase in quotes", and -word to leave a word out.',
    )
    kind = forms.ChoiceField(
        label="Show",
        required=False,
        choices=[
            ("", "Papers and comments"),
            (Entry.Kind.PAPER, "Papers"),
            (Entry.Kind.COMMENT, "Comments"),
        ],
    )
    edition = forms.ChoiceField(label="Edition", required=False)
    stream = forms.ChoiceField(label="Stream", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        editions = Edition.objects.only("pk", "slug", "name")
        self.edition_ids = {edition.slug: edition.pk for edition in editions}
        self.fields["edition"].choices = [("", "All editions")] + [
            (edition.slug, edition.name) for edition in editions
        ]
        streams = Stream.objects.select_related("edition").only("pk", "name", "edition__name")
        self.fields["stream"].choices = [("", "All streams")] + [
            (str(stream.pk), f"{stream.name} ({stream.edition.name})") for stream in streams
        ]

    def clean_q(self):
        text = " ".join(self.cleaned_data["q"].split())
        query = parse_query(text)
        if text and not query:
            if query.excluded:
                raise forms.ValidationError(
                    "Add a word to search for, not only words to leave out."
                )
            raise forms.ValidationError(
                "These words are too common to search for: add a word that says more."
            )
        if sum(len(phrase) for phrase in query.wanted + query.excluded) > MAX_TERMS:
            raise forms.ValidationError(f"Use at most {MAX_TERMS} words.")
        self.query = query
        return text

    def filters(self):
        """{column: value} for search.backends, from the choices made."""
        data, filters = self.cleaned_data, {}
        if data.get("kind"):
            filters["kind"] = data["kind"]
        if data.get("edition"):
            filters["edition_id"] = self.edition_ids[data["edition"]]
        if data.get("stream"):
            filters["stream_id"] = int(data["stream"])
        return filters
