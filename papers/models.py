"""Conference editions, their streams, the people who write papers, and the papers themselves."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from common.markup import render_markdown
from common.names import NO_NAME, display_name

from .apa import reference_html


def with_rendered(save_options, source, rendered):
    """save()'s options, a save of some fields that include `source` storing what it renders
    to as well (update_or_create saves only the fields it was given)."""
    fields = save_options.get("update_fields")
    if fields is not None and source in fields:
        return {**save_options, "update_fields": {*fields, rendered}}
    return save_options


class Edition(models.Model):
    """One year's conference, e.g. "Colloquy 2026"."""

    class CommentsClose(models.TextChoices):
        NEVER = "never", "Never"
        AFTER_DAYS = "after_days", "A number of days after a paper is published"
        AT_END = "at_end", "When the edition ends"

    name = models.CharField(max_length=200)
    year = models.PositiveIntegerField()
    slug = models.SlugField(unique=True)
    starts_on = models.DateField()
    ends_on = models.DateField()
    description = models.TextField(blank=True, help_text="Markdown.")
    description_html = models.TextField(blank=True, editable=False)
    call_opens_on = models.DateField(
        "call for papers opens", null=True, blank=True, help_text="Submissions open that day."
    )
    call_closes_on = models.DateField(
        "call for papers closes", null=True, blank=True, help_text="The last day to submit."
    )
    comments_close = models.CharField(
        "discussions close",
        max_length=12,
        choices=CommentsClose.choices,
        default=CommentsClose.NEVER,
    )
    comments_close_days = models.PositiveSmallIntegerField(
        "days until discussions close",
        null=True,
        blank=True,
        help_text="With “a number of days after a paper is published”.",
    )

    class Meta:
        ordering = ["-year", "-starts_on"]

    def __str__(self):
        return self.name

    def save(self, **kwargs):
        self.description_html = render_markdown(self.description, trusted=True)
        super().save(**with_rendered(kwargs, "description", "description_html"))

    def get_absolute_url(self):
        return reverse("papers:edition", kwargs={"edition": self.slug})


