from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.files.uploadedfile import UploadedFile
from django.utils.html import format_html, format_html_join

from common.images import FORMATS, NotAnImage, reencoded_image
from common.names import clean_name, has_letters
from conference.hardening import HardenedFormFieldsMixin, HardenedModelAdmin

from .citations import citation_report
from .figures import figure_file, figure_path, figure_report
from .models import (
    Authorship,
    Edition,
    FigureImage,
    Paper,
    Person,
    Reference,
    Section,
    Stream,
)
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


class FigureImageForm(forms.ModelForm):
    """An upload checked and encoded anew by common.images (so an SVG, a file that is no
    image, or one too large is refused next to the field), and stored as import_paper stores
    a file (papers.figures.figure_file): named by its content."""

    name = forms.CharField(
        max_length=FigureImage._meta.get_field("name").max_length,
        required=False,
        help_text='Write <code>![alt text](name "Caption")</code> alone in a paragraph of a '
        "section to show the image there as a numbered figure. Left blank: the uploaded "
        "file's name.",
    )
    image = forms.FileField(
        widget=forms.ClearableFileInput(
            attrs={"accept": ",".join(f"image/{kind.lower()}" for kind in FORMATS)}
        ),
    )

    class Meta:
        model = FigureImage
        fields = ["name", "image"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        megabytes = settings.COLLOQUY_IMAGE_MAX_BYTES // (1024 * 1024)
        self.fields["image"].help_text = (
            f"PNG, JPEG, GIF or WebP, at most {megabytes} MB. Stored encoded anew: "
            "what the file says besides the picture (camera, place, author) is not kept."
        )
        self.encoded, self.uploaded_name = None, ""

    def clean_image(self):
        """The upload, checked and encoded anew; the path it will have (figure_path) is what
        the instance is given, and the file is written when the form is saved."""
        upload = self.cleaned_data["image"]
        if not isinstance(upload, UploadedFile):
            return upload  # no new file: the stored one stays
        upload.seek(0)
        data = upload.read(settings.COLLOQUY_IMAGE_MAX_BYTES + 1)  # one byte more: too large
        try:
            self.encoded = reencoded_image(data)
        except NotAnImage as error:
            raise forms.ValidationError(f"This file cannot be used: {error}.") from None
        self.uploaded_name = upload.name
        return figure_path(self.encoded)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("name") and self.encoded is not None:
            cleaned["name"] = self.uploaded_name
        if not cleaned.get("name") and "image" not in self.errors:
            self.add_error("name", "Enter the name the paper's text gives this image.")
        return cleaned

    def save(self, commit=True):
        if self.encoded is not None:
            self.instance.image = figure_file(self.encoded)
        return super().save(commit)


class FigureImageInline(HardenedFormFieldsMixin, admin.StackedInline):
    model = FigureImage
    form = FigureImageForm
    extra = 0
    verbose_name = "figure image"


@admin.register(Paper)
class PaperAdmin(HardenedModelAdmin):
    list_display = ["title", "edition", "stream", "status", "published_on", "comment_count"]
    list_filter = ["status", "edition", "stream", "comments_open"]
    search_fields = ["title", "thesis"]
    date_hierarchy = "published_on"
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["citation_problems", "figure_problems"]
    inlines = [AuthorshipInline, SectionInline, ReferenceInline, FigureImageInline]
    fieldsets = [
        (None, {"fields": ["edition", "stream", "title", "slug", "thesis", "abstract"]}),
        ("Publishing", {"fields": ["status", "published_on", "comments_open"]}),
        ("Citations and figures", {"fields": ["citation_problems", "figure_problems"]}),
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

    @admin.display(description="Figures")
    def figure_problems(self, paper):
        if paper.pk is None:
            return "Checked once the paper is saved."
        missing, unused = figure_report(paper)
        if not missing and not unused:
            return "Every figure naming a file has its image, and every image is shown."
        missing = format_html_join(
            "", "<li>Figure with no image uploaded: {}</li>", ((name,) for name in missing)
        )
        unused = format_html_join(
            "", "<li>Image no figure shows: {}</li>", ((name,) for name in unused)
        )
        return format_html('<ul class="figure-problems">{}{}</ul>', missing, unused)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        paper_render(form.instance)
