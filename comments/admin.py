"""The comments admin and the moderation queue; every status change goes through services."""

import functools

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Prefetch
from django.utils.html import format_html, format_html_join

from common.admin_actions import confirmation_page, confirmed
from common.names import NO_NAME, display_name
from conference.hardening import HardenedFormFieldsMixin, HardenedModelAdmin, harden_admin_site

from . import services
from .admin_personal_data import erase_personal_data, export_personal_data
from .diff import side_by_side
from .models import Comment, ModerationEvent, ModerationReason, ModerationWord, PendingComment

Status = Comment.Status


class ReasonFilter(admin.SimpleListFilter):
    title = "reason"
    parameter_name = "reason"

    def lookups(self, request, model_admin):
        names = ModerationReason.objects.values_list("check_name", flat=True).distinct()
        return [(name, name.replace("_", " ")) for name in sorted(set(names))]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(reasons__check_name=self.value()).distinct()
        return queryset


class ModerationEventInline(HardenedFormFieldsMixin, admin.TabularInline):
    model = ModerationEvent
    extra = 0
    can_delete = False
    fields = ["at", "actor", "from_status", "to_status", "reason", "text_before"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


def _counted(count):
    return f"{count} comment{'s' if count != 1 else ''}"


def _outcome(done, changed, selected):
    """What a bulk action tells the moderator, e.g. "3 comments approved.", and how loudly."""
    if not selected:
        return "No comments changed.", messages.INFO
    unchanged = selected - changed
    already = f"{'was' if unchanged == 1 else 'were'} already {done}"
    if not changed:
        those = "the selected comment" if selected == 1 else f"the {selected} selected"
        return f"No comments changed: {those} {already}.", messages.INFO
    if unchanged:
        return f"{_counted(changed)} {done}; {unchanged} {already}.", messages.SUCCESS
    return f"{_counted(changed)} {done}.", messages.SUCCESS


def _one_by_one(description, done):
    """Make an admin action for moderators (permission: change) of a function that moves
    one comment through a service, returning False when the comment was there already: the
    action moves each selected comment so, then tells the moderator how many moved.

    description: the action's name in the menu, also recorded as the reason of each change;
    done: what the message says happened, as in "3 comments approved."
    """

    def make(move):
        @admin.action(description=description, permissions=["change"])
        @functools.wraps(move)
        def action(modeladmin, request, queryset):
            selected = list(queryset.select_related("paper"))
            moved = [move(comment, actor=request.user, reason=description) for comment in selected]
            modeladmin.message_user(request, *_outcome(done, sum(moved), len(selected)))

        return action

    return make


@_one_by_one("Approve", done="approved")
def approve(comment, *, actor, reason):
    return services.comment_set_status(comment, Status.APPROVED, actor=actor, reason=reason)


@_one_by_one("Unapprove", done="unapproved")
def unapprove(comment, *, actor, reason):
    return services.comment_set_status(comment, Status.PENDING, actor=actor, reason=reason)


@_one_by_one("Mark as spam", done="marked as spam")
def mark_as_spam(comment, *, actor, reason):
    return services.comment_set_status(comment, Status.SPAM, actor=actor, reason=reason)


@_one_by_one("Not spam", done="marked as not spam")
def not_spam(comment, *, actor, reason):
    return services.comment_restore(comment, actor=actor, reason=reason)


@_one_by_one("Restore", done="restored")
def restore(comment, *, actor, reason):
    return services.comment_restore(comment, actor=actor, reason=reason)


@_one_by_one("Move to trash", done="moved to trash")
def move_to_trash(comment, *, actor, reason):
    return services.comment_set_status(comment, Status.TRASH, actor=actor, reason=reason)


@admin.action(description="Delete permanently (replies stay)", permissions=["delete"])
def delete_permanently(modeladmin, request, queryset):
    """Like Django's "Delete selected": a page to confirm first; the confirming POST deletes."""
    selected = list(queryset.select_related("paper"))
    if not confirmed(request):
        return confirmation_page(
            modeladmin,
            request,
            queryset,
            "admin/comments/delete_permanently_confirmation.html",
            action="delete_permanently",
            title="Delete comments permanently",
            listed=selected,
        )
    with transaction.atomic():
        modeladmin.log_deletions(request, selected)
        modeladmin.delete_queryset(request, queryset)
    modeladmin.message_user(
        request, f"{_counted(len(selected))} deleted permanently.", messages.SUCCESS
    )


@admin.register(Comment)
class CommentAdmin(HardenedModelAdmin):
    list_display = [
        "excerpt",
        "commenter",
        "email",
        "paper_link",
        "in_reply_to",
        "status",
        "reasons_list",
        "submitted_at",
    ]
    list_filter = [
        "status",
        "paper__edition",
        "paper__stream",
        ("paper", admin.RelatedOnlyFieldListFilter),
        ReasonFilter,
    ]
    search_fields = ["body", "name", "email"]
    date_hierarchy = "submitted_at"
    list_select_related = ["paper__edition", "parent"]
    list_per_page = 50
    actions = [
        approve,
        unapprove,
        mark_as_spam,
        not_spam,
        move_to_trash,
        restore,
        delete_permanently,
        export_personal_data,
        erase_personal_data,
    ]
    fieldsets = [
        (None, {"fields": ["view_on_site_link", "paper", "in_reply_to", "status", "body"]}),
        ("Commenter", {"fields": ["commenter", "email", "website", "user", "by_paper_author"]}),
        ("Moderation", {"fields": ["reasons_list", "difference", "submitted_at"]}),
    ]
    readonly_fields = [
        "view_on_site_link",
        "paper",
        "in_reply_to",
        "commenter",
        "email",
        "website",
        "user",
        "by_paper_author",
        "reasons_list",
        "difference",
        "submitted_at",
    ]
    inlines = [ModerationEventInline]

    class Media:
        css = {"all": ["admin_colloquy/moderation.css"]}

    def get_actions(self, request, action_location=admin.ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location)
        actions.pop("delete_selected", None)  # deleting must keep replies: use the service
        return actions

    def get_queryset(self, request):
        reasons = ModerationReason.objects.select_related("related_comment")
        return super().get_queryset(request).prefetch_related(Prefetch("reasons", reasons))

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        """Edits go through the services, which record who changed what: the text first, under
        the status the comment had, then the new status."""
        status, obj.status = obj.status, form.initial.get("status", obj.status)
        if "body" in form.changed_data:
            services.comment_edit(obj, body=obj.body, actor=request.user)
        if status != obj.status:
            services.comment_set_status(
                obj, status, actor=request.user, reason="status set on the comment's page"
            )

    def delete_model(self, request, obj):
        services.comment_delete(obj)

    def delete_queryset(self, request, queryset):
        for comment in queryset:
            services.comment_delete(comment)

    @admin.display(description="paper", ordering="paper__title")
    def paper_link(self, comment):
        return comment.paper.title[:60]

    @admin.display(description="name", ordering="name")
    def commenter(self, comment):
        """The name as shown everywhere: without invisible characters (common.names)."""
        return display_name(comment.name) or NO_NAME

    @admin.display(description="in reply to")
    def in_reply_to(self, comment):
        return self.commenter(comment.parent) if comment.parent_id and comment.parent else "—"

    @admin.display(description="on the site")
    def view_on_site_link(self, comment):
        return format_html(
            '<a href="{}">See the comment in context</a>', comment.get_absolute_url()
        )

    @admin.display(description="reasons")
    def reasons_list(self, comment):
        reasons = list(comment.reasons.all())
        if not reasons:
            return "—"
        return format_html_join(
            "",
            "<div>{}{}</div>",
            (
                (
                    reason.message,
                    format_html(
                        ' (<a href="{}">original</a>)',
                        reason.related_comment.get_absolute_url(),
                    )
                    if reason.related_comment
                    else "",
                )
                for reason in reasons
            ),
        )

    @admin.display(description="difference from the original")
    def difference(self, comment):
        original = next(
            (
                r.related_comment
                for r in comment.reasons.all()
                if r.check_name == "near_duplicate" and r.related_comment
            ),
            None,
        )
        if original is None:
            return "—"
        return side_by_side(original.body, comment.body, left=f"#{original.pk}", right="this")


@admin.register(PendingComment)
class ModerationQueueAdmin(CommentAdmin):
    """Only what waits for a decision, oldest first."""

    list_display = ["excerpt", "commenter", "paper_link", "in_reply_to", "reasons_list", "context"]
    list_filter = [("paper", admin.RelatedOnlyFieldListFilter), ReasonFilter]
    date_hierarchy = None
    ordering = ["submitted_at", "id"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(status=Status.PENDING)

    @admin.display(description="in context")
    def context(self, comment):
        return format_html('<a href="{}">view on site</a>', comment.get_absolute_url())


@admin.register(ModerationWord)
class ModerationWordAdmin(HardenedModelAdmin):
    list_display = ["phrase", "action"]
    list_filter = ["action"]
    search_fields = ["phrase"]


# The admins of the other apps (users and groups, tasks) get the same hardening. This module is
# the last admin module Django's autodiscovery imports (INSTALLED_APPS order), so every other
# app's admin is registered by now.
harden_admin_site(admin.site)
