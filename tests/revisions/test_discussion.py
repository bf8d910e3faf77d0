"""A comment written on an earlier version of the paper says so, with a link to it; one
written on the latest does not. Derived from when it was written: nothing is stored."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from comments.models import Comment
from papers.importer import import_paper
from papers.models import PaperRevision
from papers.revisions import paper_revised
from tests.factories import make_comment
from tests.revisions.documents import document, imported

pytestmark = pytest.mark.django_db
SECOND = datetime.timedelta(seconds=1)
DAY = datetime.timedelta(days=1)


def _dated(revision, days_ago):
    """The revision, as if made that many days ago."""
    revision.created_at = timezone.now() - days_ago * DAY
    PaperRevision.objects.filter(pk=revision.pk).update(created_at=revision.created_at)
    return revision


def _revise(paper, *, days_ago, **options):
    paper, _created = import_paper(document(paper.stream, **options), paper=paper)
    return _dated(paper_revised(paper), days_ago)


def _comment_html(html, comment):
    return re.search(rf'<li id="comment-{comment.pk}".*?</article>', html, re.S)[0]


def test_comments_on_earlier_versions_link_to_the_version_they_were_written_on(client):
    paper = imported()
    first = _dated(paper_revised(paper), 3)
    on_first = make_comment(paper, body="On the first.", submitted_at=first.created_at + SECOND)
    second = _revise(paper, title="Retitled once", days_ago=2)
    reply = make_comment(
        paper, parent=on_first, body="On the second.", submitted_at=second.created_at + SECOND
    )
    third = _revise(paper, title="Retitled twice", days_ago=1)
    latest = make_comment(paper, body="On the third.", submitted_at=third.created_at + SECOND)
    html = client.get(paper.get_absolute_url()).content.decode()
    base = f"{paper.get_absolute_url()}revisions/"
    assert (
        f'<a class="comment-version" href="{base}1/">Written on an earlier version (revision 1)</a>'
        in _comment_html(html, on_first)
    )
    assert f'href="{base}2/">Written on an earlier version (revision 2)' in _comment_html(
        html, reply
    )
    assert "earlier version" not in _comment_html(html, latest)


def test_a_comment_written_before_the_first_revision_was_written_on_it(client):
    paper = imported()
    old = make_comment(paper, submitted_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
    _dated(paper_revised(paper), 2)
    _revise(paper, title="Retitled", days_ago=1)
    html = client.get(paper.get_absolute_url()).content.decode()
    assert "(revision 1)" in _comment_html(html, old)


def test_no_comment_is_marked_on_a_paper_never_revised(client):
    paper = imported()
    paper_revised(paper)
    comment = make_comment(paper)
    make_comment(paper, status=Comment.Status.PENDING)
    html = client.get(paper.get_absolute_url()).content.decode()
    assert "comment-version" not in html and comment.body in html


@pytest.mark.parametrize("per_page", [0, 2])
def test_the_page_reads_the_revisions_once(client, settings, per_page):
    """One query, shared by the article's "Revised on" and the comments' versions
    (papers.selectors.revision_times), however many comments the page shows."""
    settings.COLLOQUY_PAGE_CACHE_SECONDS = 0
    settings.COLLOQUY_THREADS_PER_PAGE = per_page
    paper = imported()
    first = _dated(paper_revised(paper), 2)
    for n in range(5):
        make_comment(paper, submitted_at=first.created_at + n * SECOND)
    _revise(paper, title="Retitled", days_ago=1)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(paper.get_absolute_url()).content.decode()
    assert html.count("Written on an earlier version (revision 1)") == (per_page or 5)
    assert "Revised on" in html
    revisions = [q for q in queries.captured_queries if "papers_paperrevision" in q["sql"]]
    assert len(revisions) == 1
