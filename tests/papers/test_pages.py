"""The reader-facing pages, through real HTTP requests: home, edition, stream, author, paper."""

import datetime
import re

import pytest
from django.utils import timezone

from papers.models import Paper
from tests.factories import (
    make_comment,
    make_edition,
    make_paper,
    make_person,
    make_stream,
    make_user,
)
from tests.pages import without_form_token
from tests.papers.references import MERCIECA, NASLUND

pytestmark = pytest.mark.django_db


def page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def h1s(html):
    return [
        re.sub(r"\s+", " ", text).strip()
        for text in re.findall(r"<h1\b[^>]*>(.*?)</h1>", html, re.S)
    ]


@pytest.fixture
def conference():
    """An edition with two streams, two authors and a published paper with citations."""
    edition = make_edition(
        name="Colloquy Pages 2026", slug="pages-2026", description="All about pages."
    )
    groups = make_stream(edition, name="Groups and Care", slug="groups", description="Groups.")
    other = make_stream(edition, name="Platforms", slug="platforms", position=1)
    ana, ben = make_person("Ana Lima"), make_person("Ben Okoro")
    paper = make_paper(
        stream=groups,
        title="Small groups keep people",
        slug="small-groups",
        thesis="Small groups keep people because members notice each other.",
        authors=[ana, ben],
        published_on=datetime.datetime(2026, 4, 21, 9, tzinfo=datetime.UTC),
        sections=[
            ("Introduction", "Groups help (Naslund et al., 2016, p. 114)."),
            ("Findings", "Mercieca and Kelly say so (2018, pp. 71–72).\n\n### Detail\n\nMore."),
        ],
        references=[NASLUND, MERCIECA],
    )
    return {
        "edition": edition,
        "groups": groups,
        "other": other,
        "ana": ana,
        "ben": ben,
        "paper": paper,
    }


# Home


def test_home_shows_the_current_edition_its_streams_and_latest_papers(client, conference):
    make_edition(name="Colloquy Long Ago", year=2019, slug="old")
    html = page(client, "/")
    assert h1s(html) == ["Colloquy Pages 2026"]
    assert "Colloquy Long Ago" not in html
    assert '<a href="/editions/pages-2026/streams/groups/">Groups and Care</a>' in html
    assert '<a href="/editions/pages-2026/streams/platforms/">Platforms</a>' in html
    assert (
        '<a href="/editions/pages-2026/papers/small-groups/">Small groups keep people</a>' in html
    )
    assert '<a href="/editions/pages-2026/">All papers of Colloquy Pages 2026</a>' in html


def test_home_lists_at_most_six_latest_papers_newest_first(client, conference):
    now = timezone.now()
    for n in range(7):
        make_paper(
            stream=conference["other"],
            title=f"Numbered paper {n}",
            published_on=now - datetime.timedelta(hours=n + 1),
        )
    html = page(client, "/")
    shown = re.findall(r"Numbered paper (\d)", html)
    assert shown == ["0", "1", "2", "3", "4", "5"]
    assert "Small groups keep people" not in html  # older than the six


def test_home_hides_drafts_and_scheduled_papers_from_visitors(client, conference):
    make_paper(stream=conference["groups"], title="Draft paper", status=Paper.Status.DRAFT)
    make_paper(
        stream=conference["groups"],
        title="Scheduled paper",
        published_on=timezone.now() + datetime.timedelta(days=3),
    )
    html = page(client, "/")
    assert "Draft paper" not in html
    assert "Scheduled paper" not in html
    assert "Small groups keep people" in html


def test_home_without_an_edition_says_so(client):
    html = page(client, "/")
    assert h1s(html) == ["Colloquy"]
    assert "No conference has been set up yet." in html


# Edition, stream and author pages


def test_edition_page_lists_streams_and_papers(client, conference):
    make_paper(stream=conference["other"], title="A platforms paper")
    html = page(client, "/editions/pages-2026/")
    assert h1s(html) == ["Colloquy Pages 2026"]
    assert "All about pages." in html
    assert '<a href="/editions/pages-2026/streams/platforms/">Platforms</a>' in html
    assert "Small groups keep people" in html
    assert "A platforms paper" in html


def test_stream_page_lists_only_its_own_papers(client, conference):
    make_paper(stream=conference["other"], title="A platforms paper")
    html = page(client, conference["groups"].get_absolute_url())
    assert h1s(html) == ["Groups and Care"]
    assert '<a href="/editions/pages-2026/">Colloquy Pages 2026</a>' in html
    assert "Small groups keep people" in html
    assert "A platforms paper" not in html
    assert "Ana Lima, Ben Okoro" in html


