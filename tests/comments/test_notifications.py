"""E-mail about comments: to paper authors, to subscribers of a thread (and their one-click
unsubscribe), to moderators about held comments; held comments notify nobody until approved,
and a broken mail server never loses a comment."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail

from comments.models import Comment
from comments.services import comment_set_status
from tests.factories import make_comment, make_paper, make_person, make_user

pytestmark = pytest.mark.django_db


def test_paper_authors_are_told_of_new_approved_comments(
    post, open_moderation, mailoutbox, django_capture_on_commit_callbacks
):
    author = make_user(email="author@example.org")
    paper = make_paper(title="On gardens", authors=[make_person(user=author)])
    with django_capture_on_commit_callbacks(execute=True):
        post(paper, body="A new comment for the author.")
    assert [m.to for m in mailoutbox] == [["author@example.org"]]
    assert "On gardens" in mailoutbox[0].subject
    assert "A new comment for the author." in mailoutbox[0].body
    assert "rosa@example.net" not in mailoutbox[0].body


def test_held_comments_notify_nobody_until_approved(
    post, moderation, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.COLLOQUY_NOTIFY_MODERATORS = False
    author = make_user(email="author@example.org")
    paper = make_paper(authors=[make_person(user=author)])
    with django_capture_on_commit_callbacks(execute=True):
        post(paper, body="Held first, then approved.")
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    assert mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        comment_set_status(comment, Comment.Status.APPROVED, actor=None, reason="fine")
    assert [m.to for m in mailoutbox] == [["author@example.org"]]


def test_approving_a_held_reply_sends_its_notifications_then(
    mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.COLLOQUY_NOTIFY_MODERATORS = False
    author = make_user(email="author@example.org")
    paper = make_paper(authors=[make_person(user=author)])
    parent = make_comment(paper, email="parent@example.net", notify_replies=True)
    reply = make_comment(paper, parent=parent, status=Comment.Status.PENDING)
    assert mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        comment_set_status(reply, Comment.Status.APPROVED, actor=None)
    assert sorted(m.to[0] for m in mailoutbox) == ["author@example.org", "parent@example.net"]


@pytest.mark.parametrize(
    "away", [Comment.Status.PENDING, Comment.Status.TRASH, Comment.Status.SPAM]
)
def test_approving_a_comment_again_tells_nobody_twice(
    away, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.COLLOQUY_NOTIFY_MODERATORS = False
    author = make_user(email="author@example.org")
    paper = make_paper(authors=[make_person(user=author)])
    comment = make_comment(paper, status=Comment.Status.PENDING)
    with django_capture_on_commit_callbacks(execute=True):
        comment_set_status(comment, Comment.Status.APPROVED, actor=None)
        comment_set_status(comment, away, actor=None)
        comment_set_status(comment, Comment.Status.APPROVED, actor=None)
    assert [m.to for m in mailoutbox] == [["author@example.org"]]


def test_subscriber_is_told_of_replies_and_can_unsubscribe(
    client, post, open_moderation, django_capture_on_commit_callbacks
):
    paper = make_paper()
    post(paper, body="Tell me about replies.", notify="on")
    parent = Comment.objects.get()
    assert parent.notify_replies
    with django_capture_on_commit_callbacks(execute=True):
        post(paper, parent=parent.pk, name="Other", email="other@example.net", body="A reply.")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["rosa@example.net"]
    link = re.search(r"http://\S+/comments/unsubscribe/\S+/", message.body)[0]
    assert message.extra_headers["List-Unsubscribe"] == f"<{link}>"
    path = link.split("127.0.0.1:8000")[1]
    tampered = client.get(path.replace("/unsubscribe/", "/unsubscribe/x"))
    assert tampered.status_code == 400
    parent.refresh_from_db()
    assert parent.notify_replies
    response = client.get(path)
    assert response.status_code == 200
    assert "You are unsubscribed" in response.content.decode()
    parent.refresh_from_db()
    assert not parent.notify_replies
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        post(paper, parent=parent.pk, name="Third", email="third@example.net", body="More.")
    assert mail.outbox == []


def test_no_reply_mail_without_opting_in(
    post, open_moderation, mailoutbox, django_capture_on_commit_callbacks
):
    paper = make_paper()
    post(paper, body="Do not write to me.")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        post(
            paper,
            parent=Comment.objects.get().pk,
            name="Other Person",
            email="other@example.net",
            body="A reply nobody is told of.",
        )
    assert len(callbacks) == 2  # the notifications did run (and the page cache's clean-up)
    assert mailoutbox == []


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


class BrokenMailServer:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("the mail server is down")


def test_failing_mail_server_never_loses_the_comment(
    post, open_moderation, settings, django_capture_on_commit_callbacks
):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.BrokenMailServer"}}
    author = make_user(email="author@example.org")
    paper = make_paper(authors=[make_person(user=author)])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = post(paper, body="Survives a broken mail server.")
    assert len(callbacks) == 2  # the notifications and the page cache's clean-up
    assert response.status_code == 302
    assert Comment.objects.get().status == Comment.Status.APPROVED
