"""An author's name is shown without bidirectional controls or other invisible characters,
however it was stored (the admin, import_paper, before either cleaned it): on the paper page,
the author page and the home, edition and stream lists; import_paper, the admin and the data
migration store it clean."""

import importlib

import pytest
from django.apps import apps

from papers.importer import import_paper
from papers.models import Person
from tests.factories import make_edition, make_paper, make_person, make_stream
from tests.papers.test_importer import GOOD, variant

pytestmark = pytest.mark.django_db

HIDDEN = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c\u200b\u200d"


def clean(text):
    return not any(char in text for char in HIDDEN)


@pytest.fixture
def paper():
    edition = make_edition(name="Names 2026", slug="names-2026", year=2030)
    stream = make_stream(edition, name="Naming", slug="naming")
    farah = make_person("Farah \u202eSiddiqui")
    ben = make_person("Ben\u200b Oko\u2067ro\u2069")
    return make_paper(stream=stream, title="Names matter", authors=[farah, ben])


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_paper_page_byline(client, paper):
    html = get(client, paper.get_absolute_url())
    assert ">Farah Siddiqui</a> and <" in html and ">Ben Okoro</a>" in html
    assert clean(html)


def test_author_page(client, paper):
    farah = Person.objects.get(display_name__startswith="Farah")
    html = get(client, farah.get_absolute_url())
    assert "<h1>Farah Siddiqui</h1>" in html
    assert "<title>Farah Siddiqui · Colloquy</title>" in html
    assert clean(html)


def test_home_edition_and_stream_lists(client, paper):
    for url in ("/", paper.edition.get_absolute_url(), paper.stream.get_absolute_url()):
        html = get(client, url)
        assert "Names matter" in html, url
        assert "Farah Siddiqui, Ben Okoro" in html, url
        assert clean(html), url


def test_admin_shows_authors_without_controls(admin_client, paper):
    html = get(admin_client, "/admin/papers/person/")
    assert "Farah Siddiqui" in html and "Ben Okoro" in html
    assert clean(html)
    html = get(admin_client, f"/admin/papers/paper/{paper.pk}/change/")
    assert "Farah Siddiqui" in html
    assert str(Person.objects.get(display_name__startswith="Farah")) == "Farah Siddiqui"


def test_admin_stores_a_persons_name_clean(admin_client):
    response = admin_client.post(
        "/admin/papers/person/add/",
        {"display_name": "Lina \u202eWu\u200b", "slug": "lina-wu", "bio": "", "website": ""},
    )
    assert response.status_code == 302
    assert Person.objects.get(slug="lina-wu").display_name == "Lina Wu"
    response = admin_client.post(
        "/admin/papers/person/add/",
        {"display_name": "\u202e\u200b", "slug": "nobody", "bio": "", "website": ""},
    )
    assert response.status_code == 200
    assert not Person.objects.filter(slug="nobody").exists()


def test_import_paper_stores_author_names_clean():
    edition = make_edition(slug="ed-import", name="Import Conference")
    make_stream(edition, slug="groups", name="Groups Stream")
    text = variant(
        "authors: Ana Lima; Ben Okoro", "authors: Farah\u202eSiddiqui; Ben \u200bOkoro", GOOD
    )
    paper, _ = import_paper(text)
    assert [p.display_name for p in paper.author_list] == ["FarahSiddiqui", "Ben Okoro"]
    listed = variant("authors: Ana Lima; Ben Okoro", 'authors:\n  - name: "Ana\\u2066 Lima"', GOOD)
    paper, _ = import_paper(listed)
    assert [p.display_name for p in paper.author_list] == ["Ana Lima"]


def test_migration_cleans_stored_person_names(client, paper):
    plain = make_person("Plain Name")
    blank = make_person("Someone")
    Person.objects.filter(pk=blank.pk).update(display_name="\u202e\u200b")
    assert clean(get(client, paper.get_absolute_url()))  # the template filter cleans them

    migration = importlib.import_module(
        "papers.migrations.0003_person_names_without_invisible_characters"
    )
    migration.clean_person_names(apps, None)

    stored = dict(Person.objects.values_list("pk", "display_name"))
    assert sorted(stored.values()) == ["Anonymous", "Ben Okoro", "Farah Siddiqui", "Plain Name"]
    assert stored[plain.pk] == "Plain Name" and stored[blank.pk] == "Anonymous"
    assert all(clean(name) for name in stored.values())
    html = get(client, paper.get_absolute_url())
    assert ">Farah Siddiqui</a>" in html and clean(html)
