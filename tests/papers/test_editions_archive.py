"""The archive of editions (/editions/), linked from every page, and an edition's own page:
its dates, its description in Markdown, its call for papers, its pages. And the edition's
settings in the admin."""

import datetime
import re
from unittest import mock

import pytest
from django.utils import timezone

from papers.models import Edition, Paper
from tests.factories import make_edition, make_paper, make_stream, make_user

pytestmark = pytest.mark.django_db


def read(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def cards(html):
    """Each edition of the archive: (name, link, the line of dates and papers)."""
    found = re.findall(
        r'<li class="edition-card">\s*<h2><a href="([^"]+)">([^<]+)</a></h2>\s*<p class="dates">(.*?)</p>',
        html,
        re.S,
    )
    return [(name, url, re.sub(r"<[^>]+>", "", line)) for url, name, line in found]


@pytest.fixture
def editions():
    old = make_edition(
        name="Colloquy 2024",
        year=2024,
        slug="colloquy-2024",
        starts_on=datetime.date(2024, 12, 28),
        ends_on=datetime.date(2025, 1, 20),
    )
    new = make_edition(
        name="Colloquy 2026",
        year=2026,
        slug="colloquy-2026",
        starts_on=datetime.date(2026, 4, 20),
        ends_on=datetime.date(2026, 5, 15),
    )
    middle = make_edition(name="Colloquy 2025", year=2025, slug="colloquy-2025")
    for _ in range(2):
        make_paper(stream=make_stream(new))
    make_paper(stream=make_stream(new), status=Paper.Status.DRAFT)
    make_paper(stream=make_stream(new), published_on=timezone.now() + datetime.timedelta(days=2))
    make_paper(stream=make_stream(old))
    return old, middle, new


def test_the_archive_lists_editions_newest_first_with_dates_and_paper_counts(client, editions):
    html = read(client, "/editions/")
    assert "<title>Editions · Colloquy</title>" in html
    assert re.findall(r"<h1>(.*?)</h1>", html) == ["Editions"]
    assert cards(html) == [
        ("Colloquy 2026", "/editions/colloquy-2026/", "20 April – 15 May 2026 · 2 papers"),
        ("Colloquy 2025", "/editions/colloquy-2025/", "1 April – 30 April 2026 · No papers yet"),
        (
            "Colloquy 2024",
            "/editions/colloquy-2024/",
            "28 December 2024 – 20 January 2025 · 1 paper",
        ),
    ]


def test_staff_count_drafts_and_scheduled_papers_too(client, editions):
    client.force_login(make_user(staff=True))
    assert cards(read(client, "/editions/"))[0][2].endswith("· 4 papers")


def test_signed_in_readers_count_published_papers_only(client, editions):
    client.force_login(make_user())
    assert cards(read(client, "/editions/"))[0][2].endswith("· 2 papers")


def test_the_archive_without_editions_says_so(client):
    assert "No edition has been set up yet." in read(client, "/editions/")


def test_the_archive_is_linked_from_every_page(client, editions):
    paper = Paper.objects.published().first()
    for url in [
        "/",
        "/editions/",
        "/editions/colloquy-2026/",
        paper.get_absolute_url(),
        paper.stream.get_absolute_url(),
        "/accounts/login/",
        "/no/such/page/",
    ]:
        html = read(client, url, status=404 if url == "/no/such/page/" else 200)
        assert '<li><a href="/editions/">Editions</a></li>' in html, url


def test_the_edition_page_links_back_to_the_archive(client, editions):
    html = read(client, "/editions/colloquy-2026/")
    assert '<p class="crumbs"><a href="/editions/">Editions</a></p>' in html


# The edition's page


def test_the_edition_page_shows_its_dates_and_its_description_rendered(client):
    make_edition(
        slug="described",
        starts_on=datetime.date(2026, 12, 30),
        ends_on=datetime.date(2027, 1, 15),
        description="Papers on **care**.\n\n- read\n- reply\n\n<script>alert(1)</script>",
    )
    html = read(client, "/editions/described/")
    assert (
        '<p class="dates"><time datetime="2026-12-30">30 December 2026</time> – <time datetime="2027-01-15">15 January 2027</time></p>'
        in html
    )
    assert "<p>Papers on <strong>care</strong>.</p>" in html and "<li>reply</li>" in html
    assert "<script>alert" not in html


def test_the_home_page_shows_the_description_rendered_too(client):
    make_edition(description="Papers on **care**.")
    assert "<p>Papers on <strong>care</strong>.</p>" in read(client, "/")


@pytest.mark.parametrize(
    ("today", "says"),
    [
        (
            datetime.date(2026, 1, 31),
            "The call for papers opens on 1 February 2026 and closes on 15 March 2026.",
        ),
        (datetime.date(2026, 2, 1), "The call for papers is open until 15 March 2026."),
        (datetime.date(2026, 3, 15), "The call for papers is open until 15 March 2026."),
        (datetime.date(2026, 3, 16), "The call for papers closed on 15 March 2026."),
    ],
)
def test_the_edition_page_says_where_its_call_for_papers_stands(client, today, says):
    make_edition(
        slug="calling",
        call_opens_on=datetime.date(2026, 2, 1),
        call_closes_on=datetime.date(2026, 3, 15),
    )
    with mock.patch("django.utils.timezone.localdate", return_value=today):
        html = read(client, "/editions/calling/")
    assert re.search(r'<p class="call-for-papers call-\w+">(.*?)</p>', html)[1] == says


def test_an_edition_without_call_dates_says_nothing_of_a_call(client):
    make_edition(slug="quiet")
    assert "call-for-papers" not in read(client, "/editions/quiet/")


# The admin


def edition_form(**fields):
    data = {
        "name": "Colloquy 2028",
        "year": "2028",
        "slug": "colloquy-2028",
        "starts_on": "2028-04-01",
        "ends_on": "2028-04-30",
        "description": "A *fine* year.",
        "call_opens_on": "",
        "call_closes_on": "",
        "comments_close": "never",
        "comments_close_days": "",
        "streams-TOTAL_FORMS": "0",
        "streams-INITIAL_FORMS": "0",
        "streams-MIN_NUM_FORMS": "0",
        "streams-MAX_NUM_FORMS": "1000",
    }
    return {**data, **fields}


def test_staff_set_the_closing_rule_and_call_dates_in_the_admin(admin_client):
    response = admin_client.post(
        "/admin/papers/edition/add/",
        edition_form(
            comments_close="after_days",
            comments_close_days="30",
            call_opens_on="2028-01-01",
            call_closes_on="2028-02-01",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    edition = Edition.objects.get()
    assert (edition.comments_close, edition.comments_close_days) == ("after_days", 30)
    assert edition.call_closes_on == datetime.date(2028, 2, 1)
    assert edition.description_html == "<p>A <em>fine</em> year.</p>"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"comments_close": "after_days"}, "Say after how many days discussions close."),
        ({"ends_on": "2028-03-01"}, "The edition cannot end before it starts."),
        ({"call_opens_on": "2028-01-01"}, "Give both dates of the call for papers, or neither."),
        (
            {"call_opens_on": "2028-02-01", "call_closes_on": "2028-01-01"},
            "The call cannot close before it opens.",
        ),
    ],
)
def test_the_admin_refuses_an_edition_that_does_not_add_up(admin_client, fields, message):
    response = admin_client.post("/admin/papers/edition/add/", edition_form(**fields))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Edition.objects.exists()
