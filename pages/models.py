"""Pages that organisers write in the admin: About, Call for papers, Code of conduct...

A page belongs to one edition (listed in that edition's navigation, at
/editions/<edition>/pages/<slug>/) or, without an edition, to the whole site (in the site's
navigation, at /pages/<slug>/). Its Markdown is rendered once, when it is saved, through the
site's one sanitiser (common.markup), as staff-written text like a paper's.
"""

from django.db import models
from django.db.models import Q
from django.urls import reverse

from common.markup import render_markdown
from papers.models import Edition, with_rendered


class PageQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Page.Status.PUBLISHED)

    def visible_to(self, user):
        """Drafts are for staff only."""
        return self if user.is_staff else self.published()

    def in_navigation(self):
        return self.published().filter(in_navigation=True)


class Page(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    edition = models.ForeignKey(
        Edition,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="pages",
        help_text="Left empty: a page of the whole site, listed in every page's navigation.",
    )
    title = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=100,
        help_text="Its address: /pages/<slug>/, or "
        "/editions/<edition>/pages/<slug>/ for an edition's page.",
    )
    body = models.TextField(
        help_text="Markdown (CommonMark): paragraphs, *italic*, **bold**, [links](https://…), "
        "lists, tables, ### headings. Sanitised as a paper is: no script, no image from "
        "another site."
    )
    body_html = models.TextField(blank=True, editable=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    position = models.PositiveIntegerField(default=0, help_text="Lower comes first.")
    in_navigation = models.BooleanField(
        "listed in the navigation",
        default=True,
        help_text="Untick to reach the page only by its address and the edition's page.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = PageQuerySet.as_manager()

    class Meta:
        ordering = ["position", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "slug"],
                name="unique_page_slug_per_edition",
                violation_error_message="This edition already has a page with this slug.",
            ),
            models.UniqueConstraint(
                fields=["slug"],
                condition=Q(edition__isnull=True),
                name="unique_site_page_slug",
                violation_error_message="A page of the whole site already has this slug.",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.edition.name})" if self.edition else self.title

    def save(self, **kwargs):
        self.body_html = render_markdown(self.body, trusted=True)
        super().save(**with_rendered(kwargs, "body", "body_html"))

    def get_absolute_url(self):
        if self.edition is None:
            return reverse("pages:site_page", kwargs={"slug": self.slug})
        return reverse(
            "pages:edition_page", kwargs={"edition": self.edition.slug, "slug": self.slug}
        )

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED
