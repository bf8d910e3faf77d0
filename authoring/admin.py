"""The organisers' submissions list: each paper sent in, where it stands, and the decisions
(publish; return with a note; decline), every one made through authoring.services."""

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from common.admin_actions import confirmation_page, confirmed
from conference.hardening import HardenedFormFieldsMixin, HardenedModelAdmin
from papers.admin import warn_of_citation_problems

from .forms import DecisionForm
from .models import Submission, SubmissionEvent
from .services import NotAllowed, submission_decide

State = Submission.State


class SubmissionEventInline(HardenedFormFieldsMixin, admin.TabularInline):
    model = SubmissionEvent
    extra = 0
    can_delete = False
    fields = ["at", "action", "by", "note"]
    readonly_fields = fields
    verbose_name = "step"
    verbose_name_plural = "history"

    def has_add_permission(self, request, obj=None):
        return False


def _decide(modeladmin, request, queryset, *, state, done, note=""):
    """Take the decision on each selected submission; say how many, and which could not."""
    decided, refused = 0, []
    for submission in queryset.select_related("paper"):
        try:
            submission_decide(submission, by=request.user, state=state, note=note)
            decided += 1
            submission.paper.refresh_from_db()  # as the decision left it
            warn_of_citation_problems(request, submission.paper)  # published: what is off
        except NotAllowed as refusal:
            refused.append(str(refusal))
    if decided:
        paper = "paper" if decided == 1 else "papers"
        modeladmin.message_user(request, f"{decided} {paper} {done}.", messages.SUCCESS)
    for refusal in refused:
        modeladmin.message_user(request, refusal, messages.WARNING)


def _with_note(modeladmin, request, queryset, *, action, state, done, title, note_required):
    """A page asking for the note to the authors first (as "Delete selected" asks to
    confirm); the POST that brings it takes the decision."""
    form = DecisionForm(request.POST if confirmed(request) else None, note_required=note_required)
    if form.is_valid():
        return _decide(
            modeladmin, request, queryset, state=state, done=done, note=form.cleaned_data["note"]
        )
    return confirmation_page(
        modeladmin,
        request,
        queryset,
        "admin/authoring/submission/decision.html",
        action=action,
        title=title,
        listed=queryset.select_related("paper__edition"),
        form=form,
    )


@admin.action(description="Publish", permissions=["change"])
def publish(modeladmin, request, queryset):
    _decide(modeladmin, request, queryset, state=State.PUBLISHED, done="published")


@admin.action(description="Return to the authors with a note", permissions=["change"])
def return_to_authors(modeladmin, request, queryset):
    return _with_note(
        modeladmin,
        request,
        queryset,
        action="return_to_authors",
        state=State.RETURNED,
        done="returned to their authors",
        title="Return to the authors",
        note_required=True,
    )


@admin.action(description="Decline", permissions=["change"])
def decline(modeladmin, request, queryset):
    return _with_note(
        modeladmin,
        request,
        queryset,
        action="decline",
        state=State.DECLINED,
        done="declined",
        title="Decline",
        note_required=False,
    )


@admin.register(Submission)
class SubmissionAdmin(HardenedModelAdmin):
    list_display = ["title", "authors", "edition", "stream", "state", "submitted_at", "decided_at"]
    list_filter = ["state", "paper__edition", "paper__stream"]
    search_fields = ["paper__title", "paper__authors__display_name"]
    date_hierarchy = "submitted_at"
    list_select_related = ["paper__edition", "paper__stream"]
    actions = [publish, return_to_authors, decline]
    fields = [
        "paper_links",
        "authors",
        "state",
        "note",
        "submitted_by",
        "submitted_at",
        "decided_by",
        "decided_at",
        "document",
    ]
    readonly_fields = fields
    inlines = [SubmissionEventInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("paper__authorships__person")

    def has_add_permission(self, request):
        return False  # papers are sent in by their authors (/me/papers/)

    @admin.display(description="paper", ordering="paper__title")
    def title(self, submission):
        return submission.paper.title

    @admin.display(description="authors")
    def authors(self, submission):
        return ", ".join(str(person) for person in submission.paper.author_list)

    @admin.display(description="edition", ordering="paper__edition")
    def edition(self, submission):
        return submission.paper.edition.name

    @admin.display(description="stream", ordering="paper__stream__name")
    def stream(self, submission):
        return submission.paper.stream.name

    @admin.display(description="paper")
    def paper_links(self, submission):
        paper = submission.paper
        links = [
            (paper.get_absolute_url(), "its page (drafts are shown to staff only)"),
            (reverse("admin:papers_paper_change", args=[paper.pk]), "edit it in the admin"),
            (submission.get_absolute_url(), "the authors' view of this submission"),
        ]
        return format_html(
            "<strong>{}</strong>: {}",
            paper.title,
            format_html_join(" · ", '<a href="{}">{}</a>', links),
        )