def test_stream_page_shows_comment_counts(client, conference):
    paper = conference["paper"]
    quiet = make_paper(stream=conference["groups"], title="Nobody talks")
    busy = make_paper(stream=conference["groups"], title="Everybody talks")
    make_comment(paper)
    make_comment(busy)
    make_comment(busy)
    make_comment(busy, status="pending")  # held comments are not counted
    html = page(client, conference["groups"].get_absolute_url())

    def count_text(p):
        found = re.search(rf'<a href="{p.get_absolute_url()}#comments">([^<]*)</a>', html)
        return found[1]

    assert count_text(quiet) == "No comments yet"
    assert count_text(paper) == "1 comment"
    assert count_text(busy) == "2 comments"


def test_author_page_lists_their_papers_only(client, conference):
    make_paper(stream=conference["groups"], title="Not by Ana", authors=[conference["ben"]])
    ana = conference["ana"]
    ana.bio = "Studies small groups."
    ana.save()
    html = page(client, ana.get_absolute_url())
    assert h1s(html) == ["Ana Lima"]
    assert "Studies small groups." in html
    assert "Small groups keep people" in html
    assert "Not by Ana" not in html


def test_lists_hide_drafts_from_visitors_but_show_them_to_staff(client, conference):
    make_paper(
        stream=conference["groups"],
        title="Unfinished draft",
        status=Paper.Status.DRAFT,
        authors=[conference["ana"]],
    )
    urls = [
        "/editions/pages-2026/",
        conference["groups"].get_absolute_url(),
        conference["ana"].get_absolute_url(),
    ]
    for url in urls:
        assert "Unfinished draft" not in page(client, url)
    client.force_login(make_user(staff=True))
    for url in urls:
        html = page(client, url)
        assert "Unfinished draft" in html
        assert '<strong class="badge">Draft</strong>' in html


@pytest.mark.parametrize("where", ["edition", "stream", "author"])
def test_lists_paginate(client, settings, where):
    settings.COLLOQUY_PAPERS_PER_PAGE = 2
    stream = make_stream(make_edition(slug="paged"))
    author = make_person("Paged Author")
    now = timezone.now()
    titles = [f"Paginated paper {n}" for n in range(3)]
    for n, title in enumerate(titles):
        make_paper(
            stream=stream,
            title=title,
            authors=[author],
            published_on=now - datetime.timedelta(hours=n + 1),
        )
    url = {
        "edition": stream.edition.get_absolute_url(),
        "stream": stream.get_absolute_url(),
        "author": author.get_absolute_url(),
    }[where]
    first, second = page(client, url), page(client, url + "?page=2")
    assert re.findall(r"Paginated paper \d", first) == titles[:2]
    assert re.findall(r"Paginated paper \d", second) == titles[2:]
    assert "Page 1 of 2" in first and '<a rel="next" href="?page=2">Next page</a>' in first
    assert "Page 2 of 2" in second and '<a rel="prev" href="?page=1">Previous page</a>' in second
    assert re.findall(r"Paginated paper \d", page(client, url + "?page=99")) == titles[2:]


# The paper page


def test_paper_page_has_title_authors_stream_and_date(client, conference):
    html = page(client, conference["paper"].get_absolute_url())
    assert h1s(html) == ["Small groups keep people"]
    assert '<h1 id="paper-title">Small groups keep people</h1>' in html
    ana, ben = conference["ana"], conference["ben"]
    assert (
        f'By <a href="{ana.get_absolute_url()}">Ana Lima</a> and '
        f'<a href="{ben.get_absolute_url()}">Ben Okoro</a>'
    ) in html
    assert '<a href="/editions/pages-2026/streams/groups/">Groups and Care</a>' in html
    assert '<time datetime="2026-04-21T09:00:00+00:00">21 April 2026</time>' in html
    assert "<title>Small groups keep people · Colloquy Pages 2026</title>" in html


def test_paper_page_sets_the_thesis_apart(client, conference):
    html = page(client, conference["paper"].get_absolute_url())
    aside = re.search(r'<aside class="thesis"[^>]*>(.*?)</aside>', html, re.S)
    assert aside is not None
    assert "<p>Small groups keep people because members notice each other.</p>" in aside[1]
    assert re.match(
        r"\s*<h2>Thesis</h2>\s*<p>Small groups keep people because members notice each other.</p>",
        aside[1],
    )


def test_paper_page_table_of_contents_links_to_section_anchors(client, conference):
    html = page(client, conference["paper"].get_absolute_url())
    toc = re.search(r'<nav class="toc"[^>]*>(.*?)</nav>', html, re.S)[1]
    assert re.findall(r'<a href="#([^"]+)">([^<]+)</a>', toc) == [
        ("introduction", "Introduction"),
        ("findings", "Findings"),
        ("bibliography", "Bibliography"),
        ("comments", "Discussion"),
    ]
    for anchor in ("introduction", "findings", "bibliography", "comments"):
        assert html.count(f'id="{anchor}"') == 1


