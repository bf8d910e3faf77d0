"""The Comments admin: its pages, list columns, filters and search, the bulk actions, the
near-duplicate difference on a comment's page, and editing a comment there."""

import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Group, Permission

from comments.models import Comment, ModerationReason
from comments.services import comment_set_status
from tests.comments.test_fingerprints import REPLY, REPOSTED
from tests.factories import make_comment, make_paper, make_user

pytestmark = pytest.mark.django_db
Status = Comment.Status


def test_comments_admin_pages_load(admin_client):
    make_comment(make_paper(), status=Status.PENDING)
    for url in (
        "/admin/",
        "/admin/comments/comment/",
        "/admin/comments/pendingcomment/",
        "/admin/comments/moderationword/",
    ):
        assert admin_client.get(url).status_code == 200, url


def test_comments_admin_lists_filters_and_searches(admin_client):
    paper = make_paper(title="Admin paper")
    held = make_comment(paper, name="Held Person", email="held@example.org", status=Status.PENDING)
    ModerationReason.objects.create(
        comment=held, check_name="links", verdict="hold", message="contains 3 links"
    )
    make_comment(paper, name="Shown Person", body="findable words")
    html = admin_client.get("/admin/comments/comment/").content.decode()
    for column in (
        "Excerpt",
        "Name",
        "Email",
        "Paper",
        "In reply to",
        "Status",
        "Reasons",
        "Submitted at",
    ):
        assert column.lower() in html.lower()
    assert "held@example.org" in html and "contains 3 links" in html
    pending = admin_client.get("/admin/comments/comment/?status__exact=pending").content.decode()
    assert "Held Person" in pending and "Shown Person" not in pending
    by_reason = admin_client.get("/admin/comments/comment/?reason=links").content.decode()
    assert "Held Person" in by_reason and "Shown Person" not in by_reason
    found = admin_client.get("/admin/comments/comment/?q=findable").content.decode()
    assert "Shown Person" in found and "Held Person" not in found
    stream = paper.stream
    assert (
        admin_client.get(
            f"/admin/comments/comment/?paper__stream__id__exact={stream.pk}"
        ).status_code
        == 200
    )


def run_action(client, action, comments, changelist="/admin/comments/comment/", **options):
    """Choose a bulk action for these comments on a changelist, as its form sends it."""
    selected = [comment.pk for comment in comments]
    data = {"action": action, "_selected_action": selected, "index": 0}
    return client.post(changelist, data, **options)


@pytest.mark.parametrize(
    ("action", "start", "end", "message"),
    [
        ("approve", Status.PENDING, Status.APPROVED, "2 comments approved."),
        ("unapprove", Status.APPROVED, Status.PENDING, "2 comments unapproved."),
        ("mark_as_spam", Status.APPROVED, Status.SPAM, "2 comments marked as spam."),
        ("not_spam", Status.SPAM, Status.PENDING, "2 comments marked as not spam."),
        ("move_to_trash", Status.PENDING, Status.TRASH, "2 comments moved to trash."),
        ("restore", Status.TRASH, Status.PENDING, "2 comments restored."),
        (
            "approve",
            Status.APPROVED,
            Status.APPROVED,
            "No comments changed: the 2 selected were already approved.",
        ),
        (
            "mark_as_spam",
            Status.SPAM,
            Status.SPAM,
            "No comments changed: the 2 selected were already marked as spam.",
        ),
    ],
)
def test_bulk_actions_change_status_and_say_how_many(admin_client, action, start, end, message):
    paper = make_paper()
    chosen = [make_comment(paper, status=start) for _ in range(2)]
    response = run_action(admin_client, action, chosen, follow=True)
    assert message in response.content.decode()
    assert {c.status for c in Comment.objects.all()} == {end}


