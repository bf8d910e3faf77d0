"""sitemap.xml (every URL on SITE_URL and answering 200), robots.txt, and the pages' links to
their feeds."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone

from pages.models import Page
from papers.models import Paper
from tests.factories import make_paper, make_person, make_stream

pytestmark = pytest.mark.django_db

SITE = "https://colloquy.example.org"
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.COLLOQUY_SITE_URL = SITE


@pytest.fixture
def site():
    stream = make_stream()
    author = make_person("Ada Author")
    drafter = make_person("Only Drafts")
    paper = make_paper(stream=stream, authors=[author])
    draft = make_paper(stream=stream, authors=[drafter], status=Paper.Status.DRAFT)
    future = make_paper(
        stream=stream, authors=[drafter], published_on=timezone.now() + datetime.timedelta(days=2)
    )
    page = Page.objects.create(title="About", slug="about", body="Hi.", status="published")
    hidden = Page.objects.create(title="Secret", slug="secret", body="Hi.", status="draft")
    return locals()


def _sitemap(client):
    response = client.get("/sitemap.xml", HTTP_HOST="testserver")
    assert response.status_code == 200
    return ET.fromstring(response.content)


def test_sitemap_lists_what_visitors_may_read(client, site):
    root = _sitemap(client)
    locations = [loc.text for loc in root.findall("s:url/s:loc", NS)]
    assert all(loc.startswith(SITE + "/") for loc in locations)
    paths = {loc.removeprefix(SITE) for loc in locations}
    assert {
        site["stream"].edition.get_absolute_url(),
        site["stream"].get_absolute_url(),
        site["paper"].get_absolute_url(),
        site["author"].get_absolute_url(),
        site["page"].get_absolute_url(),
    } <= paths
    assert site["draft"].get_absolute_url() not in paths
    assert site["future"].get_absolute_url() not in paths
    assert site["drafter"].get_absolute_url() not in paths
    assert site["hidden"].get_absolute_url() not in paths


def test_every_sitemap_url_answers(client, site):
    for loc in _sitemap(client).findall("s:url/s:loc", NS):
        assert client.get(loc.text.removeprefix(SITE)).status_code == 200, loc.text


def test_sitemap_gives_a_paper_its_last_change(client, site):
    paper = site["paper"]
    paper.refresh_from_db()
    for url in _sitemap(client).findall("s:url", NS):
        if url.find("s:loc", NS).text == SITE + paper.get_absolute_url():
            assert url.find("s:lastmod", NS).text.startswith(paper.updated_at.date().isoformat())
            return
    pytest.fail("the paper is not in the sitemap")


def test_robots_txt_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert f"Sitemap: {SITE}/sitemap.xml" in lines
    assert "Disallow: /admin/" in lines and "Disallow: /me/" in lines
    assert "Disallow: /search/" in lines


def _alternate(response, url):
    html = response.content.decode()
    return 'rel="alternate" type="application/atom+xml"' in html and f'href="{url}"' in html


def test_pages_link_their_feeds(client, site):
    stream = site["stream"]
    edition = stream.edition
    home = client.get(reverse("papers:home"))
    assert _alternate(home, reverse("feeds:papers_atom"))
    assert _alternate(home, reverse("feeds:comments_atom"))
    page = client.get(edition.get_absolute_url())
    assert _alternate(page, reverse("feeds:edition_atom", args=[edition.slug]))
    page = client.get(stream.get_absolute_url())
    assert _alternate(page, reverse("feeds:stream_atom", args=[edition.slug, stream.slug]))
    paper = site["paper"]
    page = client.get(paper.get_absolute_url())
    assert _alternate(page, reverse("feeds:paper_comments_atom", args=[edition.slug, paper.slug]))
    for url in [
        reverse("feeds:papers_atom"),
        reverse("feeds:edition_atom", args=[edition.slug]),
        reverse("feeds:stream_atom", args=[edition.slug, stream.slug]),
    ]:
        assert client.get(url).status_code == 200
