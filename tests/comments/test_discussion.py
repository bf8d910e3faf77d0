"""Reading a discussion through HTTP: the heading's count, nested threads, each comment's parts,
the reply form without JavaScript, and the e-mail address that no page ever shows."""

import re

import pytest

from comments.models import Comment
from tests.factories import make_comment, make_paper

pytestmark = pytest.mark.django_db


def test_heading_counts_approved_comments_only(page):
    paper = make_paper(title="Small groups matter")
    assert "No comments yet" in page(paper)
    make_comment(paper)
    assert "One thought on “Small groups matter”" in page(paper)
    make_comment(paper)
    make_comment(paper, status=Comment.Status.PENDING)
    assert "2 thoughts on “Small groups matter”" in page(paper)


def test_replies_are_nested_inside_their_parent_element(page):
    paper = make_paper()
    top = make_comment(paper, body="Top level words.")
    reply = make_comment(paper, parent=top, body="Reply words.")
    deeper = make_comment(paper, parent=reply, body="Deeper words.")
    other = make_comment(paper, body="Another thread.")
    html = page(paper)
    top_at = html.index(f'<li id="comment-{top.pk}"')
    children_at = html.index('<ol class="children">', top_at)
    reply_at = html.index(f'<li id="comment-{reply.pk}"')
    deeper_at = html.index(f'<li id="comment-{deeper.pk}"')
    other_at = html.index(f'<li id="comment-{other.pk}"')
    assert top_at < children_at < reply_at < deeper_at < other_at
    between = html[top_at:other_at]
    assert between.count("<ol") == between.count("</ol>") == 2  # both nested lists close
    assert 'class="comment depth-3' in html


def test_comment_shows_name_link_date_permalink_and_reply(page):
    paper = make_paper()
    comment = make_comment(paper, name="Ines Duarte", website="https://example.org/ines")
    html = page(paper)
    assert (
        '<a href="https://example.org/ines" rel="ugc external nofollow noopener">Ines Duarte</a>'
        in html
    )
    assert f'href="#comment-{comment.pk}"><time datetime="' in html
    assert f'href="{paper.get_absolute_url()}?replyto={comment.pk}#respond"' in html


def test_email_address_is_never_in_any_page(page, post, open_moderation):
    paper = make_paper()
    make_comment(paper, email="secret.person@example.org")
    assert "secret.person@example.org" not in page(paper)
    response = post(paper, email="another.secret@example.org", body="")
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="another.secret@example.org"' in html  # kept in its own field, nowhere else
    assert html.count("another.secret@example.org") == 1


def test_replyto_renders_the_form_for_that_parent_without_javascript(page):
    paper = make_paper()
    parent = make_comment(paper, name="Tomas Berg")
    html = page(paper, f"?replyto={parent.pk}")
    assert 'Leave a Reply to <span class="reply-name">Tomas Berg</span>' in html
    assert re.search(rf'name="parent" value="{parent.pk}"', html)
    assert '<meta name="robots" content="noindex">' in html
    assert re.search(r'id="cancel-comment-reply-link" href="[^"]+#respond">', html)
    assert '<meta name="robots"' not in page(paper)


@pytest.mark.parametrize(
    "website", ["javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,x", "ftp://x.org"]
)
def test_a_stored_website_that_is_not_a_web_address_is_never_linked(page, website):
    """The form refuses such addresses; an import or an admin edit must not make them live."""
    paper = make_paper()
    make_comment(paper, name="Ines Duarte", website=website)
    html = page(paper)
    assert website.split(":")[0].lower() + ":" not in html.lower()
    assert '<span class="comment-author">Ines Duarte</span>' in html