def test_bulk_action_counts_one_comment_and_those_already_changed(admin_client):
    paper = make_paper()
    pending = make_comment(paper, status=Status.PENDING)
    approved = [make_comment(paper) for _ in range(2)]
    response = run_action(admin_client, "approve", [pending, *approved], follow=True)
    assert "1 comment approved; 2 were already approved." in response.content.decode()
    response = run_action(admin_client, "unapprove", [pending], follow=True)
    assert "1 comment unapproved." in response.content.decode()
    response = run_action(admin_client, "restore", [pending], follow=True)
    assert (
        "No comments changed: the selected comment was already restored."
        in response.content.decode()
    )


def test_not_spam_and_restore_put_comments_back(admin_client):
    paper = make_paper()
    was_pending = make_comment(paper, status=Status.PENDING)
    was_approved = make_comment(paper)
    comment_set_status(was_pending, Status.SPAM, actor=None)
    comment_set_status(was_approved, Status.TRASH, actor=None)
    for action, comment, message in (
        ("not_spam", was_pending, "1 comment marked as not spam."),
        ("restore", was_approved, "1 comment restored."),
    ):
        response = run_action(admin_client, action, [comment], follow=True)
        assert message in response.content.decode()
    was_pending.refresh_from_db()
    was_approved.refresh_from_db()
    assert (was_pending.status, was_approved.status) == (Status.PENDING, Status.APPROVED)


STATUS_ACTIONS = [
    ("approve", "Approve"),
    ("unapprove", "Unapprove"),
    ("mark_as_spam", "Mark as spam"),
    ("not_spam", "Not spam"),
    ("move_to_trash", "Move to trash"),
    ("restore", "Restore"),
]
DELETE_ACTION = ("delete_permanently", "Delete permanently (replies stay)")
EXPORT_ACTION = (
    "export_personal_data",
    "Export the personal data of these comments&#x27; posters (JSON)",
)
ERASE_ACTION = ("erase_personal_data", "Erase the personal data of these comments&#x27; posters…")


def _staff_with(*codenames):
    """A staff user with these permissions of the comments app, and no others."""
    user = make_user(staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="comments", codename__in=codenames)
    )
    return user


def actions_menu(client, changelist):
    """The bulk actions a changelist offers its user: (name, label) pairs in menu order."""
    html = client.get(changelist).content.decode()
    menu = re.search(r'<select name="action"[^>]*>(.*?)</select>', html, re.S)
    return re.findall(r'<option value="([^"]+)">([^<]+)</option>', menu[1]) if menu else []


@pytest.mark.parametrize(
    "changelist", ["/admin/comments/comment/", "/admin/comments/pendingcomment/"]
)
def test_bulk_actions_offered_follow_the_permissions(client, changelist):
    make_comment(make_paper(), status=Status.PENDING)
    model = changelist.split("/")[3]
    users = {
        "moderator": make_user(staff=True),
        "may change": _staff_with(f"view_{model}", f"change_{model}"),
        "may only look": _staff_with(f"view_{model}"),
    }
    users["moderator"].groups.add(Group.objects.get(name="Moderators"))
    offered = {}
    for who, user in users.items():
        client.force_login(user)
        offered[who] = actions_menu(client, changelist)
    assert offered == {
        "moderator": [*STATUS_ACTIONS, DELETE_ACTION, EXPORT_ACTION, ERASE_ACTION],
        "may change": [*STATUS_ACTIONS, EXPORT_ACTION],  # not Django's "Delete selected"
        "may only look": [],
    }


@pytest.mark.parametrize(
    ("action", "permissions"),
    [
        ("delete_permanently", ["view_comment", "change_comment"]),
        ("approve", ["view_comment", "delete_comment"]),
    ],
)
def test_an_action_is_refused_without_its_permission(client, action, permissions):
    held = make_comment(make_paper(), status=Status.PENDING)
    client.force_login(_staff_with(*permissions))
    response = run_action(client, action, [held], follow=True)
    assert "No action selected." in response.content.decode()
    held.refresh_from_db()  # not deleted
    assert held.status == Status.PENDING


