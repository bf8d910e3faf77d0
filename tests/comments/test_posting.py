"""Posting a comment through HTTP: guests and signed-in people, replies and their depth,
validation, double submits, closed discussions, impersonation, CSRF, the Author badge and the
"Save my name" cookies. (What moderation does to a post: test_moderation_posting.py.)"""

import re

import pytest
from django.test import Client

from comments.models import Comment
from tests.factories import make_comment, make_paper, make_person, make_user

pytestmark = pytest.mark.django_db


def test_guest_posts_a_comment_and_is_sent_to_its_permalink(page, post, open_moderation):
    paper = make_paper()
    response = post(paper, body="I liked *this* a lot.")
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{paper.get_absolute_url()}#comment-{comment.pk}"
    assert comment.status == Comment.Status.APPROVED
    assert "<em>this</em>" in page(paper)


def test_posted_email_is_stored_in_lower_case(post, open_moderation):
    post(make_paper(), email=" Rosa.Quintero@Example.NET ")
    assert Comment.objects.get().email == "rosa.quintero@example.net"


def test_form_returns_to_itself_and_sums_up_what_to_correct(page, post, open_moderation):
    paper = make_paper()
    assert f'action="/comments/post/{paper.pk}/#respond"' in page(paper)
    html = post(paper, email="not-an-address", name="").content.decode()
    assert "Your comment was not posted. Please see the notes below." in html
    canonical = re.search(r'<link rel="canonical" href="([^"]+)"', html)[1]
    assert canonical.endswith(paper.get_absolute_url())
    assert '<meta name="robots" content="noindex">' in html


def test_reply_and_reply_to_reply_nest(post, open_moderation):
    paper = make_paper()
    top = make_comment(paper)
    post(paper, parent=top.pk, body="First reply here.")
    reply = Comment.objects.get(body="First reply here.")
    post(paper, parent=reply.pk, body="Reply to the reply.")
    deeper = Comment.objects.get(body="Reply to the reply.")
    assert (reply.parent_id, reply.root_id, reply.depth) == (top.pk, top.pk, 2)
    assert (deeper.parent_id, deeper.root_id, deeper.depth) == (reply.pk, top.pk, 3)


def test_reply_at_the_deepest_level_becomes_a_sibling(page, post, open_moderation, settings):
    settings.COLLOQUY_MAX_THREAD_DEPTH = 3
    paper = make_paper()
    one = make_comment(paper)
    two = make_comment(paper, parent=one)
    three = make_comment(paper, parent=two)
    html = page(paper)
    assert f"?replyto={two.pk}#respond" in html
    assert f"?replyto={three.pk}#respond" not in html  # no Reply link at the deepest level
    post(paper, parent=three.pk, body="Deep reply text.")
    sibling = Comment.objects.get(body="Deep reply text.")
    assert (sibling.parent_id, sibling.depth) == (two.pk, 3)