class Stream(models.Model):
    """A track of an edition; papers are presented in one stream."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="streams")
    name = models.CharField(max_length=200)
    slug = models.SlugField()
    description = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["edition", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "slug"], name="unique_stream_slug"),
        ]

    def __str__(self):
        return f"{self.name} ({self.edition.name})"

    def get_absolute_url(self):
        return reverse("papers:stream", kwargs={"edition": self.edition.slug, "stream": self.slug})


class Person(models.Model):
    """Someone who authors papers; linked to a user account when they sign in."""

    display_name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    affiliation = models.CharField(max_length=200, blank=True)
    bio = models.TextField(blank=True, help_text="Markdown.")
    bio_html = models.TextField(blank=True, editable=False)
    website = models.URLField(blank=True)
    photo = models.ImageField(upload_to="people/", max_length=200, blank=True)

    class Meta:
        ordering = ["display_name"]
        verbose_name_plural = "people"

    def __str__(self):
        return display_name(self.display_name) or NO_NAME

    def save(self, **kwargs):
        self.bio_html = render_markdown(self.bio)  # written by the author: not trusted
        super().save(**with_rendered(kwargs, "bio", "bio_html"))

    def get_absolute_url(self):
        return reverse("papers:author", kwargs={"slug": self.slug})


class PaperQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Paper.Status.PUBLISHED, published_on__lte=timezone.now())

    def visible_to(self, user):
        """Drafts and scheduled papers are for staff only."""
        return self if user.is_staff else self.published()

    def for_listing(self):
        return self.select_related("edition", "stream__edition").prefetch_related(
            "authorships__person"
        )


class Paper(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    edition = models.ForeignKey(Edition, on_delete=models.PROTECT, related_name="papers")
    stream = models.ForeignKey(Stream, on_delete=models.PROTECT, related_name="papers")
    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=120)
    thesis = models.TextField(help_text="The thesis statement, shown set apart under the title.")
    abstract = models.TextField(blank=True)
    authors = models.ManyToManyField(Person, through="Authorship", related_name="papers")
    published_on = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    comments_open = models.BooleanField(
        default=True, help_text="Untick to close the discussion by hand."
    )
    comments_closed_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When it was closed by hand."
    )
    keep_comments_open = models.BooleanField(
        "keep the discussion open",
        default=False,
        help_text="Open by hand: the edition's rule for closing discussions does not apply.",
    )
    comment_count = models.PositiveIntegerField(
        default=0, editable=False, help_text="Approved comments; kept by the comments app."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PaperQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "title"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "slug"], name="unique_paper_slug"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        """Remember when the discussion was closed by hand."""
        if self.comments_open:
            self.comments_closed_at = None
        elif self.comments_closed_at is None:
            self.comments_closed_at = timezone.now()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("papers:paper", kwargs={"edition": self.edition.slug, "slug": self.slug})

    @property
    def author_list(self):
        """The authors in byline order (uses prefetched authorships when there are some)."""
        return [authorship.person for authorship in self.authorships.all()]

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED and self.published_on <= timezone.now()


class Authorship(models.Model):
    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="authorships")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="authorships")
    position = models.PositiveIntegerField(default=0)

    # Declarations (an ordering, a unique pair, a name): comments.ModerationWord's have the
    # same shape, and nothing in them is logic to share.
    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["paper", "person"], name="unique_authorship"),
        ]

    def __str__(self):
        return f"{self.person} on {self.paper}"


class Section(models.Model):
    """A headed part of a paper; its Markdown body is rendered to HTML when the paper is saved."""

    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveIntegerField(default=0)
    heading = models.CharField(max_length=200)
    anchor = models.SlugField(max_length=120, blank=True, editable=False)
    former_anchors = models.JSONField(
        default=list,
        blank=True,
        editable=False,
        help_text="Anchors the section had under earlier headings; links to them still work.",
    )
    body = models.TextField(help_text="Markdown. In-text citations are linked to the references.")
    body_html = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.heading


class Reference(models.Model):
    """One entry of a paper's bibliography, kept in the parts APA 7 is made of."""

    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="references")
    position = models.PositiveIntegerField(default=0)
    authors = models.CharField(
        max_length=500, help_text='As in APA, e.g. "Naslund, J. A., & Bartels, S. J."'
    )
    year = models.CharField(
        max_length=12,
        help_text='As in-text citations write it: "2016", "2016a", "n.d.", "n.d.-a", "in press", '
        '"2019–2020", or "1923/2004" for a work first published in 1923 and republished in 2004',
    )
    date_detail = models.CharField(
        "month, day or season",
        max_length=40,
        blank=True,
        help_text='What APA writes after the year, if anything: "March 3", "Spring", "April 16–19"',
    )
    title = models.CharField(max_length=500)
    text = models.TextField(
        "as written",
        blank=True,
        help_text="A reference an import could not read as APA, kept as its text; shown as "
        "written, and never matched by a citation.",
    )
    container = models.CharField("journal or book", max_length=300, blank=True)
    volume = models.CharField(max_length=20, blank=True)
    issue = models.CharField(max_length=20, blank=True)
    pages = models.CharField(max_length=40, blank=True)
    doi = models.CharField("DOI", max_length=200, blank=True, help_text="e.g. 10.1017/S20457960")
    url = models.URLField("URL", max_length=500, blank=True)
    anchor = models.SlugField(max_length=120, blank=True, editable=False)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.text or f"{self.authors} ({self.year}). {self.title}"

    def as_html(self):
        return reference_html(self)


class FigureImage(models.Model):
    """An image file one of the paper's figures shows, stored and served by this site.

    A figure is a paragraph of the paper's Markdown holding only an image,
    `![alt text](name "Caption")`: its alt text and caption live in the text, and `name`
    is how the text names this file. An image the paper names but has no file for is shown
    as a link to its address, never loaded from another site.
    """

    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="figure_images")
    name = models.CharField(
        max_length=500, help_text='As the paper\'s Markdown names it: ![alt](name "Caption")'
    )
    image = models.ImageField(upload_to="figures/", max_length=200)

    class Meta:
        ordering = ["paper", "name"]
        constraints = [
            models.UniqueConstraint(fields=["paper", "name"], name="unique_figure_image_name"),
        ]

    def __str__(self):
        return self.name


class PaperRevision(models.Model):
    """A saved version of a paper: the whole paper as one Markdown document (the format
    import_paper reads), who saved it, when, and why."""

    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(max_length=200, blank=True, help_text="What changed, in a line.")
    document = models.TextField(help_text="The paper as one Markdown document.")

    class Meta:
        ordering = ["paper", "number"]
        constraints = [
            models.UniqueConstraint(fields=["paper", "number"], name="unique_revision_number"),
        ]

    def __str__(self):
        return f"{self.paper} (revision {self.number})"
