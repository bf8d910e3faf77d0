"""Moderation as people live it: posting, statuses, the purge, the admin and the Moderators."""

import datetime
import io
import re

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from comments.models import Comment, ModerationEvent, ModerationReason
from comments.services import comment_delete, comment_restore, comment_set_status
from tests.core.test_moderation_checks import OTHER_REPLIES, REPLY, REPOSTED
from tests.factories import make_comment, make_paper, make_person, make_user

pytestmark = pytest.mark.django_db
Status = Comment.Status


def test_seed_shaped_double_reply_is_held_and_different_replies_are_not(client, post, moderation):
    moderation["checks"]["flood"] = False
    paper = make_paper()
    make_comment(paper, email="aroha@example.org", name="Aroha Ngata")  # earlier, approved
    guest = {"name": "Aroha Ngata", "email": "aroha@example.org"}
    for body in [REPLY, *OTHER_REPLIES]:
        post(paper, body=body, **guest)
    assert set(
        Comment.objects.filter(body__in=[REPLY, *OTHER_REPLIES]).values_list("status", flat=True)
    ) == {Status.APPROVED}
    original = Comment.objects.get(body=REPLY)
    post(paper, body=REPOSTED, **guest)
    again = Comment.objects.get(body=REPOSTED)
    assert again.status == Status.PENDING
    reason = again.reasons.get()
    assert (reason.check_name, reason.related_comment) == ("near_duplicate", original)
    assert re.fullmatch(rf"near-duplicate of #{original.pk} \(\d+% similar\)", reason.message)


def test_exact_duplicate_is_refused_with_a_link_and_the_text_kept(client, post, moderation):
    moderation["checks"]["flood"] = False
    paper = make_paper()
    earlier = make_comment(paper, email="rosa@example.net", body="Same words, twice.")
    response = post(paper, body="same words twice")
    html = response.content.decode()
    assert response.status_code == 400
    assert "Duplicate comment detected; it looks as though you&#x27;ve already said that!" in html
    assert f'<a href="/comments/{earlier.pk}/">See your earlier comment.</a>' in html
    assert "same words twice</textarea>" in html
    assert Comment.objects.count() == 1
    earlier.status = Status.PENDING
    earlier.save()
    assert (
        "Your earlier comment is awaiting moderation."
        in post(paper, body="Same words, twice.").content.decode()
    )


def test_flood_is_refused_with_429_and_the_text_kept(post, moderation):
    moderation["checks"]["first_comment"] = False
    paper = make_paper()
    assert post(paper, body="First quick one.").status_code == 302
    response = post(paper, body="Second quick one.")
    assert response.status_code == 429
    assert "You are posting comments too quickly. Slow down." in response.content.decode()
    assert "Second quick one.</textarea>" in response.content.decode()


def test_held_comment_is_seen_by_its_poster_only(client, post, moderation):
    paper = make_paper(title="Held things")
    response = post(paper, body="Please hold me.")
    comment = Comment.objects.get()
    assert comment.status == Status.PENDING
    assert response["Location"].endswith(f"#comment-{comment.pk}")
    mine = client.get(paper.get_absolute_url()).content.decode()
    assert "Please hold me." in mine
    assert "Your comment is awaiting moderation." in mine
    assert "No comments yet" in mine
    stranger = Client().get(paper.get_absolute_url()).content.decode()
    assert "Please hold me." not in stranger


def test_honeypot_goes_to_spam_looking_like_a_held_comment(client, post, moderation):
    paper = make_paper()
    response = post(paper, body="Buy things.", url="http://bot.example.org")
    comment = Comment.objects.get()
    assert comment.status == Status.SPAM
    assert response.status_code == 302
    html = client.get(paper.get_absolute_url()).content.decode()
    assert "Your comment is awaiting moderation." in html
    assert "spam" not in html.lower().split('id="comments"')[1]


def test_form_posted_too_fast_is_spam(client, moderation):
    moderation["min_seconds_to_post"] = 3
    paper = make_paper()
    html = client.get(paper.get_absolute_url()).content.decode()
    token = re.search(r'name="token" value="([^"]+)"', html)[1]
    client.post(
        f"/comments/post/{paper.pk}/",
        {"name": "Quick Bot", "email": "bot@example.net", "body": "Fast words.", "token": token},
    )
    assert Comment.objects.get().status == Status.SPAM


@pytest.mark.parametrize("kind", ["staff", "moderator", "author"])
def test_trusted_people_are_approved_directly_and_not_flood_limited(client, moderation, kind):
    user = make_user(staff=kind == "staff")
    authors = []
    if kind == "moderator":
        user.groups.add(Group.objects.get(name="Moderators"))
    if kind == "author":
        authors = [make_person(user=user)]
    paper = make_paper(authors=authors)
    client.force_login(user)
    for body in ("First, trusted.", "Second, straight after."):
        html = client.get(paper.get_absolute_url()).content.decode()
        token = re.search(r'name="token" value="([^"]+)"', html)[1]
        response = client.post(f"/comments/post/{paper.pk}/", {"body": body, "token": token})
        assert response.status_code == 302
    assert list(Comment.objects.values_list("status", flat=True)) == [Status.APPROVED] * 2


