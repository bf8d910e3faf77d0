from django import forms
from django.contrib import admin
from django.utils.html import format_html, format_html_join

from common.names import clean_name, has_letters
from conference.hardening import HardenedFormFieldsMixin, HardenedModelAdmin

from .citations import citation_report
from .models import Authorship, Edition, Paper, Person, Reference, Section, Stream
from .services import paper_render


class StreamInline(HardenedFormFieldsMixin, admin.TabularInline):
    model = Stream
    prepopulated_fields = {"slug": ["name"]}
    extra = 0


@admin.register(Edition)
class EditionAdmin(HardenedModelAdmin):
    list_display = ["name", "year", "starts_on", "ends_on"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [StreamInline]


@admin.register(Stream)
class StreamAdmin(HardenedModelAdmin):
    list_display = ["name", "edition", "position"]
    list_filter = ["edition"]
    prepopulated_fields = {"slug": ["name"]}


class PersonForm(forms.ModelForm):
    def clean_display_name(self):
        """Stored as import_paper and the comment form store names: without invisible
        characters (bidirectional controls, zero-width characters), single spaces, NFC."""
        name = clean_name(self.cleaned_data["display_name"])
        if not has_letters(name):
            raise forms.ValidationError("Enter a name with at least one letter or digit.")
        return name


@admin.register(Person)
class PersonAdmin(HardenedModelAdmin):
    form = PersonForm
    list_display = ["name", "user", "website"]
    search_fields = ["display_name", "user__username"]
    prepopulated_fields = {"slug": ["display_name"]}
    raw_id_fields = ["user"]

    @admin.display(description="display name", ordering="display_name")
    def name(self, person):
        return str(person)  # Person.__str__: the name without invisible characters


class AuthorshipInline(HardenedFormFieldsMixin, admin.TabularInline):
    model = Authorship
    extra = 0
    autocomplete_fields = ["person"]


class SectionInline(HardenedFormFieldsMixin, admin.StackedInline):
    model = Section
    extra = 0


class ReferenceInline(HardenedFormFieldsMixin, admin.StackedInline):
    model = Reference
    extra = 0
    fields = [
        "position",
        "authors",
        ("year", "date_detail"),
        "title",
        ("container", "volume", "issue", "pages"),
        ("doi", "url"),
    ]


@admin.register(Paper)
class PaperAdmin(HardenedModelAdmin):
    list_display = ["title", "edition", "stream", "status", "published_on", "comment_count"]
    list_filter = ["status", "edition", "stream", "comments_open"]
    search_fields = ["title", "thesis"]
    date_hierarchy = "published_on"
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["citation_problems"]
    inlines = [AuthorshipInline, SectionInline, ReferenceInline]
    fieldsets = [
        (None, {"fields": ["edition", "stream", "title", "slug", "thesis", "abstract"]}),
        ("Publishing", {"fields": ["status", "published_on", "comments_open"]}),
        ("Citations", {"fields": ["citation_problems"]}),
    ]

    @admin.display(description="Citation problems")
    def citation_problems(self, paper):
        if paper.pk is None:
            return "Checked once the paper is saved."
        report = citation_report(paper.sections.all(), paper.references.all())
        if report.ok:
            return "Every citation matches a reference, and every reference is cited."
        unmatched = format_html_join(
            "", "<li>Citation matches no reference, in “{}”: ({})</li>", report.unmatched
        )
        uncited = format_html_join(
            "", "<li>Reference never cited: {}</li>", ((str(ref),) for ref in report.uncited)
        )
        return format_html('<ul class="citation-problems">{}{}</ul>', unmatched, uncited)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        paper_render(form.instance)
