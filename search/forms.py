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
    edition = forms.ModelChoiceField(
        Edition.objects.only("pk", "slug", "name"),
        label="Edition",
        required=False,
        to_field_name="slug",
        empty_label="All editions",
    )
    stream = forms.ModelChoiceField(
        Stream.objects.select_related("edition").only("pk", "name", "edition__name"),
        label="Stream",
        required=False,
        empty_label="All streams",
    )

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
            filters["edition_id"] = data["edition"].pk
        if data.get("stream"):
            filters["stream_id"] = data["stream"].pk
        return filters
