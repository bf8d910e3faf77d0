"""Pages organisers write in the admin (About, Call for papers, ...), through HTTP: a page of
the whole site and a page of an edition, in the site's layout, sanitised, drafts for staff
only, and listed in the navigation of the pages they belong to."""

import re

import pytest

from pages.models import Page
from tests.factories import make_edition, make_paper, make_person, make_stream, make_user

pytestmark = pytest.mark.django_db


def make_page(edition=None, **fields):
    defaults = {
        "title": "About",
        "slug": "about",
        "body": "We *talk* about papers.",
        "status": Page.Status.PUBLISHED,
    }
    return Page.objects.create(edition=edition, **{**defaults, **fields})


def read(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def nav(html, label):
    """The links of the <nav> with this aria-label, as (text, href) pairs."""
    block = re.search(rf'<nav[^>]*aria-label="{re.escape(label)}"[^>]*>(.*?)</nav>', html, re.S)
    if block is None:
        return None
    return [
        (text, href) for href, text in re.findall(r'<a href="([^"]+)"[^>]*>([^<]*)</a>', block[1])
    ]


@pytest.fixture
def edition():
    return make_edition(name="Colloquy Pages 2027", slug="pages-2027")


# The pages themselves


def test_a_site_page_is_shown_at_its_address_in_the_sites_layout(client):
    make_page(title="Code of conduct", slug="conduct", body="Be *kind*.\n\n- listen\n- reply")
    html = read(client, "/pages/conduct/")
    assert "<title>Code of conduct · Colloquy</title>" in html
    assert re.search(r'<h1 id="page-title">Code of conduct</h1>', html)
    assert "<p>Be <em>kind</em>.</p>" in html and "<li>listen</li>" in html
    assert '<a class="skip-link" href="#content">Skip to content</a>' in html
    assert '<link rel="stylesheet" href="/static/css/site.css">' in html


def test_an_edition_page_is_shown_under_its_edition(client, edition):
    make_page(edition, title="Call for papers", slug="call", body="Send us **papers**.")
    html = read(client, "/editions/pages-2027/pages/call/")
    assert "<title>Call for papers · Colloquy Pages 2027</title>" in html
    assert "<strong>papers</strong>" in html
    assert '<p class="crumbs"><a href="/editions/pages-2027/">Colloquy Pages 2027</a></p>' in html


def test_a_slug_names_one_page_per_edition_and_one_of_the_site(client, edition):
    make_page(body="About the whole site.")
    make_page(edition, body="About this edition.")
    make_page(make_edition(slug="other-2027"), body="About another edition.")
    assert "About the whole site." in read(client, "/pages/about/")
    assert "About this edition." in read(client, "/editions/pages-2027/pages/about/")
    assert "About another edition." in read(client, "/editions/other-2027/pages/about/")


def test_an_edition_page_is_not_found_elsewhere(client, edition):
    make_page(edition, slug="call")
    read(client, "/pages/call/", status=404)
    read(client, "/editions/other/pages/call/", status=404)
    read(client, "/editions/pages-2027/pages/nothing/", status=404)


def test_a_site_page_is_not_found_under_an_edition(client, edition):
    make_page(slug="conduct")
    read(client, "/editions/pages-2027/pages/conduct/", status=404)


def test_a_page_is_sent_with_the_strict_content_security_policy(client):
    make_page()
    csp = client.get("/pages/about/")["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp


# Markdown, sanitised


HOSTILE = """Welcome.

<script>alert("page")</script>

<img src="x" onerror="alert(1)">

<iframe src="https://evil.example/"></iframe>

[click](javascript:alert(2)) and <a href="#" onclick="alert(3)">this</a>

![tracker](https://evil.example/pixel.png)
"""


def test_markdown_is_rendered_when_saved_and_no_script_survives(client):
    page = make_page(body=HOSTILE)
    assert page.body_html == Page.objects.get().body_html
    html = read(client, "/pages/about/")
    body = html.split('<div class="page-body">', 1)[1].split("</article>", 1)[0]
    assert "<p>Welcome.</p>" in body
    for gone in ("<script", "onerror", "<iframe", "javascript:", "onclick", "<img"):
        assert gone not in body.lower(), gone
    assert 'href="https://evil.example/pixel.png"' in body  # an image elsewhere is a link


def test_a_page_changed_in_place_is_rendered_again(client):
    page = make_page(body="First words.")
    page.body = "Second words."
    page.save()
    html = read(client, "/pages/about/")
    assert "Second words." in html and "First words." not in html


# Drafts


def test_a_draft_is_not_found_by_visitors_or_readers(client, edition):
    make_page(slug="secret", title="Secret plans", status=Page.Status.DRAFT)
    make_page(edition, slug="secret", status=Page.Status.DRAFT)
    assert "Secret plans" not in read(client, "/pages/secret/", status=404)
    read(client, "/editions/pages-2027/pages/secret/", status=404)
    client.force_login(make_user())
    read(client, "/pages/secret/", status=404)


def test_a_draft_is_shown_to_staff_marked_as_a_draft(client, edition):
    make_page(edition, slug="secret", title="Secret plans", status=Page.Status.DRAFT)
    client.force_login(make_user(staff=True))
    html = read(client, "/editions/pages-2027/pages/secret/")
    assert 'Secret plans <strong class="badge">Draft</strong></h1>' in html


def test_a_new_page_is_a_draft_until_published():
    assert Page().status == Page.Status.DRAFT


# Navigation


def test_the_sites_pages_are_in_every_pages_navigation_in_order(client, edition):
    make_page(title="Code of conduct", slug="conduct", position=2)
    make_page(title="About", slug="about", position=1)
    make_page(title="Draft", slug="draft", status=Page.Status.DRAFT)
    make_page(title="Unlisted", slug="unlisted", in_navigation=False)
    author = make_person()
    paper = make_paper(stream=make_stream(edition), authors=[author])
    urls = [
        "/",
        "/editions/",
        edition.get_absolute_url(),
        paper.get_absolute_url(),
        author.get_absolute_url(),
        "/pages/unlisted/",
        "/accounts/login/",
        "/no/such/page/",
    ]
    for url in urls:
        html = read(client, url, status=404 if url == "/no/such/page/" else 200)
        links = nav(html, "Site")
        assert links[:4] == [
            ("Home", "/"),
            ("Editions", "/editions/"),
            ("About", "/pages/about/"),
            ("Code of conduct", "/pages/conduct/"),
        ], url
        assert ("Draft", "/pages/draft/") not in links and "Unlisted" not in dict(links), url


def test_an_editions_pages_are_in_the_navigation_of_its_pages(client, edition):
    make_page(edition, title="Call for papers", slug="call", position=2)
    make_page(edition, title="About", slug="about", position=1)
    make_page(edition, title="Hidden", slug="hidden", in_navigation=False)
    make_page(edition, title="Draft", slug="draft", status=Page.Status.DRAFT)
    stream = make_stream(edition)
    paper = make_paper(stream=stream)
    expected = [
        ("Colloquy Pages 2027", "/editions/pages-2027/"),
        ("About", "/editions/pages-2027/pages/about/"),
        ("Call for papers", "/editions/pages-2027/pages/call/"),
    ]
    for url in [
        "/",
        edition.get_absolute_url(),
        stream.get_absolute_url(),
        paper.get_absolute_url(),
        "/editions/pages-2027/pages/call/",
        "/editions/pages-2027/pages/hidden/",
    ]:
        assert nav(read(client, url), "Colloquy Pages 2027") == expected, url


def test_an_editions_pages_are_not_in_another_editions_navigation(client, edition):
    make_page(edition, title="Call for papers", slug="call")
    other = make_edition(name="Colloquy Other 2027", slug="other-2027")
    paper = make_paper(stream=make_stream(other))
    html = read(client, paper.get_absolute_url())
    assert "Call for papers" not in html
    assert nav(html, "Colloquy Pages 2027") is None
    assert nav(read(client, "/editions/"), "Colloquy Pages 2027") is None


def test_the_current_page_is_marked_in_the_navigation(client, edition):
    make_page(edition, title="Call for papers", slug="call")
    html = read(client, "/editions/pages-2027/pages/call/")
    assert (
        '<a href="/editions/pages-2027/pages/call/" aria-current="page">Call for papers</a>' in html
    )
    assert html.count('aria-current="page"') == 1


def test_the_edition_page_lists_all_its_pages_and_staff_see_drafts(client, edition):
    make_page(edition, title="About", slug="about")
    make_page(edition, title="Hidden", slug="hidden", in_navigation=False)
    make_page(edition, title="Secret", slug="secret", status=Page.Status.DRAFT)
    make_page(title="Site-wide", slug="site-wide")
    html = read(client, edition.get_absolute_url())
    listed = html.split('<ul class="page-list">', 1)[1].split("</ul>", 1)[0]
    assert re.findall(r">([^<>]+)</a>", listed) == ["About", "Hidden"]
    client.force_login(make_user(staff=True))
    listed = read(client, edition.get_absolute_url()).split('<ul class="page-list">', 1)[1]
    assert (
        '<a href="/editions/pages-2027/pages/secret/">Secret</a> <strong class="badge">Draft</strong>'
        in listed
    )


def test_an_edition_without_pages_has_no_pages_list_or_edition_navigation(client, edition):
    html = read(client, edition.get_absolute_url())
    assert 'class="page-list"' not in html
    assert nav(html, "Colloquy Pages 2027") is None


def test_a_page_published_or_renamed_shows_at_once_on_cached_pages(client, settings, edition):
    settings.COLLOQUY_PAGE_CACHE_SECONDS = 300
    paper = make_paper(stream=make_stream(edition))
    page = make_page(edition, title="Call for papers", slug="call", status=Page.Status.DRAFT)
    assert "Call for papers" not in read(client, paper.get_absolute_url())
    page.status = Page.Status.PUBLISHED
    page.save()
    assert "Call for papers" in read(client, paper.get_absolute_url())
    page.title = "Call for contributions"
    page.save()
    html = read(client, paper.get_absolute_url())
    assert "Call for contributions" in html and "Call for papers" not in html
    page.delete()
    assert "Call for contributions" not in read(client, paper.get_absolute_url())


def test_an_edition_given_a_new_slug_moves_its_pages_links(client, edition):
    make_page(edition, title="Call for papers", slug="call")
    read(client, "/")
    edition.slug = "moved-2027"
    edition.save()
    assert nav(read(client, "/"), "Colloquy Pages 2027")[1] == (
        "Call for papers",
        "/editions/moved-2027/pages/call/",
    )


def test_navigation_costs_no_query_once_read(client, django_assert_num_queries, edition):
    make_page(title="About", slug="about")
    from pages.navigation import navigation_links

    with django_assert_num_queries(1):
        navigation_links()
    with django_assert_num_queries(0):
        assert navigation_links()[None][0].title == "About"


# The admin


def test_staff_write_a_page_in_the_admin(admin_client, edition):
    response = admin_client.post(
        "/admin/pages/page/add/",
        {
            "edition": edition.pk,
            "title": "Call for papers",
            "slug": "call",
            "body": "Send **papers** by May.<script>alert(1)</script>",
            "status": "published",
            "in_navigation": "on",
            "position": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    page = Page.objects.get()
    assert page.body_html == "<p>Send <strong>papers</strong> by May.alert(1)</p>"
    assert page.get_absolute_url() == "/editions/pages-2027/pages/call/"


def test_the_admin_refuses_a_second_site_page_with_the_same_slug(admin_client):
    make_page(slug="about")
    response = admin_client.post(
        "/admin/pages/page/add/",
        {
            "edition": "",
            "title": "About again",
            "slug": "about",
            "body": "Again.",
            "status": "draft",
            "position": "0",
        },
    )
    assert response.status_code == 200
    assert "A page of the whole site already has this slug." in response.content.decode()
    assert Page.objects.count() == 1


def test_the_admin_refuses_a_second_edition_page_with_the_same_slug(admin_client, edition):
    make_page(edition, slug="about")
    response = admin_client.post(
        "/admin/pages/page/add/",
        {
            "edition": edition.pk,
            "title": "About again",
            "slug": "about",
            "body": "Again.",
            "status": "draft",
            "position": "0",
        },
    )
    assert response.status_code == 200
    assert "This edition already has a page with this slug." in response.content.decode()


def test_the_admin_lists_and_filters_pages(admin_client, edition):
    make_page(edition, title="Edition about")
    make_page(title="Site about")
    html = admin_client.get(f"/admin/pages/page/?edition__id__exact={edition.pk}").content.decode()
    assert "Edition about" in html and "Site about" not in html


def test_a_save_of_the_body_alone_stores_what_it_renders_to(client):
    page = make_page(body="Before.")
    page.body = "*After.*"
    page.save(update_fields=["body"])
    assert Page.objects.get().body_html == "<p><em>After.</em></p>"
    Page.objects.update_or_create(slug="about", edition=None, defaults={"body": "**Again.**"})
    assert Page.objects.get().body_html == "<p><strong>Again.</strong></p>"