def test_status_changes_are_recorded_and_spam_and_trash_remember(moderation):
    actor = make_user(staff=True)
    paper = make_paper()
    comment = make_comment(paper, status=Status.PENDING)
    comment_set_status(comment, Status.APPROVED, actor=actor, reason="looks fine")
    paper.refresh_from_db()
    assert paper.comment_count == 1
    comment_set_status(comment, Status.SPAM, actor=actor, reason="on second thought")
    assert (comment.status, comment.status_before) == (Status.SPAM, Status.APPROVED)
    paper.refresh_from_db()
    assert paper.comment_count == 0
    comment_restore(comment, actor=actor, reason="not spam")
    assert comment.status == Status.APPROVED
    comment_set_status(comment, Status.TRASH, actor=actor)
    comment_set_status(comment, Status.SPAM, actor=actor)
    comment_restore(comment, actor=actor)
    assert comment.status == Status.APPROVED
    events = list(comment.events.values_list("from_status", "to_status", "reason"))
    assert events[0] == (Status.PENDING, Status.APPROVED, "looks fine")
    assert events[1] == (Status.APPROVED, Status.SPAM, "on second thought")
    assert ModerationEvent.objects.filter(actor=actor).count() == 6


def test_new_comment_records_why_it_was_held(post, moderation):
    post(make_paper())
    comment = Comment.objects.get()
    event = comment.events.get()
    assert (event.from_status, event.to_status) == ("", Status.PENDING)
    assert "first comment" in event.reason
    assert ModerationReason.objects.get(comment=comment).check_name == "first_comment"


