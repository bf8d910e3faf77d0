from functools import partial

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from common.images import FORMATS, NotAnImage, reencoded_image
from common.names import clean_name, has_letters
from conference.hardening import HardenedFormFieldsMixin, HardenedModelAdmin

from .citations import citation_report
from .document import blank_document, document_problems, paper_document
from .editing import (
    DOCUMENT_MAX_BYTES,
    DocumentChangeForm,
    document_field,
    document_file_field,
    latest_revision,
)
from .figures import figure_file, figure_path, figure_report
from .importer import import_paper
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
from .photos import portrait
from .revisions import paper_revised, paper_revision_baseline
from .services import paper_render

CITATION_PROBLEMS_SHOWN = 5  # in the warning when a paper is published with some


class StreamInline(HardenedFormFieldsMixin, admin.TabularInline):
    model = Stream
    prepopulated_fields = {"slug": ["name"]}
    extra = 0


class EditionForm(forms.ModelForm):
    def clean(self):
        """Dates in order, and a number of days for the rule that needs one."""
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", "The edition cannot end before it starts.")
        opens, closes = cleaned.get("call_opens_on"), cleaned.get("call_closes_on")
        if bool(opens) != bool(closes):
            field = "call_closes_on" if opens else "call_opens_on"
            self.add_error(field, "Give both dates of the call for papers, or neither.")
        elif opens and closes < opens:
            self.add_error("call_closes_on", "The call cannot close before it opens.")
        rule = cleaned.get("comments_close")
        if rule == Edition.CommentsClose.AFTER_DAYS and cleaned.get("comments_close_days") is None:
            self.add_error("comments_close_days", "Say after how many days discussions close.")
        return cleaned


@admin.register(Edition)
class EditionAdmin(HardenedModelAdmin):
    form = EditionForm
    list_display = ["name", "year", "starts_on", "ends_on", "comments_close"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["name", "year", "slug", ("starts_on", "ends_on"), "description"]}),
        ("Call for papers", {"fields": [("call_opens_on", "call_closes_on")]}),
        (
            "Discussions",
            {
                "fields": [("comments_close", "comments_close_days")],
                "description": "Closes every discussion of the edition's papers, unless a "
                "paper is kept open by hand (its “keep the discussion open”). A paper's "
                "discussion can also be closed by hand on its own page.",
            },
        ),
    ]
    inlines = [StreamInline]


@admin.register(Stream)
class StreamAdmin(HardenedModelAdmin):
    list_display = ["name", "edition", "position"]
    list_filter = ["edition"]
    prepopulated_fields = {"slug": ["name"]}


class PersonForm(forms.ModelForm):
    def clean_photo(self):
        """A new photo is checked, stripped of its metadata and made to fit, as the author's
        own profile page does it (papers.photos)."""
        upload = self.cleaned_data.get("photo")
        if not isinstance(upload, UploadedFile):
            return upload  # no new file (the stored one stays), or cleared
        upload.seek(0)
        data = upload.read(settings.COLLOQUY_IMAGE_MAX_BYTES + 1)  # one byte more: too large
        try:
            content, extension = portrait(data)
        except NotAnImage as error:
            raise forms.ValidationError(f"This photo cannot be used: {error}.") from None
        slug = self.cleaned_data.get("slug") or "person"
        return ContentFile(content, name=f"{slug}.{extension}")

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


class PaperDocumentForm(DocumentChangeForm):
    """The paper as one Markdown document (papers.editing), typed or uploaded as a file,
    and what changed, for its revision."""

    upload_field = "upload"

    document = document_field(
        label="Document",
        css_class="paper-document",
        help_text="Front matter between '---' lines, a '## ' heading for each section, then "
        "'## References' with one APA reference a paragraph, as import_paper reads a file "
        "(README: Writing a paper as a file). Figures' images are uploaded on the paper's page.",
    )
    upload = document_file_field(label="Or upload a Markdown file")
    field_order = ["document", "upload", "note", "based_on"]

    def clean_upload(self):
        return self.uploaded_document(DOCUMENT_MAX_BYTES)


def citation_problems_html(unmatched, uncited):
    """The citation check's findings as a list: (section heading, citation) pairs that match
    no reference, and the text of each reference never cited."""
    unmatched = format_html_join(
        "", "<li>Citation matches no reference, in “{}”: ({})</li>", unmatched
    )
    uncited = format_html_join(
        "", "<li>Reference never cited: {}</li>", ((text,) for text in uncited)
    )
    return format_html('<ul class="citation-problems">{}{}</ul>', unmatched, uncited)


