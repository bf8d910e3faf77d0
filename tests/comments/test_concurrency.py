"""Comments stored at the same moment by several connections keep the paper's count exact."""

import threading

import pytest
from django.db import connection, connections

from comments.models import Comment
from comments.services import ClientSignals, Identity, comment_create
from papers.models import Paper
from tests.factories import make_paper

POSTERS = 12
POSTS_EACH = 3


@pytest.mark.django_db(transaction=True)
def test_comment_count_stays_exact_when_comments_are_stored_at_once(open_moderation):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite lets one writer in at a time: nothing races there")
    paper = make_paper()
    start = threading.Barrier(POSTERS)
    failures = []

    def poster(n):
        try:
            start.wait()
            for k in range(POSTS_EACH):
                comment_create(
                    paper=Paper.objects.get(pk=paper.pk),
                    identity=Identity(f"Poster {n}", f"poster-{n}@example.net"),
                    body=f"Point {k} of poster {n}, on a different aspect each time {n * 7 + k}.",
                    signals=ClientSignals(client_key=f"client-{n}", seconds_to_post=30),
                )
        except Exception as error:
            failures.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=poster, args=(n,)) for n in range(POSTERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    approved = Comment.objects.approved().filter(paper=paper).count()
    assert approved == POSTERS * POSTS_EACH
    assert Paper.objects.get(pk=paper.pk).comment_count == approved