@pytest.mark.parametrize(
    ("action", "label", "start"),
    [
        ("approve", "Approve", Status.PENDING),
        ("unapprove", "Unapprove", Status.APPROVED),
        ("mark_as_spam", "Mark as spam", Status.APPROVED),
        ("not_spam", "Not spam", Status.SPAM),
        ("move_to_trash", "Move to trash", Status.APPROVED),
        ("restore", "Restore", Status.TRASH),
    ],
)
def test_bulk_actions_record_who_and_which_action(admin_client, admin_user, action, label, start):
    comment = make_comment(make_paper(), status=start)
    run_action(admin_client, action, [comment])
    event = comment.events.last()
    assert (event.actor, event.from_status, event.reason) == (admin_user, start, label)
    assert event.to_status != start


class _HiddenInputs(HTMLParser):
    """The hidden inputs of a page's forms, as (name, value) pairs in order."""

    def __init__(self, html):
        super().__init__()
        self.fields = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("type") == "hidden":
            self.fields.append((attrs["name"], attrs["value"]))


def confirm_delete_permanently(client, changelist, comments):
    """Choose "Delete permanently" for these comments, then send the confirmation page's form.

    Returns the confirmation page and the page after confirming.
    """
    page = run_action(client, "delete_permanently", comments, changelist)
    assert page.status_code == 200
    form = {}
    for name, value in _HiddenInputs(page.content.decode()).fields:
        form.setdefault(name, []).append(value)
    return page, client.post(changelist, form, follow=True)


def test_delete_permanently_asks_first_and_deletes_nothing(admin_client):
    paper = make_paper(title="The paper under discussion")
    top = make_comment(paper, name="Ada Reader", body="A first comment to delete.")
    reply = make_comment(paper, parent=top, name="Ben Replier")
    other = make_comment(paper, name="Cy Other", body="A second comment to delete.")
    response = run_action(admin_client, "delete_permanently", [top, other])
    assert response.status_code == 200
    assert response.templates[0].name == "admin/comments/delete_permanently_confirmation.html"
    html = response.content.decode()
    assert "these 2 comments permanently?" in html
    assert "Replies stay: each reply to a deleted comment moves up a level" in html
    for text in (
        "A first comment to delete.",
        "Ada Reader",
        "A second comment to delete.",
        "Cy Other",
    ):
        assert text in html
    assert html.count("The paper under discussion") == 2
    assert "Ben Replier" not in html
    for pk in (top.pk, other.pk):
        assert f'<input type="hidden" name="_selected_action" value="{pk}">' in html
    assert '<input type="hidden" name="action" value="delete_permanently">' in html
    assert '<input type="hidden" name="post" value="yes">' in html
    assert '<input type="submit" value="Yes, delete permanently">' in html
    assert '<li aria-current="page">Delete permanently</li>' in html
    assert '<a href="/admin/comments/comment/">Comments</a>' in html
    # A strict Content-Security-Policy is on: no inline script or style on the page.
    assert "<style" not in html and " style=" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert Comment.objects.count() == 3
    reply.refresh_from_db()
    assert reply.parent_id == top.pk


def test_delete_permanently_after_confirming_keeps_replies(admin_client):
    paper = make_paper()
    top = make_comment(paper)
    reply = make_comment(paper, parent=top)
    _, response = confirm_delete_permanently(admin_client, "/admin/comments/comment/", [top])
    assert response.redirect_chain == [("/admin/comments/comment/", 302)]
    assert "1 comment deleted permanently." in response.content.decode()
    assert not Comment.objects.filter(pk=top.pk).exists()
    reply.refresh_from_db()
    assert (reply.parent_id, reply.root_id, reply.depth) == (None, None, 1)


def test_delete_permanently_a_comment_and_its_reply_together(admin_client):
    paper = make_paper()
    top = make_comment(paper)
    middle = make_comment(paper, parent=top)
    reply = make_comment(paper, parent=middle)
    under = make_comment(paper, parent=reply)
    _, response = confirm_delete_permanently(
        admin_client, "/admin/comments/comment/", [middle, reply]
    )
    assert "2 comments deleted permanently." in response.content.decode()
    under.refresh_from_db()
    assert (under.parent_id, under.root_id, under.depth) == (top.pk, top.pk, 2)
    assert sorted(paper.comments.values_list("pk", flat=True)) == [top.pk, under.pk]


