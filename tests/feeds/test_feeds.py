"""The Atom and RSS feeds, parsed with feedparser: what they list, their links on SITE_URL,
no e-mail address anywhere, and a number of queries that does not grow with the items."""

import datetime

import feedparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from comments.models import Comment
from comments.services import comment_set_status
from papers.models import Paper
from tests.factories import make_comment, make_paper, make_person, make_stream, make_user

pytestmark = pytest.mark.django_db

SITE = "https://colloquy.example.org"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.COLLOQUY_SITE_URL = SITE


def _get(client, url):
    response = client.get(url, HTTP_HOST="testserver")
    assert response.status_code == 200
    raw = response.content.decode()
    assert "@" not in raw, "an e-mail address in a feed"
    assert "testserver" not in raw, "a link on the request's host"
    return feedparser.parse(response.content)


@pytest.fixture
def site():
    stream = make_stream()
    other_stream = make_stream(edition=stream.edition)
    author = make_person("Ada Author", user=make_user(email="ada@example.org"))
    paper = make_paper(stream=stream, authors=[author], abstract="An abstract of it.")
    other = make_paper(stream=other_stream, title="In the other stream")
    draft = make_paper(stream=stream, title="A draft", status=Paper.Status.DRAFT)
    future = make_paper(
        stream=stream,
        title="Not yet",
        published_on=timezone.now() + datetime.timedelta(days=3),
    )
    return {
        "stream": stream,
        "other_stream": other_stream,
        "edition": stream.edition,
        "paper": paper,
        "other": other,
        "draft": draft,
        "future": future,
    }


PAPER_FEEDS = ["feeds:papers_atom", "feeds:papers_rss"]


@pytest.mark.parametrize("name", PAPER_FEEDS)
def test_papers_feed_lists_published_papers_only(client, site, name):
    feed = _get(client, reverse(name))
    assert not feed.bozo, feed.bozo_exception
    titles = [entry.title for entry in feed.entries]
    assert site["paper"].title in titles and site["other"].title in titles
    assert "A draft" not in titles and "Not yet" not in titles
    entry = next(e for e in feed.entries if e.title == site["paper"].title)
    assert entry.link == SITE + site["paper"].get_absolute_url()
    assert entry.author == "Ada Author"
    assert "Things matter" in entry.summary and "An abstract of it." in entry.summary
    assert entry.published_parsed[:3] == site["paper"].published_on.utctimetuple()[:3]
    assert feed.feed.link == SITE + "/"


@pytest.mark.parametrize("kind", ["atom", "rss"])
def test_edition_feed_lists_its_papers(client, site, kind):
    url = reverse(f"feeds:edition_{kind}", args=[site["edition"].slug])
    feed = _get(client, url)
    assert {e.title for e in feed.entries} == {site["paper"].title, site["other"].title}
    assert feed.feed.link == SITE + site["edition"].get_absolute_url()
    assert site["edition"].name in feed.feed.title
    make_paper(title="Another edition's")
    assert "Another edition's" not in {e.title for e in _get(client, url).entries}


@pytest.mark.parametrize("kind", ["atom", "rss"])
def test_stream_feed_lists_its_papers(client, site, kind):
    stream = site["stream"]
    feed = _get(client, reverse(f"feeds:stream_{kind}", args=[stream.edition.slug, stream.slug]))
    assert [e.title for e in feed.entries] == [site["paper"].title]
    assert feed.feed.link == SITE + stream.get_absolute_url()


def test_atom_feed_names_itself_on_site_url(client, site):
    url = reverse("feeds:papers_atom")
    feed = _get(client, url)
    assert {"href": SITE + url, "rel": "self"}.items() <= next(
        link for link in feed.feed.links if link.rel == "self"
    ).items()


def test_unknown_edition_or_stream_is_404(client, site):
    assert client.get(reverse("feeds:edition_atom", args=["nope"])).status_code == 404
    url = reverse("feeds:stream_atom", args=[site["edition"].slug, "nope"])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("name", ["feeds:comments_atom", "feeds:comments_rss"])
def test_comments_feed_shows_approved_comments_only(client, site, name):
    paper = site["paper"]
    approved = make_comment(paper, name="Grace Reader", email="grace@example.net", body="Yes *so*.")
    make_comment(paper, name="Held Person", status=Comment.Status.PENDING)
    make_comment(paper, name="Spam Person", status=Comment.Status.SPAM)
    make_comment(paper, name="Trashed Person", status=Comment.Status.TRASH)
    make_comment(site["draft"], name="On A Draft")
    feed = _get(client, reverse(name))
    assert len(feed.entries) == 1
    entry = feed.entries[0]
    assert entry.author == "Grace Reader"
    assert "Grace Reader" in entry.title and paper.title in entry.title
    assert entry.link == SITE + approved.get_absolute_url()
    assert "<em>so</em>" in entry.summary
    assert entry.published_parsed[:5] == approved.submitted_at.utctimetuple()[:5]


@pytest.mark.parametrize("kind", ["atom", "rss"])
def test_paper_comments_feed_follows_moderation(client, site, kind):
    paper = site["paper"]
    url = reverse(f"feeds:paper_comments_{kind}", args=[paper.edition.slug, paper.slug])
    make_comment(site["other"], name="Elsewhere")
    comment = make_comment(paper, name="Grace\u202eReader", email="grace@example.net")
    held = make_comment(paper, name="Held Person", status=Comment.Status.PENDING)
    feed = _get(client, url)
    assert [e.author for e in feed.entries] == ["GraceReader"]  # the name as shown
    assert feed.feed.link == SITE + paper.get_absolute_url()

    comment_set_status(held, Comment.Status.APPROVED, actor=None)
    assert len(_get(client, url).entries) == 2
    comment_set_status(comment, Comment.Status.TRASH, actor=None)
    assert [e.author for e in _get(client, url).entries] == ["Held Person"]


def test_paper_comments_feed_of_a_draft_is_404(client, site):
    draft = site["draft"]
    make_comment(draft)
    url = reverse("feeds:paper_comments_atom", args=[draft.edition.slug, draft.slug])
    assert client.get(url).status_code == 404


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_feed_queries_do_not_grow_with_items(client, site):
    paper, stream = site["paper"], site["stream"]
    urls = [
        reverse("feeds:papers_atom"),
        reverse("feeds:edition_rss", args=[stream.edition.slug]),
        reverse("feeds:stream_atom", args=[stream.edition.slug, stream.slug]),
        reverse("feeds:comments_atom"),
        reverse("feeds:paper_comments_rss", args=[paper.edition.slug, paper.slug]),
    ]
    make_comment(paper)
    before = [_queries(client, url) for url in urls]
    for n in range(4):
        make_paper(stream=stream, authors=[make_person(), make_person()])
        make_comment(make_paper(stream=stream))
        make_comment(paper, name=f"Reader {n}")
    assert [_queries(client, url) for url in urls] == before
    assert max(before) <= 4  # the object, the items, their authorships and people


def test_replies_of_a_hidden_thread_are_not_in_the_feeds(client):
    paper = make_paper(title="Hidden threads")
    top = make_comment(paper, body="The top of it.")
    reply = make_comment(paper, parent=top, body="A reply under it.")
    shown = {entry.link for entry in _get(client, "/feeds/comments/atom/").entries}
    assert any(link.endswith(f"/comments/{reply.pk}/") for link in shown)
    comment_set_status(top, Comment.Status.TRASH, actor=None)
    links = {entry.link for entry in _get(client, "/feeds/comments/atom/").entries}
    assert not any(
        link.endswith((f"/comments/{top.pk}/", f"/comments/{reply.pk}/")) for link in links
    )