def test_paper_page_sections_have_anchored_headings_and_rendered_bodies(client, conference):
    html = page(client, conference["paper"].get_absolute_url())
    assert '<h2 id="introduction">Introduction</h2>' in html
    assert '<h2 id="findings">Findings</h2>' in html
    assert "<h3>Detail</h3>" in html
    assert (
        html.index('id="introduction"')
        < html.index('id="findings"')
        < html.index('id="bibliography"')
    )


def test_paper_page_bibliography_has_anchored_entries_with_doi_links(client, conference):
    html = page(client, conference["paper"].get_absolute_url())
    bibliography = re.search(r'<section class="bibliography".*?</section>', html, re.S)[0]
    assert re.findall(r'<li id="([^"]+)">', bibliography) == [
        "ref-naslund-2016",
        "ref-mercieca-2018",
    ]
    assert (
        '<a href="https://doi.org/10.5555/jis.2016.25">https://doi.org/10.5555/jis.2016.25</a>'
        in bibliography
    )
    assert "<i>Journal of Invented Studies</i>, <i>25</i>(2), 113–122." in bibliography


def test_paper_page_citations_link_to_bibliography_entries(client, conference):
    html = page(client, conference["paper"].get_absolute_url())
    assert '<a class="citation" href="#ref-naslund-2016">Naslund et al., 2016, p. 114</a>' in html
    assert '<a class="citation" href="#ref-mercieca-2018">2018, pp. 71–72</a>' in html


def test_paper_page_without_references_has_no_bibliography(client):
    paper = make_paper(sections=[("Only", "Text.")])
    html = page(client, paper.get_absolute_url())
    assert 'id="bibliography"' not in html
    assert 'href="#bibliography"' not in html


def test_paper_page_shows_the_discussion(client, conference):
    paper = conference["paper"]
    make_comment(paper, body="A remark about small groups.")
    html = page(client, paper.get_absolute_url())
    assert '<section id="comments"' in html
    assert "A remark about small groups." in html


def test_paper_page_ids_are_unique_even_when_a_heading_matches_a_page_id(client):
    paper = make_paper(sections=[("Content", "The content of the paper."), ("Method", "How.")])
    html = page(client, paper.get_absolute_url())
    ids = re.findall(r'\sid="([^"]+)"', html)
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    assert duplicates == []
    # the table of contents entry leads to the section, not to <main id="content">
    section = paper.sections.get(heading="Content")
    assert f'<h2 id="{section.anchor}">Content</h2>' in html
    assert f'<a href="#{section.anchor}">Content</a>' in html


# What every page has


def _all_pages(conference):
    return [
        "/",
        "/editions/pages-2026/",
        conference["groups"].get_absolute_url(),
        conference["ana"].get_absolute_url(),
        conference["paper"].get_absolute_url(),
    ]


def test_every_page_has_exactly_one_h1_a_skip_link_and_main_content(client, conference):
    for url in [*_all_pages(conference), "/editions/nowhere/"]:
        response = client.get(url)
        html = response.content.decode()
        assert len(h1s(html)) == 1, url
        assert '<a class="skip-link" href="#content">Skip to content</a>' in html, url
        assert html.count('<main id="content"') == 1, url
        assert html.index("skip-link") < html.index('<main id="content"'), url


def test_every_page_links_the_stylesheet_from_static(client, conference):
    for url in _all_pages(conference):
        assert '<link rel="stylesheet" href="/static/css/site.css">' in page(client, url), url


def test_every_page_is_sent_with_a_strict_content_security_policy(client, conference):
    for url in [*_all_pages(conference), "/editions/nowhere/"]:
        csp = client.get(url)["Content-Security-Policy"]
        assert "script-src 'self'" in csp, url
        assert "style-src 'self'" in csp, url
        assert "unsafe-inline" not in csp, url
        assert "unsafe-eval" not in csp, url


def test_paper_page_has_no_inline_script_or_style(client, conference):
    paper = conference["paper"]
    make_comment(paper, parent=make_comment(paper), body="A reply, so the thread is nested.")
    html = page(client, paper.get_absolute_url())
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", html, re.S | re.I)
    code = [(attrs, body) for attrs, body in scripts if 'type="application/ld+json"' not in attrs]
    assert code, "the site script is linked"  # the JSON-LD is data, never run
    assert all('src="/static/' in attrs and body.strip() == "" for attrs, body in code)
    assert not re.search(r"\sstyle\s*=", html, re.I)
    assert "<style" not in html.lower()
    assert not re.search(r"\son[a-z]+\s*=", html, re.I)


