"""The papers admin: its pages load, show citation problems, and saving re-renders sections."""

import re
from html.parser import HTMLParser

import pytest

from papers.models import Edition, Paper, Person, Section, Stream
from tests.factories import make_edition, make_paper, make_person, make_stream, make_user
from tests.papers.references import NASLUND, TAN

pytestmark = pytest.mark.django_db


class FormFields(HTMLParser):
    """The name/value pairs a browser would submit for the admin's change form."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.data, self._textarea, self._select, self._in_form = {}, None, None, False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id", "").endswith("_form"):
            self._in_form = True
        if tag == "option" and self._select and "selected" in attrs:
            self.data[self._select] = attrs.get("value", "")
        if not self._in_form or "__prefix__" in attrs.get("name", "__prefix__"):
            return  # outside the form, unnamed, or an inline's empty template form
        name = attrs["name"]
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind == "submit" or (kind == "checkbox" and "checked" not in attrs):
                return
            self.data[name] = attrs.get("value", "on" if kind == "checkbox" else "")
        elif tag == "textarea":
            self._textarea = name
            self.data[name] = ""
        elif tag == "select":
            self._select = name
            self.data.setdefault(name, "")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea:
            # browsers drop the newline right after <textarea>
            self.data[self._textarea] = self.data[self._textarea].removeprefix("\n")
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self._in_form = False


def form_data(html):
    parser = FormFields()
    parser.feed(html)
    return parser.data


@pytest.fixture
def paper():
    return make_paper(
        title="Admin test paper",
        authors=[make_person("Ana Lima")],
        sections=[
            ("Introduction", "Cited (Naslund et al., 2016, p. 114)."),
            ("Body", "As Okafor found (Okafor, 2015, p. 7)."),
        ],
        references=[NASLUND, TAN],
    )


def change_url(obj):
    meta = obj._meta
    return f"/admin/{meta.app_label}/{meta.model_name}/{obj.pk}/change/"


@pytest.mark.parametrize("model", [Edition, Stream, Person, Paper])
def test_changelist_and_add_pages_load(admin_client, paper, model):
    name = model._meta.model_name
    changelist = admin_client.get(f"/admin/papers/{name}/")
    assert changelist.status_code == 200
    shown = {
        Edition: paper.edition.name,
        Stream: paper.stream.name,
        Person: "Ana Lima",
        Paper: "Admin test paper",
    }[model]
    assert shown in changelist.content.decode()
    add = admin_client.get(f"/admin/papers/{name}/add/")
    assert add.status_code == 200
    assert f"Add {model._meta.verbose_name}" in add.content.decode()


@pytest.mark.parametrize("model", [Edition, Stream, Person, Paper])
def test_change_pages_load(admin_client, paper, model):
    obj = {
        Edition: paper.edition,
        Stream: paper.stream,
        Person: paper.author_list[0],
        Paper: paper,
    }[model]
    response = admin_client.get(change_url(obj))
    assert response.status_code == 200
    assert f"Change {model._meta.verbose_name}" in response.content.decode()
    assert str(obj.pk) in response.content.decode()


def test_admin_is_for_staff_only(client, paper):
    response = client.get(change_url(paper))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    client.force_login(make_user())
    assert client.get(change_url(paper)).status_code == 302


def test_paper_change_page_shows_citation_problems(admin_client, paper):
    html = admin_client.get(change_url(paper)).content.decode()
    assert "Citation problems" in html
    problems = re.search(r'<ul class="citation-problems">(.*?)</ul>', html, re.S)[1]
    assert "<li>Citation matches no reference, in “Body”: (Okafor, 2015, p. 7)</li>" in problems
    assert "<li>Reference never cited: Tan, Y. (2021). A reference nobody cites</li>" in problems
    assert "Naslund" not in problems


def test_paper_change_page_says_when_citations_are_clean(admin_client):
    clean = make_paper(sections=[("Only", "(Naslund et al., 2016)")], references=[NASLUND])
    html = admin_client.get(change_url(clean)).content.decode()
    assert "Every citation matches a reference, and every reference is cited." in html
    assert "citation-problems" not in html


def test_paper_add_page_checks_citations_after_saving(admin_client):
    assert (
        "Checked once the paper is saved."
        in admin_client.get("/admin/papers/paper/add/").content.decode()
    )


def test_paper_change_page_has_a_view_on_site_link(admin_client, paper):
    html = admin_client.get(change_url(paper)).content.decode()
    link = re.search(r'<a href="([^"]+)" class="viewsitelink">View on site</a>', html)
    assert link is not None
    response = admin_client.get(link[1])
    assert response.status_code == 302
    assert response["Location"].endswith(paper.get_absolute_url())


def test_admin_change_form_post_rerenders_sections(admin_client, paper):
    url = change_url(paper)
    data = form_data(admin_client.get(url).content.decode())
    assert data["sections-TOTAL_FORMS"] == "2"
    assert data["sections-1-body"] == "As Okafor found (Okafor, 2015, p. 7)."
    data["sections-1-body"] = "Tan now agrees (Tan, 2021, p. 3)."
    data["sections-1-heading"] = "Agreement"
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    section = paper.sections.get(position=1)
    assert section.heading == "Agreement"
    assert section.anchor == "agreement"
    assert '<a class="citation" href="#ref-tan-2021">Tan, 2021, p. 3</a>' in section.body_html
    html = admin_client.get(url).content.decode()
    assert "Every citation matches a reference, and every reference is cited." in html


def test_admin_inline_adds_a_section_that_is_rendered(admin_client, paper):
    url = change_url(paper)
    data = form_data(admin_client.get(url).content.decode())
    data.update(
        {
            "sections-TOTAL_FORMS": "3",
            "sections-2-position": "2",
            "sections-2-heading": "Conclusion",
            "sections-2-body": "**Groups** matter (Naslund et al., 2016).",
            "sections-2-id": "",
            "sections-2-paper": str(paper.pk),
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    added = Section.objects.get(paper=paper, heading="Conclusion")
    assert added.anchor == "conclusion"
    assert "<strong>Groups</strong>" in added.body_html
    assert '<a class="citation" href="#ref-naslund-2016">' in added.body_html


def test_admin_add_edition_with_a_stream_inline(admin_client):
    response = admin_client.post(
        "/admin/papers/edition/add/",
        {
            "name": "Colloquy Admin 2030",
            "year": "2030",
            "slug": "admin-2030",
            "starts_on": "2030-04-01",
            "ends_on": "2030-04-30",
            "description": "",
            "comments_close": "never",
            "streams-TOTAL_FORMS": "1",
            "streams-INITIAL_FORMS": "0",
            "streams-MIN_NUM_FORMS": "0",
            "streams-MAX_NUM_FORMS": "1000",
            "streams-0-name": "Care",
            "streams-0-slug": "care",
            "streams-0-description": "",
            "streams-0-position": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    edition = Edition.objects.get(slug="admin-2030")
    assert list(edition.streams.values_list("slug", flat=True)) == ["care"]


def test_person_autocomplete_for_authorships_finds_people(admin_client, paper):
    make_person("Zed Unrelated")
    response = admin_client.get(
        "/admin/autocomplete/",
        {"app_label": "papers", "model_name": "authorship", "field_name": "person", "term": "ana"},
    )
    assert response.status_code == 200
    assert [item["text"] for item in response.json()["results"]] == ["Ana Lima"]


def test_stream_changelist_filters_by_edition(admin_client):
    first, second = make_edition(name="First Ed"), make_edition(name="Second Ed")
    make_stream(first, name="Only in first")
    make_stream(second, name="Only in second")
    html = admin_client.get(f"/admin/papers/stream/?edition__id__exact={first.pk}").content.decode()
    assert "Only in first" in html
    assert "Only in second" not in html


def test_a_references_month_and_day_are_edited_beside_its_year(admin_client, paper):
    url = change_url(paper)
    data = form_data(admin_client.get(url).content.decode())
    tan = next(k[: -len("-authors")] for k, v in data.items() if v.startswith("Tan,"))
    assert data[f"{tan}-date_detail"] == ""
    data[f"{tan}-date_detail"] = "March 3"
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    reference = paper.references.get(authors__startswith="Tan,")
    assert (reference.year, reference.date_detail) == ("2021", "March 3")
    assert "(2021, March 3)" in admin_client.get(paper.get_absolute_url()).content.decode()