def test_validation_errors_sit_beside_fields_and_keep_the_input(post, open_moderation):
    paper = make_paper()
    response = post(
        paper, name="", email="not-an-address", website="javascript:alert(1)", body="Kept text"
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert re.search(r'id="id_name_error".*?This field is required', html, re.S)
    assert re.search(r'id="id_email_error".*?Enter a valid email address', html, re.S)
    assert 'id="id_website_error"' in html
    assert "Kept text</textarea>" in html
    assert not Comment.objects.exists()


def test_body_length_limits(post, open_moderation, settings):
    settings.COLLOQUY_COMMENT_MAX_LENGTH = 50
    paper = make_paper()
    response = post(paper, body="x" * 51)
    assert response.status_code == 400
    assert "Ensure this value has at most 50 characters" in response.content.decode()
    assert post(paper, body="x" * 50).status_code == 302


def test_parent_must_be_an_approved_comment_of_the_same_paper(post, open_moderation):
    paper, other = make_paper(), make_paper()
    elsewhere = make_comment(other)
    held = make_comment(paper, status=Comment.Status.PENDING)
    for parent in (elsewhere, held):
        response = post(paper, parent=parent.pk)
        assert response.status_code == 400
        assert "not (or no longer) shown on this paper" in response.content.decode()
    assert Comment.objects.count() == 2


def test_double_submit_creates_one_comment(post, form_token, open_moderation):
    paper = make_paper()
    first = post(paper, token="fixed-token", body="Only once please.")
    assert first.status_code == 400  # a forged token is refused...
    token = form_token(paper)
    first = post(paper, token=token, body="Only once please.")
    second = post(paper, token=token, body="Only once please.")
    assert first["Location"] == second["Location"]
    assert Comment.objects.filter(body="Only once please.").count() == 1


def test_closed_comments_refuse_posts_and_show_no_form(client, page, post, open_moderation):
    paper = make_paper(comments_open=False)
    make_comment(paper)
    html = page(paper)
    assert "Comments are closed." in html
    assert 'id="commentform"' not in html
    assert "?replyto=" not in html
    response = post(paper, body="Words <typed> before the discussion closed.")
    assert response.status_code == 403
    assert Comment.objects.count() == 1
    html = response.content.decode()
    assert html.count("Comments are closed.") == 1
    assert 'id="commentform"' not in html
    assert re.search(
        r'<textarea id="unposted-body" readonly[^>]*>Words &lt;typed&gt; before the discussion closed.</textarea>',
        html,
    )


def test_guest_cannot_take_a_registered_name(post, open_moderation):
    make_user("marta", first_name="Marta", last_name="Lind", email="marta@example.org")
    make_person("Oren Vale")
    paper = make_paper()
    for fields in (
        {"name": "Marta Lind"},
        {"name": "oren vale"},
        {"name": "Oren Vale."},
        {"name": "O\u0308ren  VALE!"},
        {"name": "marta"},
    ):
        response = post(paper, **fields)
        assert response.status_code == 400
        assert "Please log in to post as them." in response.content.decode()
    assert not Comment.objects.exists()


def test_the_form_does_not_tell_which_addresses_have_accounts(post, open_moderation):
    """A guest giving an account's address is answered as any guest is (and asked, as every
    guest is, to sign in if they have an account); a moderator looks at the comment first."""
    make_user("marta", first_name="Marta", last_name="Lind", email="marta@example.org")
    paper = make_paper()
    page = Client().get(paper.get_absolute_url()).content.decode()
    assert "Have an account?" in page and "to comment under it" in page
    known = post(paper, email="MARTA@example.org", name="Someone", body="First words here.")
    unknown = post(paper, email="nobody@example.org", name="Another", body="Other words here.")
    assert known.status_code == unknown.status_code == 302
    held, passed = Comment.objects.order_by("pk")
    assert (held.status, passed.status) == (Comment.Status.PENDING, Comment.Status.APPROVED)
    assert held.user is None
    assert [r.check_name for r in held.reasons.all()] == ["registered_address"]
    for response in (known, unknown):
        assert "registered" not in response.content.decode()


def test_guest_cannot_take_an_accented_registered_name(post, open_moderation):
    make_user("jm", first_name="Jörg", last_name="Müller", email="jm@example.org")
    paper = make_paper()
    for name in ("Jörg Müller", "jörg  müller", "JÖRG MÜLLER."):
        assert post(paper, name=name).status_code == 400, name
    assert not Comment.objects.exists()


def test_guest_may_take_a_name_that_only_contains_a_registered_one(post, open_moderation):
    make_person("Oren Vale")
    assert post(make_paper(), name="Oren Valentine").status_code == 302


def test_signed_in_user_posts_under_their_name_with_csrf(page, post, open_moderation):
    paper = make_paper()
    user = make_user(first_name="Kofi", last_name="Mensah")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    html = page(paper, using=browser)
    assert "Logged in as Kofi Mensah." in html
    assert 'name="email"' not in html
    assert post(paper, using=browser).status_code == 403  # no CSRF token
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]
    response = browser.post(
        f"/comments/post/{paper.pk}/",
        {
            "body": "Signed in words.",
            "token": re.search(r'name="token" value="([^"]+)"', html)[1],
            "csrfmiddlewaretoken": csrf,
        },
    )
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert (comment.user, comment.name, comment.email) == (user, "Kofi Mensah", user.email)


def test_guests_post_without_a_csrf_token(post, open_moderation):
    paper = make_paper()
    assert post(paper, using=Client(enforce_csrf_checks=True)).status_code == 302


def test_author_badge_for_a_signed_in_paper_author(client, page, form_token, open_moderation):
    author = make_user(first_name="Lena", last_name="Fischer")
    paper = make_paper(authors=[make_person("Lena Fischer", user=author)])
    client.force_login(author)
    client.post(f"/comments/post/{paper.pk}/", {"body": "Author here.", "token": form_token(paper)})
    comment = Comment.objects.get()
    assert comment.by_paper_author
    client.logout()
    html = page(paper)
    assert f'<li id="comment-{comment.pk}" class="comment depth-1 by-author">' in html
    assert 'class="badge author-badge">Author</span>' in html


def test_remember_me_sets_cookies_only_when_ticked(page, post, open_moderation):
    paper = make_paper()
    response = post(paper, remember="on", website="https://example.org/rosa")
    assert response.cookies["comment_author"].value == "Rosa%20Quintero"
    assert response.cookies["comment_author_email"].value == "rosa%40example.net"
    assert response.cookies["comment_author"]["httponly"]
    html = page(paper)
    assert re.search(r'name="name" value="Rosa Quintero"', html)
    assert re.search(r'name="email" value="rosa@example.net"', html)
    assert re.search(r'name="remember"[^>]*checked', html)
    response = post(paper, body="Forget me now.")  # remember not ticked this time
    assert response.cookies["comment_author"].value == ""
    assert response.cookies["comment_author"]["max-age"] == 0
    html = page(paper)
    assert not re.search(r'name="name" value="Rosa Quintero"', html)


def test_no_cookies_without_remember(post, open_moderation):
    response = post(make_paper())
    assert "comment_author" not in response.cookies