def test_approving_a_held_reply_sends_its_notifications_then(
    mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.COLLOQUY_NOTIFY_MODERATORS = False
    author = make_user(email="author@example.org")
    paper = make_paper(authors=[make_person(user=author)])
    parent = make_comment(paper, email="parent@example.net", notify_replies=True)
    reply = make_comment(paper, parent=parent, status=Status.PENDING)
    assert mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        comment_set_status(reply, Status.APPROVED, actor=None)
    assert sorted(m.to[0] for m in mailoutbox) == ["author@example.org", "parent@example.net"]


def test_moderators_are_told_of_held_comments(
    post, moderation, mailoutbox, django_capture_on_commit_callbacks
):
    moderator = make_user(staff=True, email="mod@example.org")
    moderator.groups.add(Group.objects.get(name="Moderators"))
    with django_capture_on_commit_callbacks(execute=True):
        post(make_paper(), body="Hold this one.")
    assert [m.to for m in mailoutbox] == [["mod@example.org"]]
    assert "first comment" in mailoutbox[0].body
    assert "/admin/comments/pendingcomment/" in mailoutbox[0].body


def test_purge_deletes_old_trash_and_keeps_replies():
    paper = make_paper()
    top = make_comment(paper)
    middle = make_comment(paper, parent=top)
    reply = make_comment(paper, parent=middle)
    deeper = make_comment(paper, parent=reply)
    fresh_trash = make_comment(paper, status=Status.TRASH)
    for comment in (middle,):
        comment_set_status(comment, Status.TRASH, actor=None)
    Comment.objects.filter(pk=middle.pk).update(
        status_changed_at=timezone.now() - datetime.timedelta(days=31)
    )
    out = io.StringIO()
    call_command("purge_trash", stdout=out)
    assert "Purged 1 comment(s)" in out.getvalue()
    assert not Comment.objects.filter(pk=middle.pk).exists()
    assert Comment.objects.filter(pk=fresh_trash.pk).exists()
    reply.refresh_from_db()
    deeper.refresh_from_db()
    assert (reply.parent_id, reply.root_id, reply.depth) == (top.pk, top.pk, 2)
    assert (deeper.parent_id, deeper.root_id, deeper.depth) == (reply.pk, top.pk, 3)


def test_deleting_a_top_level_comment_makes_its_replies_threads():
    paper = make_paper()
    top = make_comment(paper)
    reply = make_comment(paper, parent=top)
    under = make_comment(paper, parent=reply)
    comment_delete(top)
    reply.refresh_from_db()
    under.refresh_from_db()
    assert (reply.parent_id, reply.root_id, reply.depth) == (None, None, 1)
    assert (under.parent_id, under.root_id, under.depth) == (reply.pk, reply.pk, 2)
    paper.refresh_from_db()
    assert paper.comment_count == 2


@pytest.fixture
def admin_client_for(client):
    def login(user):
        client.force_login(user)
        return client

    return login


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


@pytest.mark.parametrize(
    ("action", "start", "end", "message"),
    [
        ("approve", Status.PENDING, Status.APPROVED, "2 comments changed: approve."),
        ("unapprove", Status.APPROVED, Status.PENDING, "2 comments changed: unapprove."),
        ("mark_as_spam", Status.APPROVED, Status.SPAM, "2 comments changed: mark as spam."),
        ("move_to_trash", Status.PENDING, Status.TRASH, "2 comments changed: move to trash."),
    ],
)
def test_bulk_actions_change_status_and_say_how_many(admin_client, action, start, end, message):
    paper = make_paper()
    chosen = [make_comment(paper, status=start) for _ in range(2)]
    response = admin_client.post(
        "/admin/comments/comment/",
        {"action": action, "_selected_action": [c.pk for c in chosen], "index": 0},
        follow=True,
    )
    assert message in response.content.decode()
    assert {c.status for c in Comment.objects.all()} == {end}


def test_not_spam_and_restore_put_comments_back(admin_client):
    paper = make_paper()
    was_pending = make_comment(paper, status=Status.PENDING)
    was_approved = make_comment(paper)
    comment_set_status(was_pending, Status.SPAM, actor=None)
    comment_set_status(was_approved, Status.TRASH, actor=None)
    for action, comment in (("not_spam", was_pending), ("restore", was_approved)):
        response = admin_client.post(
            "/admin/comments/comment/",
            {"action": action, "_selected_action": [comment.pk], "index": 0},
            follow=True,
        )
        assert "1 comment changed" in response.content.decode()
    was_pending.refresh_from_db()
    was_approved.refresh_from_db()
    assert (was_pending.status, was_approved.status) == (Status.PENDING, Status.APPROVED)


def test_delete_permanently_keeps_replies(admin_client):
    paper = make_paper()
    top = make_comment(paper)
    reply = make_comment(paper, parent=top)
    response = admin_client.post(
        "/admin/comments/comment/",
        {"action": "delete_permanently", "_selected_action": [top.pk], "index": 0},
        follow=True,
    )
    assert "1 comment deleted permanently." in response.content.decode()
    reply.refresh_from_db()
    assert reply.parent_id is None and reply.depth == 1


def test_moderation_queue_lists_pending_oldest_first_with_count_on_index(admin_client):
    paper = make_paper()
    older = make_comment(paper, body="Older pending words.", status=Status.PENDING)
    newer = make_comment(paper, body="Newer pending words.", status=Status.PENDING)
    Comment.objects.filter(pk=older.pk).update(
        submitted_at=timezone.now() - datetime.timedelta(hours=2)
    )
    make_comment(paper, body="Approved words.")
    html = admin_client.get("/admin/comments/pendingcomment/").content.decode()
    assert html.index("Older pending") < html.index("Newer pending")
    assert "Approved words" not in html
    assert f'href="/comments/{newer.pk}/">view on site' in html
    index = admin_client.get("/admin/").content.decode()
    assert "<strong>2</strong> comments awaiting moderation" in index


def test_near_duplicate_change_page_shows_original_and_difference(admin_client):
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
    assert '<del class="diff-change">Thank you</del>' in html
    assert '<ins class="diff-change">Thanks</ins>' in html
    assert re.search(
        r'<del class="diff-change">[^<]*\(Okonkwo et al., 2018, p. 47\)[^<]*</del>', html
    )


def test_editing_a_comment_in_the_admin_renders_it_again(admin_client):
    comment = make_comment(make_paper(), body="Old words.")
    page = admin_client.get(f"/admin/comments/comment/{comment.pk}/change/").content.decode()
    assert 'name="body"' in page
    response = admin_client.post(
        f"/admin/comments/comment/{comment.pk}/change/",
        {
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


def test_moderator_can_approve_but_not_edit_papers_or_users(client):
    moderator = make_user(staff=True)
    moderator.groups.add(Group.objects.get(name="Moderators"))
    paper = make_paper()
    held = make_comment(paper, status=Status.PENDING)
    client.force_login(moderator)
    assert client.get("/admin/comments/pendingcomment/").status_code == 200
    response = client.post(
        "/admin/comments/pendingcomment/",
        {"action": "approve", "_selected_action": [held.pk], "index": 0},
    )
    assert response.status_code == 302
    held.refresh_from_db()
    assert held.status == Status.APPROVED
    assert client.get(f"/admin/papers/paper/{paper.pk}/change/").status_code == 403
    assert client.get("/admin/auth/user/").status_code == 403
    for perm in ("papers.change_paper", "papers.add_paper", "auth.change_user", "auth.add_user"):
        assert not moderator.has_perm(perm)
