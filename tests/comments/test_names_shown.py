"""A commenter's name is shown without bidirectional controls or other invisible characters,
however it was stored: on the paper page, in the reply form, in the admin, on /me/ and in the
e-mails; a signed-in user's name is stored without them."""

import pytest
from django.contrib.auth.models import Group

from comments.models import Comment
from comments.notifications import notify_moderators
from comments.services import comment_set_status
from tests.comments.test_admin import confirm_delete_permanently
from tests.factories import make_comment, make_paper, make_person, make_user

pytestmark = pytest.mark.django_db

# Bidirectional overrides, embeddings, isolates and marks; zero-width characters.
HIDDEN = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c\u200b\u200d"
STORED = "Nadia \u202eRe\u200bader\u2069"  # as the form would never store it
SHOWN = "Nadia Reader"


def clean(text):
    return not any(char in text for char in HIDDEN)


@pytest.fixture
def author():
    return make_user(email="author@example.org")


@pytest.fixture
def paper(author):
    return make_paper(title="On gardens", authors=[make_person(user=author)])


@pytest.fixture
def comment(paper):
    """A comment whose name was stored with controls (before names were cleaned on the way
    in, as every comment's now is by comment_build)."""
    comment = make_comment(paper, name=STORED, email="nadia@example.net", notify_replies=True)
    assert comment.name == SHOWN
    Comment.objects.filter(pk=comment.pk).update(name=STORED)
    comment.refresh_from_db()
    return comment


def test_heading_on_the_paper_page(page, paper, comment):
    html = page(paper)
    assert f"Comment by {SHOWN}" in html
    assert clean(html)


def test_leave_a_reply_to_names_the_parent_without_controls(page, paper, comment):
    html = page(paper, f"?replyto={comment.pk}")
    assert f'Leave a Reply to <span class="reply-name">{SHOWN}</span>' in html
    assert clean(html)


def test_logged_in_as_shows_the_users_name_without_controls(client, page, paper):
    user = make_user(first_name="Omar\u202e", last_name="\u200bHaddad")
    client.force_login(user)
    html = page(paper)
    assert "Logged in as Omar Haddad." in html
    assert clean(html)


@pytest.mark.parametrize("url", ["/admin/comments/comment/", "/admin/comments/pendingcomment/"])
def test_admin_lists_show_names_without_controls(admin_client, paper, comment, url):
    held = make_comment(paper, parent=comment, name="Held \u202eOne", status=Comment.Status.PENDING)
    html = admin_client.get(url).content.decode()
    assert "Held One" in html
    assert f'<td class="field-in_reply_to">{SHOWN}</td>' in html  # the parent's name
    assert clean(html)
    change = admin_client.get(f"/admin/comments/comment/{held.pk}/change/").content.decode()
    assert "Held One" in change and SHOWN in change
    assert clean(change)


def test_admin_delete_confirmation_shows_names_without_controls(admin_client, paper, comment):
    page, _response = confirm_delete_permanently(
        admin_client, "/admin/comments/comment/", [comment]
    )
    html = page.content.decode()
    assert f"<td>{SHOWN}</td>" in html
    assert clean(html)


def test_str_of_a_comment_has_no_controls(comment):
    assert str(comment).startswith(f"{SHOWN} on ")
    assert clean(str(comment))


def test_me_of_the_papers_author(client, author, comment):
    client.force_login(author)
    html = client.get("/me/").content.decode()
    assert f"<strong>{SHOWN}</strong>" in html
    assert clean(html)


def test_emails_show_the_name_without_controls(
    paper, comment, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.COLLOQUY_NOTIFY_MODERATORS = False
    moderator = make_user(staff=True, email="mod@example.org")
    moderator.groups.add(Group.objects.get(name="Moderators"))
    reply = make_comment(
        paper, parent=comment, name="Zoë \u202eØrsted\u200f", status=Comment.Status.PENDING
    )
    notify_moderators.call(reply.pk)
    with django_capture_on_commit_callbacks(execute=True):
        comment_set_status(reply, Comment.Status.APPROVED, actor=None)
    kinds = {"mod@example.org": "held", "author@example.org": "new", "nadia@example.net": "reply"}
    sent = {kinds[m.to[0]]: m for m in mailoutbox}
    assert sorted(sent) == ["held", "new", "reply"]
    assert sent["held"].body.startswith("A comment by Zoë Ørsted on")
    assert sent["new"].body.startswith("Zoë Ørsted commented on your paper")
    assert sent["reply"].body.startswith("Zoë Ørsted replied to your comment")
    assert sent["reply"].subject.startswith("Zoë Ørsted replied to your comment")
    for message in sent.values():
        assert clean(message.subject) and clean(message.body)
        assert clean(message.message().as_bytes().decode("utf-8", "replace"))


def test_signed_in_users_name_is_stored_without_controls(client, post, open_moderation, paper):
    user = make_user(first_name="Omar \u202eHaddad", last_name="\u2066Al-Amin\u2069")
    client.force_login(user)
    response = post(paper, body="A comment from a signed-in user.")
    assert response.status_code == 302
    assert Comment.objects.get(user=user).name == "Omar Haddad Al-Amin"