def test_near_duplicate_change_page_shows_original_and_difference(admin_client):
    # REPOSTED is REPLY with one citation dropped and "be glad to" changed to "be happy to".
    paper = make_paper()
    original = make_comment(paper, body=REPLY)
    again = make_comment(paper, body=REPOSTED, status=Status.PENDING)
    ModerationReason.objects.create(
        comment=again,
        check_name="near_duplicate",
        verdict="hold",
        message=f"near-duplicate of #{original.pk} (88% similar)",
        related_comment=original,
    )
    html = admin_client.get(f"/admin/comments/comment/{again.pk}/change/").content.decode()
    assert f'(<a href="/comments/{original.pk}/">original</a>)' in html
    assert 'class="comment-diff"' in html
    assert '<del class="diff-change">glad</del>' in html
    assert '<ins class="diff-change">happy</ins>' in html
    assert re.search(
        r'<del class="diff-change">[^<]*\(Haldane &amp; Ruiz, 2020, p. 214\)[^<]*</del>', html
    )


def test_editing_a_comment_in_the_admin_renders_it_again(admin_client):
    comment = make_comment(make_paper(), body="Old words.")
    page = admin_client.get(f"/admin/comments/comment/{comment.pk}/change/").content.decode()
    assert 'name="body"' in page
    response = admin_client.post(
        f"/admin/comments/comment/{comment.pk}/change/",
        {
            "status": comment.status,  # unchanged, as the page's form sends it
            "body": "New **bold** words.",
            "events-TOTAL_FORMS": 0,
            "events-INITIAL_FORMS": 1,
            "events-MIN_NUM_FORMS": 0,
            "events-MAX_NUM_FORMS": 1000,
        },
    )
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.body_html == "<p>New <strong>bold</strong> words.</p>"


def comment_change_form(comment, **changes):
    """The comment's change form as the admin page sends it, with these fields changed."""
    return {
        "status": comment.status,
        "body": comment.body,
        "events-TOTAL_FORMS": 0,
        "events-INITIAL_FORMS": comment.events.count(),
        "events-MIN_NUM_FORMS": 0,
        "events-MAX_NUM_FORMS": 1000,
        **changes,
    }


def test_approving_on_the_change_page_goes_through_the_service(admin_client, admin_user):
    paper = make_paper()
    comment = make_comment(paper, status=Status.PENDING)
    url = f"/admin/comments/pendingcomment/{comment.pk}/change/"
    assert 'name="status"' in admin_client.get(url).content.decode()
    response = admin_client.post(url, comment_change_form(comment, status=Status.APPROVED))
    assert response.status_code == 302
    comment.refresh_from_db()
    paper.refresh_from_db()
    assert comment.status == Status.APPROVED
    assert paper.comment_count == 1
    _, event = comment.events.all()  # the factory's, then the change page's
    assert (event.actor, event.from_status, event.to_status) == (
        admin_user,
        Status.PENDING,
        Status.APPROVED,
    )


def test_marking_spam_on_the_change_page_remembers_the_status_for_not_spam(admin_client):
    comment = make_comment(make_paper())
    url = f"/admin/comments/comment/{comment.pk}/change/"
    admin_client.post(url, comment_change_form(comment, status=Status.SPAM))
    comment.refresh_from_db()
    assert (comment.status, comment.status_before) == (Status.SPAM, Status.APPROVED)


def test_editing_text_and_status_together_records_each_change_in_turn(admin_client):
    comment = make_comment(make_paper(), status=Status.PENDING, body="Old words.")
    url = f"/admin/comments/comment/{comment.pk}/change/"
    admin_client.post(url, comment_change_form(comment, status=Status.APPROVED, body="New words."))
    comment.refresh_from_db()
    assert (comment.status, comment.body) == (Status.APPROVED, "New words.")
    events = [(e.from_status, e.to_status, e.reason) for e in comment.events.all()[1:]]
    assert events == [  # after the factory's own
        (Status.PENDING, Status.PENDING, "text edited"),
        (Status.PENDING, Status.APPROVED, "status set on the comment's page"),
    ]