# Drafts, scheduled papers and unknown addresses


def test_draft_paper_is_404_for_visitors_and_non_staff(client, conference):
    draft = make_paper(stream=conference["groups"], title="Secret draft", status=Paper.Status.DRAFT)
    html = page(client, draft.get_absolute_url(), status=404)
    assert "Secret draft" not in html
    client.force_login(make_user())
    page(client, draft.get_absolute_url(), status=404)


def test_draft_paper_is_shown_to_staff(client, conference):
    draft = make_paper(stream=conference["groups"], title="Secret draft", status=Paper.Status.DRAFT)
    client.force_login(make_user(staff=True))
    html = page(client, draft.get_absolute_url())
    assert h1s(html) == ["Secret draft"]
    assert '<strong class="badge">Draft</strong>' in html


def test_scheduled_paper_is_404_until_its_date(client, conference):
    scheduled = make_paper(
        stream=conference["groups"], published_on=timezone.now() + datetime.timedelta(days=1)
    )
    page(client, scheduled.get_absolute_url(), status=404)
    client.force_login(make_user(staff=True))
    page(client, scheduled.get_absolute_url())


@pytest.mark.parametrize(
    "url",
    [
        "/editions/pages-2026/papers/no-such-paper/",
        "/editions/no-such-edition/",
        "/editions/no-such-edition/papers/small-groups/",
        "/editions/pages-2026/streams/no-such-stream/",
        "/authors/no-such-author/",
        "/no/such/address/",
    ],
)
def test_unknown_addresses_get_the_sites_own_404_page(client, conference, url):
    html = page(client, url, status=404)
    assert h1s(html) == ["Page not found"]
    assert "<title>Page not found · Colloquy</title>" in html


def test_paper_of_another_edition_is_not_found_under_this_one(client, conference):
    other = make_paper(stream=make_stream(make_edition(slug="elsewhere")), slug="elsewhere-paper")
    page(client, f"/editions/pages-2026/papers/{other.slug}/", status=404)
    page(client, other.get_absolute_url())


# Queries


def _paper_with(n):
    """A published paper with n sections, n references and n authors, and no comments."""
    refs = [{**NASLUND, "year": str(2000 + i)} for i in range(n)]
    return make_paper(
        authors=[make_person() for _ in range(n)],
        sections=[(f"Part {i}", f"Text (Naslund et al., {2000 + i}).") for i in range(n)],
        references=refs,
    )


# The paper page for an anonymous visitor without cookies, the first time (cold page cache):
#   1. the paper, with its edition and stream (select_related)
#   2. its authorships with their people (select_related)
#   3. its sections
#   4. its references
#   5. the discussion: the ids of the page's top-level approved comments (comments app);
#      with no comments the query for their threads is never sent.
#   6. the pages the navigation lists (pages app; then kept until a page or edition changes)
#   7. its revisions (papers.selectors.revision_times: "Revised on", and which comments were
#      written on an earlier version; one query for both)
PAPER_PAGE_QUERIES = 7


@pytest.mark.parametrize("size", [1, 5])
def test_paper_page_query_count_is_pinned(client, django_assert_num_queries, size):
    paper = _paper_with(size)
    with django_assert_num_queries(PAPER_PAGE_QUERIES):
        html = page(client, paper.get_absolute_url())
    assert html.count('class="paper-section"') == size
    assert html.count('class="citation"') == size


def test_lists_show_comment_counts_without_a_query_per_paper(client, django_assert_num_queries):
    stream = make_stream()
    few = [make_paper(stream=stream) for _ in range(2)]
    make_comment(few[0])
    url = stream.get_absolute_url()
    # stream, count of papers, papers with stream and edition, their authors, and the pages
    # the navigation lists (the first time: then kept, see the second request)
    with django_assert_num_queries(5):
        client.get(url)
    with django_assert_num_queries(4) as two:
        client.get(url)
    for _ in range(4):
        make_comment(make_paper(stream=stream))
    with django_assert_num_queries(len(two.captured_queries)):
        html = client.get(url).content.decode()
    assert html.count("1 comment<") == 5
    assert "No comments yet" in html


def test_paper_page_second_anonymous_visit_comes_from_the_cache(client, django_assert_num_queries):
    paper = _paper_with(3)
    first = page(client, paper.get_absolute_url())
    with django_assert_num_queries(0):  # served by the page cache's middleware
        response = client.get(paper.get_absolute_url())
    assert without_form_token(response.content.decode()) == without_form_token(first)
    assert "script-src 'self'" in response["Content-Security-Policy"]