def warn_of_citation_problems(request, paper):
    """A published paper whose citations do not all match is saved all the same; the page
    that saved it says what the citation check found."""
    if paper.status != Paper.Status.PUBLISHED:
        return
    report = citation_report(paper.sections.all(), paper.references.all())
    if report.ok:
        return
    problems = [
        f"({label}) in “{heading}” matches no reference" for heading, label in report.unmatched
    ]
    problems += [f"“{reference}” is never cited" for reference in report.uncited]
    listed = "; ".join(problems[:CITATION_PROBLEMS_SHOWN])
    more = len(problems) - CITATION_PROBLEMS_SHOWN
    listed += f"; and {more} more (see its Citation problems)" if more > 0 else ""
    messages.warning(request, f"“{paper}” is published with citation problems: {listed}.")


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
        (
            "Publishing",
            {"fields": ["status", "published_on", "comments_open", "keep_comments_open"]},
        ),
        ("Citations and figures", {"fields": ["citation_problems", "figure_problems"]}),
    ]

    @admin.display(description="Citation problems")
    def citation_problems(self, paper):
        if paper.pk is None:
            return "Checked once the paper is saved."
        report = citation_report(paper.sections.all(), paper.references.all())
        if report.ok:
            return "Every citation matches a reference, and every reference is cited."
        return citation_problems_html(report.unmatched, map(str, report.uncited))

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

    def save_model(self, request, obj, form, change):
        if change:  # revision 1 is the paper as it was, if it has none yet
            paper_revision_baseline(Paper.objects.get(pk=obj.pk))
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        paper_render(form.instance)
        paper_revised(form.instance, user=request.user)
        warn_of_citation_problems(request, form.instance)

    def get_urls(self):
        markdown = self.admin_site.admin_view(self.markdown_view)
        name = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path("add/markdown/", markdown, name=f"{name}_add_markdown"),
            path("<path:object_id>/markdown/", markdown, name=f"{name}_markdown"),
            *super().get_urls(),
        ]

    def markdown_view(self, request, object_id=None):
        """The paper as one Markdown document (a new paper's, without object_id): written or
        uploaded, previewed as readers will see it (nothing is written), saved."""
        paper = None
        if object_id is not None:
            paper = self.get_object(request, unquote(object_id))
            if paper is None:
                return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
            if not self.has_change_permission(request, paper):
                raise PermissionDenied
        elif not self.has_add_permission(request):
            raise PermissionDenied
        preview, citations = None, None
        if request.method == "POST":
            form = PaperDocumentForm(request.POST, request.FILES)
            if form.is_valid():
                text, note = form.cleaned_data["document"], form.cleaned_data["note"]
                write = partial(self._markdown_write, request, paper, text, note)
                if "_save" not in request.POST:
                    preview = form.document_preview(request, lambda: write()[0])
                    citations = preview and (preview.unmatched, preview.uncited)
                elif saved := form.document_save(paper, write):
                    return self._markdown_saved(request, *saved, note)
        else:
            if paper is None:
                text = blank_document(Edition.objects.first(), day=timezone.localdate())
            else:
                text = paper_document(paper)
                report = citation_report(paper.sections.all(), paper.references.all())
                citations = (report.unmatched, [str(ref) for ref in report.uncited])
            based_on = latest_revision(paper)
            form = PaperDocumentForm(initial={"document": text, "based_on": based_on})
        context = {
            **self.admin_site.each_context(request),
            "title": f"Write “{paper}” as Markdown" if paper else "Add a paper as Markdown",
            "opts": self.opts,
            "original": paper,
            "has_view_permission": self.has_view_permission(request, paper),
            "form": form,
            "preview": preview,
            "citations": citations and citation_problems_html(*citations),
            "citations_ok": citations is not None and not any(citations),
            "document_problems": document_problems(paper) if paper and not form.is_bound else [],
        }
        return TemplateResponse(request, "admin/papers/paper/markdown.html", context)

    @staticmethod
    def _markdown_write(request, paper, text, note):
        """Import the document into the paper (a new one without it, Paper()) and record the
        revision: (paper, created). Raises ImportProblem, and then nothing is written."""
        with transaction.atomic():
            if paper is not None:
                paper = Paper.objects.get(pk=paper.pk)  # its own copy, which the import changes
                paper_revision_baseline(paper)
            paper, created = import_paper(text, paper=paper or Paper())
            paper_revised(paper, user=request.user, note=note)
        return paper, created

    def _markdown_saved(self, request, saved, created, note):
        if created:
            self.log_addition(request, saved, "Added as Markdown.")
        else:
            self.log_change(
                request, saved, f"Changed as Markdown: {note}" if note else "Changed as Markdown."
            )
        messages.success(
            request,
            format_html(
                'The paper “{}” was saved. <a href="{}">View it on the site</a>.',
                saved.title,
                saved.get_absolute_url(),
            ),
        )
        warn_of_citation_problems(request, saved)
        name = f"admin:{self.opts.app_label}_{self.opts.model_name}_markdown"
        return redirect(reverse(name, args=[quote(saved.pk)], current_app=self.admin_site.name))
