"""/me/: the comments on a signed-in author's papers that still await their reply."""

import pytest

from tests.factories import make_comment, make_paper, make_person, make_user

pytestmark = pytest.mark.django_db


def test_author_sees_comments_awaiting_their_reply_newest_first(client):
    author = make_user()
    paper = make_paper(authors=[make_person(user=author)])
    old = make_comment(paper, body="An older question.")
    answered = make_comment(paper, body="Already answered.")
    deep = make_comment(paper, parent=answered)
    make_comment(paper, parent=deep, user=author, by_paper_author=True)
    new = make_comment(paper, body="A newer question.")
    make_comment(make_paper(), body="On someone else's paper.")
    client.force_login(author)
    html = client.get("/me/").content.decode()
    assert html.index("A newer question.") < html.index("An older question.")
    assert "Already answered." not in html
    assert "someone else" not in html
    assert f"/comments/{new.pk}/" in html and f"/comments/{old.pk}/" in html


def test_me_requires_login(client):
    assert client.get("/me/").status_code == 302
