"""The comment form's token: each visitor's own, timed from when that visitor got the form,
even from the page cache, and good for one comment; copies of one form lead to it."""

import http.client
import threading
import time
from urllib.parse import urlencode, urlsplit

import pytest
from django.db import connection

from comments.models import Comment
from comments.tokens import form_token_age
from tests.factories import make_comment, make_paper
from tests.pages import form_token_of, without_form_token

pytestmark = pytest.mark.django_db


def _token(response):
    return form_token_of(response.content.decode())


@pytest.fixture
def cached(settings):
    settings.COLLOQUY_PAGE_CACHE_SECONDS = 300


def test_every_visitor_of_a_cached_page_gets_a_token_of_their_own(
    client, cached, django_assert_num_queries
):
    paper = make_paper()
    first = client.get(paper.get_absolute_url())
    with django_assert_num_queries(0):
        copies = [client.get(paper.get_absolute_url()) for _ in range(3)]
    tokens = [_token(first), *(_token(copy) for copy in copies)]
    assert len(set(tokens)) == 4
    assert all(form_token_age(token) < 5 for token in tokens)
    masked = {without_form_token(response.content.decode()) for response in [first, *copies]}
    assert len(masked) == 1  # the rest of the page is the same cached bytes
    assert all(
        int(c["Content-Length"]) == len(c.content) for c in copies if c.has_header("Content-Length")
    )


def test_a_form_from_a_page_cached_long_ago_is_timed_from_this_visitors_fetch(
    client, cached, post, moderation, monkeypatch
):
    """One fetch of the page used to allow any number of instant posts, the cached token
    being old enough to pass for a person's."""
    paper = make_paper()
    make_comment(paper, email="returning@example.net")  # no first-comment hold
    client.get(paper.get_absolute_url())  # the page is cached with its token
    moderation["min_seconds_to_post"] = 3
    moderation["checks"]["flood"] = False
    later = float(int(time.time()) + 600)  # whole seconds, as the token's timestamp
    monkeypatch.setattr(time, "time", lambda: later)
    for n in range(5):
        token = _token(client.get(paper.get_absolute_url()))
        response = post(
            paper, token=token, email="returning@example.net", body=f"Instant post {n}."
        )
        assert response.status_code == 302
    stored = Comment.objects.filter(body__startswith="Instant post")
    assert stored.count() == 5
    assert set(stored.values_list("status", flat=True)) == {Comment.Status.SPAM}
    assert all("form posted 0." in c.reasons.get().message for c in stored)


def test_a_form_posts_one_comment(client, post, open_moderation, page):
    paper = make_paper()
    token = _token(client.get(paper.get_absolute_url()))
    assert post(paper, token=token, body="My first point.").status_code == 302
    second = post(paper, token=token, body="A different second point.")
    assert second.status_code == 400
    html = second.content.decode()
    assert "This form has already posted a comment." in html
    assert "A different second point." in html  # what was typed is kept
    renewed = _token(second)
    assert renewed != token and form_token_age(renewed) is not None
    assert Comment.objects.count() == 1
    assert post(paper, token=renewed, body="A different second point.").status_code == 302
    assert Comment.objects.count() == 2


def test_copies_of_one_form_lead_to_its_comment_despite_flood_and_duplicate_checks(
    client, post, moderation
):
    paper = make_paper()
    token = _token(client.get(paper.get_absolute_url()))
    responses = [post(paper, token=token, body="Posted once, sent five times.") for _ in range(5)]
    comment = Comment.objects.get()
    assert {r.status_code for r in responses} == {302}
    assert {r["Location"].rsplit("#", 1)[1] for r in responses} == {f"comment-{comment.pk}"}


def test_an_expired_form_comes_back_with_a_token_that_can_post(client, post, open_moderation):
    paper = make_paper()
    response = post(paper, token="forged:token:value", body="Kept across the expiry.")
    assert response.status_code == 400
    assert "This form has expired." in response.content.decode()
    assert "Kept across the expiry." in response.content.decode()
    assert post(paper, token=_token(response), body="Kept across the expiry.").status_code == 302


def _post_raw(address, path, data):
    connection = http.client.HTTPConnection(address, timeout=30)
    try:
        connection.request(
            "POST", path, urlencode(data), {"Content-Type": "application/x-www-form-urlencoded"}
        )
        response = connection.getresponse()
        return response.status, response.getheader("Location", "")
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_five_copies_posted_at_once_all_lead_to_the_one_stored_comment(live_server, moderation):
    """Through a threaded live server, whose threads each have their own connection on
    PostgreSQL. (On SQLite the live server's threads share the one in-memory connection of the
    test database, so concurrent requests cannot be made there: `make loadtest` races copies
    under gunicorn on an SQLite file instead.)"""
    if connection.vendor != "postgresql":
        pytest.skip("the test database's live server shares one SQLite connection")
    paper = make_paper()
    address = urlsplit(live_server.url).netloc
    page = http.client.HTTPConnection(address, timeout=30)
    page.request("GET", paper.get_absolute_url())
    token = form_token_of(page.getresponse().read().decode())
    page.close()
    data = {
        "name": "Quentin Aydin",
        "email": "quentin@example.net",
        "website": "",
        "body": "Sent from a shaky connection, five times.",
        "url": "",
        "parent": "",
        "token": token,
    }
    start = threading.Barrier(5)
    results = []

    def send():
        start.wait()
        results.append(_post_raw(address, f"/comments/post/{paper.pk}/", data))

    threads = [threading.Thread(target=send) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    comment = Comment.objects.get()
    assert [status for status, _ in results] == [302] * 5, results
    assert {location.rsplit("#", 1)[1] for _, location in results} == {f"comment-{comment.pk}"}
