"""The site's name and tagline, set in one place (COLLOQUY_SITE_NAME, COLLOQUY_SITE_TAGLINE;
SITE_NAME and SITE_TAGLINE in the environment): every page's title, header and footer, and
the e-mails that name the site."""

import re

import pytest
from django.core import mail

from papers.accounts import author_person
from papers.invitations import invite_author
from tests.factories import make_edition, make_paper, make_user

pytestmark = pytest.mark.django_db

RENAMED = "Agora & Friends"


@pytest.fixture
def renamed(settings):
    settings.COLLOQUY_SITE_NAME = RENAMED
    settings.COLLOQUY_SITE_TAGLINE = "Papers <discussed> slowly."


def read(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def test_pages_say_colloquy_by_default(client):
    html = read(client, "/")
    assert "<title>Colloquy</title>" in html
    assert '<a class="site-name" href="/">Colloquy</a>' in html
    assert "<p>Colloquy: Online conferences where every paper is a conversation.</p>" in html


def test_every_page_names_the_site_as_set(client, renamed):
    paper = make_paper(stream=None)
    escaped = "Agora &amp; Friends"
    for url, title in [
        ("/", f"{paper.edition.name} · {escaped}"),
        ("/editions/", f"Editions · {escaped}"),
        (paper.edition.get_absolute_url(), f"{paper.edition.name} · {escaped}"),
        ("/accounts/login/", f"Log in · {escaped}"),
        ("/accounts/password_reset/", f"Reset your password · {escaped}"),
        ("/no/such/page/", f"Page not found · {escaped}"),
    ]:
        html = read(client, url, status=404 if "no/such" in url else 200)
        assert f"<title>{title}</title>" in html, url
        assert f'<a class="site-name" href="/">{escaped}</a>' in html, url
        assert f"<p>{escaped}: Papers &lt;discussed&gt; slowly.</p>" in html, url
        assert "Colloquy" not in html.replace(paper.edition.name, ""), url


def test_the_home_page_without_an_edition_is_headed_by_the_sites_name(client, renamed):
    html = read(client, "/")
    assert re.findall(r"<h1>(.*?)</h1>", html) == ["Agora &amp; Friends"]


def test_the_invitation_names_the_site_as_set(renamed):
    person = author_person("Ada Lovelace", email="ada@example.org")
    make_paper(authors=[person], stream=None)
    invite_author(person)
    (message,) = mail.outbox
    assert message.subject == f"Sign in to {RENAMED} to answer the discussion of your paper"
    assert f"You are an author on {RENAMED} (" in message.body
    assert message.body.rstrip().endswith(RENAMED)
    assert "Colloquy" not in message.subject + message.body


def test_the_password_reset_email_names_the_site_as_set(client, renamed):
    make_user(email="reader@example.org")
    client.post("/accounts/password_reset/", {"email": "reader@example.org"})
    (message,) = mail.outbox
    assert message.subject == f"Reset your {RENAMED} password"
    assert f"password of your {RENAMED} account" in message.body
    assert message.body.rstrip().endswith(RENAMED)


def test_the_name_and_tagline_are_read_from_the_environment(manage):
    show = "from django.conf import settings; print(settings.COLLOQUY_SITE_NAME, '|', settings.COLLOQUY_SITE_TAGLINE)"
    result = manage("shell", "-c", show, DEBUG="1", SITE_NAME="Agora", SITE_TAGLINE="Talk.")
    assert result.stdout.strip().splitlines()[-1] == "Agora | Talk."
    result = manage("shell", "-c", show, DEBUG="1", SITE_NAME=" ", SITE_TAGLINE="")
    assert result.stdout.strip().splitlines()[-1] == (
        "Colloquy | Online conferences where every paper is a conversation."
    )


def test_an_edition_is_named_as_itself_whatever_the_site_is_called(client, renamed):
    make_edition(name="Colloquy 2026", slug="colloquy-2026")
    assert "<h1>Colloquy 2026</h1>" in read(client, "/editions/colloquy-2026/")
