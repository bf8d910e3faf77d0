"""E-mail about comments: to paper authors, to subscribers of a thread (and their one-click
unsubscribe), to moderators about held comments; held comments notify nobody until approved,
and a broken mail server never loses a comment."""

import email
import email.policy
import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail

from comments.models import Comment
from comments.notifications import NotificationEmail, notify_moderators, notify_reply_subscriber
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
    opened = client.get(path)  # a mail scanner, or the reader: one button, nothing changed
    assert opened.status_code == 200
    assert '<button type="submit" class="btn">Unsubscribe</button>' in opened.content.decode()
    parent.refresh_from_db()
    assert parent.notify_replies
    response = client.post(path)
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


# The bytes that go out: structured headers as written, for every kind of e-mail.

LONG_SITE = "https://discussions.a-rather-long-conference-host-name-for-the-tests.example.org/"
TITLE = "Ünïcode, “quotes” and a title long enough to be folded: Łódź, São Paulo, Zürich"
REPLIER = "Zoë Ørsted-Łukasiewicz"
SUBJECTS = {
    "held": f"Comment held for moderation on “{TITLE}”",
    "new": f"New comment on “{TITLE}”",
    "reply": f"{REPLIER} replied to your comment on “{TITLE}”",
}
# Every header but these must go out as written; these may carry RFC 2047 encoded-words.
FREE_TEXT = {"subject", "from", "to"}


@pytest.fixture
def three_emails(settings, django_capture_on_commit_callbacks):
    """One e-mail of each kind, as the mail backend got them, keyed by kind: held (to a
    moderator), new (to the paper's author) and reply (to the subscriber)."""
    settings.COLLOQUY_NOTIFY_MODERATORS = False
    moderator = make_user(staff=True, email="mod@example.org")
    moderator.groups.add(Group.objects.get(name="Moderators"))
    author = make_user(email="author@example.org")
    paper = make_paper(title=TITLE, authors=[make_person(user=author)])
    parent = make_comment(paper, email="parent@example.net", notify_replies=True)
    reply = make_comment(paper, parent=parent, name=REPLIER, status=Comment.Status.PENDING)
    notify_moderators.call(reply.pk)
    with django_capture_on_commit_callbacks(execute=True):
        comment_set_status(reply, Comment.Status.APPROVED, actor=None)
    kinds = {"mod@example.org": "held", "author@example.org": "new", "parent@example.net": "reply"}
    return {kinds[m.to[0]]: m for m in mail.outbox}


def header_fields(raw):
    """The header fields of raw message bytes as {name: [physical lines]}, folds kept."""
    head = re.split(rb"\r?\n\r?\n", raw, maxsplit=1)[0].decode("ascii")
    fields = re.split(r"\r?\n(?![ \t])", head)
    return {field.split(":", 1)[0]: re.split(r"\r?\n", field) for field in fields}


@pytest.mark.parametrize("site_url", ["http://127.0.0.1:8000", LONG_SITE])
@pytest.mark.parametrize(
    "policy", [email.policy.default, email.policy.SMTP], ids=["default", "smtp"]
)
def test_structured_headers_go_out_plain_in_every_email(request, settings, site_url, policy):
    settings.COLLOQUY_SITE_URL = site_url
    three_emails = request.getfixturevalue("three_emails")  # sent under this SITE_URL
    assert set(three_emails) == {"held", "new", "reply"}
    for kind, message in three_emails.items():
        raw = message.message(policy=policy).as_bytes()
        fields = header_fields(raw)
        assert {"Message-ID", "Auto-Submitted"} <= set(fields), kind
        for name, lines in fields.items():
            assert all(len(line) <= 998 for line in lines), lines
            if name.lower() not in FREE_TEXT:
                assert "=?" not in "".join(lines), f"{kind}: {lines}"
        parsed = email.message_from_bytes(raw, policy=email.policy.default)
        assert parsed["Subject"] == SUBJECTS[kind]  # the Subject may be encoded: it is text
        assert parsed["Auto-Submitted"] == "auto-generated"
        assert re.fullmatch(r"<\S+@\S+>", parsed["Message-ID"])


def test_the_unsubscribe_headers_are_rfc_8058_one_click(three_emails, client, settings):
    for site_url in ("http://127.0.0.1:8000", LONG_SITE):
        settings.COLLOQUY_SITE_URL = site_url
        # The link is made when the task runs: send the reply e-mail again under this SITE_URL.
        mail.outbox.clear()
        notify_reply_subscriber.call(Comment.objects.get(name=REPLIER).pk)
        (message,) = mail.outbox
        link = re.search(r"https?://\S+/comments/unsubscribe/\S+/", message.body)[0]
        assert link.startswith(site_url.rstrip("/") + "/comments/unsubscribe/")
        assert len(link) > 78  # always longer than a line: what Python's email used to encode
        for policy in (email.policy.default, email.policy.SMTP):
            raw = message.message(policy=policy).as_bytes()
            unsubscribe = header_fields(raw)["List-Unsubscribe"]
            assert unsubscribe == [f"List-Unsubscribe: <{link}>"]
            assert header_fields(raw)["List-Unsubscribe-Post"] == [
                "List-Unsubscribe-Post: List-Unsubscribe=One-Click"
            ]
            parsed = email.message_from_bytes(raw, policy=email.policy.default)
            assert parsed["List-Unsubscribe"] == f"<{link}>"
    path = link.removeprefix(LONG_SITE.rstrip("/"))
    assert "You are unsubscribed" not in client.get(path).content.decode()
    assert Comment.objects.get(email="parent@example.net").notify_replies
    # RFC 8058: the mail client POSTs "List-Unsubscribe=One-Click" to the link, no CSRF token
    one_click = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert "You are unsubscribed" in one_click.content.decode()
    assert not Comment.objects.get(email="parent@example.net").notify_replies


def test_a_structured_header_folds_between_its_items_only():
    items = [f"<https://example.org/unsubscribe/{n}/{'x' * 20}>" for n in range(4)]
    message = NotificationEmail(
        subject="Plain",
        body="Body.",
        to=["a@example.org"],
        headers={
            "List-Unsubscribe": ", ".join(items),
            "List-Id": "Colloquy comments <comments.example.org>",
        },
    )
    for policy in (email.policy.default, email.policy.SMTP):
        fields = header_fields(message.message(policy=policy).as_bytes())
        lines = fields["List-Unsubscribe"]
        assert len(lines) == 4  # no two items fit one line of 78 characters
        assert all(len(line) <= 78 for line in lines)
        assert all(line.startswith(" <") for line in lines[1:])
        assert "".join(lines) == "List-Unsubscribe: " + ", ".join(items)
        assert fields["List-Id"] == ["List-Id: Colloquy comments <comments.example.org>"]


@pytest.mark.parametrize(
    "value", ["<https://exämple.org/u/>", "<https://example.org/u/>\r\nBcc: x@example.net"]
)
def test_a_structured_header_refuses_what_it_could_only_send_encoded(value):
    message = NotificationEmail(
        subject="x", body="x", to=["a@example.org"], headers={"List-Unsubscribe": value}
    )
    with pytest.raises(ValueError):
        message.message()
