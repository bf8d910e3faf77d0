"""A posted comment is stored and shown as sanitised HTML: nothing typed becomes live markup.

(common/markup.py itself, in both modes: tests/common/test_markup.py.)
"""

import re

import pytest

from comments.models import Comment
from tests.factories import make_paper

pytestmark = pytest.mark.django_db

# (what is typed, a pattern that would mean it became live markup)
HOSTILE = [
    ("<script>alert('x')</script>", r"<script"),
    ("[click](javascript:alert(1))", r"javascript:"),
    ('<img src=x onerror="alert(1)">', r"<img"),
    ('<a href="https://example.org" onclick="steal()">x</a>', r"<a[^<>]*onclick"),
    ("[data](data:text/html;base64,PHNjcmlwdD4=)", r'href="data:'),
    ('<p style="position:fixed">styled</p>', r"<p[^<>]*style="),
    ("<iframe src=https://example.org></iframe>", r"<iframe"),
    ("![x](https://example.org/pixel.png)", r"<img"),
]


@pytest.mark.parametrize(("body", "forbidden"), HOSTILE)
def test_hostile_markup_is_neutralised_on_the_page(page, post, open_moderation, body, forbidden):
    paper = make_paper()
    assert post(paper, body=body).status_code == 302
    comment = Comment.objects.get()
    assert not re.search(forbidden, comment.body_html)
    html = page(paper)
    discussion = html[html.index('id="comments"') :]
    assert not re.search(forbidden, discussion.split('id="respond"')[0])


def test_bare_urls_become_untrusted_links(post, open_moderation):
    paper = make_paper()
    post(paper, body="See https://example.org/notes for more.")
    assert (
        '<a href="https://example.org/notes" rel="nofollow ugc noopener">'
        in Comment.objects.get().body_html
    )


def test_the_form_names_the_dialect_comments_and_papers_share(page):
    html = page(make_paper())
    assert "Markdown (CommonMark)" in html


def test_a_comment_of_pathological_markdown_is_posted_and_shown(page, post, open_moderation):
    paper = make_paper()
    body = "[" * 9_999
    assert post(paper, body=body).status_code == 302
    assert "[" * 9_999 in Comment.objects.get().body_html
