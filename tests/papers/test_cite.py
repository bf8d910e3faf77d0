"""Citing a paper: CSL-JSON, BibTeX (bibtexparser), RIS (rispy) and APA 7 from the same data,
the downloads (drafts for staff), and the paper page's "Cite this paper" and metadata."""

import datetime
import html as html_lib
import json
import re

import bibtexparser
import pytest
import rispy
from bibtexparser import middlewares
from pylatexenc import latex2text

from papers import cite
from tests.factories import make_edition, make_paper, make_person, make_stream, make_user

pytestmark = pytest.mark.django_db

HOSTILE_TITLE = "Braces {a} and {b, quotes \"q\" 's', </script><b>x</b> & 50% $5 #1 a_b ~ ^ \\ Zoë"
HOSTILE_NAME = "Zoë {Ann} </script> d'Arc"


@pytest.fixture
def paper(settings):
    settings.COLLOQUY_SITE_URL = "https://colloquy.example"
    edition = make_edition(name="Colloquy 2026", slug="c-2026")
    stream = make_stream(edition, name="Care", slug="care")
    return make_paper(
        stream=stream,
        title="Small groups keep people",
        slug="small-groups",
        thesis="Small groups keep people because members notice each other.",
        abstract="An abstract.",
        authors=[make_person("Farah Siddiqui"), make_person("Chidi Okafor")],
        published_on=datetime.datetime(2026, 4, 21, 9, tzinfo=datetime.UTC),
    )


@pytest.fixture
def hostile(settings):
    settings.COLLOQUY_SITE_URL = "https://colloquy.example"
    return make_paper(
        stream=make_stream(make_edition(name="Colloquy & <Co>", slug="h-2026"), slug="h"),
        title=HOSTILE_TITLE,
        slug="hostile",
        thesis='Thesis </script> "quoted" & more',
        authors=[make_person(HOSTILE_NAME), make_person("Plato"), make_person("Mary and Ann Lee")],
        published_on=datetime.datetime(2026, 5, 3, 12, tzinfo=datetime.UTC),
    )


def item_of(paper):
    return cite.paper_csl(paper, list(paper.authors.order_by("authorships__position")))


def download(client, paper, extension, status=200):
    response = client.get(f"{paper.get_absolute_url()}cite.{extension}")
    assert response.status_code == status
    return response


def _latex_decoder():
    """pylatexenc's decoder, taught \\textbraceleft and \\textbraceright (LaTeX's text braces,
    which papers.cite writes: BibTeX counts the braces of \\{ and \\} as its own)."""
    context = latex2text.get_default_latex_context_db().filter_context()
    context.add_context_category(
        "text-braces",
        prepend=True,
        macros=[
            latex2text.MacroTextSpec("textbraceleft", "{"),
            latex2text.MacroTextSpec("textbraceright", "}"),
        ],
    )
    return latex2text.LatexNodes2Text(latex_context=context)


def parse_bibtex(text):
    library = bibtexparser.parse_string(
        text,
        append_middleware=[
            middlewares.SeparateCoAuthors(),  # a braced {and} is no separator
            middlewares.SplitNameParts(),
        ],
    )
    assert not library.failed_blocks
    [entry] = library.entries
    return entry


def names(entry):
    """(family, given) of each author of a parsed entry, decoded from LaTeX."""
    return [
        (
            decoded(" ".join(n.last)),
            decoded(" ".join(n.first)),
        )
        for n in entry.fields_dict["author"].value
    ]


def decoded(text):
    """A field's LaTeX as text. pylatexenc reads \\textasciicircum as U+02C6 (the modifier
    letter), where LaTeX prints "^"."""
    return _latex_decoder().latex_to_text(text).replace("\u02c6", "^")


def field(entry, name):
    return decoded(entry.fields_dict[name].value)


def test_name_parts_last_word_is_family():
    assert cite.name_parts("Mary Ann Lee") == {"family": "Lee", "given": "Mary Ann"}
    assert cite.name_parts("Plato") == {"family": "Plato", "given": ""}


def test_name_parts_keep_particles_with_the_family_name(paper):
    assert cite.name_parts("Ludwig van Beethoven") == {"family": "van Beethoven", "given": "Ludwig"}
    assert cite.name_parts("Jean-Paul de la Fontaine")["family"] == "de la Fontaine"
    assert cite.name_parts("danah boyd") == {"family": "boyd", "given": "danah"}
    assert cite.name_parts("van Gogh") == {"family": "Gogh", "given": "van"}  # a given name
    authors = [cite.name_parts("Ludwig van Beethoven"), cite.name_parts("Maria de los Santos")]
    assert cite.apa_authors(authors) == "van Beethoven, L., & de los Santos, M."
    entry = parse_bibtex(cite.bibtex({**item_of(paper), "author": authors}))
    assert names(entry) == [("van Beethoven", "Ludwig"), ("de los Santos", "Maria")]


@pytest.mark.parametrize(
    "name, family",
    [
        ("Anna van den Berg", "van den Berg"),
        ("Hélène les Moines", "les Moines"),
        ("Karl zu Guttenberg", "zu Guttenberg"),
        ("Pieter ter Horst", "ter Horst"),
        ("Ana dos Santos", "dos Santos"),
    ],
)
def test_every_particle_citations_know_is_kept_with_the_family_name(name, family):
    """One list of particles (common.names.PARTICLES) for citing a paper and for finding
    citations in its text."""
    assert cite.name_parts(name)["family"] == family


def test_csl_json_has_what_the_schema_requires(paper):
    item = item_of(paper)
    assert isinstance(item["id"], str) and item["id"]
    assert item["type"] == "paper-conference"
    assert item["title"] == "Small groups keep people"
    assert item["author"] == [
        {"family": "Siddiqui", "given": "Farah"},
        {"family": "Okafor", "given": "Chidi"},
    ]
    assert item["issued"] == {"date-parts": [[2026, 4, 21]]}
    assert item["container-title"] == item["event-title"] == "Colloquy 2026"
    assert item["URL"] == "https://colloquy.example/editions/c-2026/papers/small-groups/"
    assert item["abstract"] == "An abstract."
    assert "DOI" not in item  # papers have none yet


def test_csl_json_with_a_doi_names_it(paper):
    paper.doi = "10.1234/abc"
    item = item_of(paper)
    assert item["DOI"] == "10.1234/abc"
    assert cite.apa(item).endswith("https://doi.org/10.1234/abc")


def test_apa_reference(paper):
    assert cite.apa(item_of(paper)) == (
        "Siddiqui, F., & Okafor, C. (2026). Small groups keep people. In Colloquy 2026. "
        "https://colloquy.example/editions/c-2026/papers/small-groups/"
    )
    assert "In <i>Colloquy 2026</i>." in cite.apa_html(item_of(paper))


def test_apa_authors_initials_and_long_lists():
    def authors(*names):
        return cite.apa_authors([cite.name_parts(name) for name in names])

    assert authors("Jean-Paul Mary Sartre") == "Sartre, J.-P. M."
    assert authors("Plato") == "Plato"
    assert authors("A B", "C D", "E F") == "B, A., D, C., & F, E."
    many = authors(*[f"Given Family{n}" for n in range(25)])
    assert many.startswith("Family0, G., ") and ", . . . Family24, G." in many
    assert "Family19" not in many and many.count("Family") == 20


def test_bibtex_parses(paper):
    entry = parse_bibtex(cite.bibtex(item_of(paper)))
    assert entry.entry_type == "inproceedings"
    fields = entry.fields_dict
    assert names(entry) == [("Siddiqui", "Farah"), ("Okafor", "Chidi")]
    assert field(entry, "title") == "Small groups keep people"
    assert fields["booktitle"].value == "Colloquy 2026"
    assert fields["year"].value == "2026"
    assert fields["url"].value == "https://colloquy.example/editions/c-2026/papers/small-groups/"


def test_bibtex_keeps_hostile_text_as_text(hostile):
    entry = parse_bibtex(cite.bibtex(item_of(hostile)))
    assert field(entry, "title") == HOSTILE_TITLE
    assert field(entry, "booktitle") == "Colloquy & <Co>"
    assert names(entry) == [  # "Mary and Ann" is one person's given names
        ("d'Arc", "Zoë {Ann} </script>"),
        ("Plato", ""),
        ("Lee", "Mary and Ann"),
    ]


def test_ris_parses(paper):
    [record] = rispy.loads(cite.ris(item_of(paper)))
    assert record["type_of_reference"] == "CPAPER"
    assert record["authors"] == ["Siddiqui, Farah", "Okafor, Chidi"]
    assert record["title"] == "Small groups keep people"
    assert record["secondary_title"] == "Colloquy 2026"
    assert record["year"] == "2026"
    assert record["date"] == "2026/04/21"
    assert record["urls"] == ["https://colloquy.example/editions/c-2026/papers/small-groups/"]
    assert record["abstract"] == "An abstract."


def test_ris_keeps_hostile_text(hostile):
    [record] = rispy.loads(cite.ris(item_of(hostile)))
    assert record["title"] == HOSTILE_TITLE
    assert record["authors"] == ["d'Arc, Zoë {Ann} </script>", "Plato", "Lee, Mary and Ann"]


def test_downloads_have_types_and_file_names(client, paper):
    for extension, content_type in [
        ("bib", "application/x-bibtex"),
        ("ris", "application/x-research-info-systems"),
        ("json", "application/vnd.citationstyles.csl+json"),
    ]:
        response = download(client, paper, extension)
        assert response["Content-Type"] == f"{content_type}; charset=utf-8"
        assert response["Content-Disposition"] == (
            f'attachment; filename="c-2026-small-groups.{extension}"'
        )
    [item] = json.loads(download(client, paper, "json").content)
    assert item == json.loads(json.dumps(item_of(paper)))
    assert parse_bibtex(download(client, paper, "bib").content.decode()).key
    assert rispy.loads(download(client, paper, "ris").content.decode())[0]["title"]
    download(client, paper, "txt", status=404)


def test_hostile_csl_json_download_round_trips(client, hostile):
    [item] = json.loads(download(client, hostile, "json").content)
    assert item["title"] == HOSTILE_TITLE
    assert item["author"][0] == {"family": "d'Arc", "given": "Zoë {Ann} </script>"}


def test_draft_downloads_are_for_staff(client, paper):
    paper.status = "draft"
    paper.save()
    for extension in ("bib", "ris", "json"):
        download(client, paper, extension, status=404)
    client.force_login(make_user(staff=True))
    for extension in ("bib", "ris", "json"):
        download(client, paper, extension)


def meta(html, attribute, name):
    pattern = rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)">'
    return [html_lib.unescape(value) for value in re.findall(pattern, html)]


def test_paper_page_cite_section(client, paper):
    html = client.get(paper.get_absolute_url()).content.decode()
    section = html[html.index('id="cite-heading"') :]
    assert "Siddiqui, F., &amp; Okafor, C. (2026). Small groups keep people. In <i>" in section
    for extension in ("bib", "ris", "json"):
        assert f'href="/editions/c-2026/papers/small-groups/cite.{extension}" download' in section
    assert "<button" not in section[: section.index("</section>")]  # added by site.js


def test_paper_page_metadata(client, paper, settings):
    settings.COLLOQUY_SITE_NAME = "Colloquy Test"
    html = client.get(paper.get_absolute_url()).content.decode()
    url = "https://colloquy.example/editions/c-2026/papers/small-groups/"
    assert meta(html, "name", "citation_title") == ["Small groups keep people"]
    assert meta(html, "name", "citation_author") == ["Farah Siddiqui", "Chidi Okafor"]
    assert meta(html, "name", "citation_publication_date") == ["2026/04/21"]
    assert meta(html, "name", "citation_conference_title") == ["Colloquy 2026"]
    assert meta(html, "name", "citation_public_url") == [url]
    assert meta(html, "name", "citation_fulltext_html_url") == [url]
    assert meta(html, "name", "DC.title") == ["Small groups keep people"]
    assert meta(html, "name", "DC.creator") == ["Farah Siddiqui", "Chidi Okafor"]
    assert meta(html, "name", "DC.date") == ["2026-04-21"]
    assert meta(html, "name", "DC.identifier") == [url]
    assert meta(html, "property", "og:type") == ["article"]
    assert meta(html, "property", "og:title") == ["Small groups keep people"]
    assert meta(html, "property", "og:url") == [url]
    assert meta(html, "property", "og:description") == [paper.thesis]
    assert meta(html, "property", "og:site_name") == ["Colloquy Test"]
    head = html[: html.index("</head>")]
    [data] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', head, re.S)
    ld = json.loads(data)
    assert ld["@type"] == "ScholarlyArticle" and ld["@context"] == "https://schema.org"
    assert ld["headline"] == "Small groups keep people" and ld["url"] == url
    assert [a["name"] for a in ld["author"]] == ["Farah Siddiqui", "Chidi Okafor"]
    assert ld["datePublished"] == "2026-04-21"
    assert ld["description"] == paper.thesis


def test_paper_page_keeps_hostile_text_as_data(client, hostile):
    html = client.get(hostile.get_absolute_url()).content.decode()
    assert "</script><b>" not in html and "<b>x</b>" not in html
    assert meta(html, "name", "citation_title") == [HOSTILE_TITLE]
    assert meta(html, "name", "citation_author")[0] == HOSTILE_NAME
    assert meta(html, "property", "og:description") == [hostile.thesis]
    [data] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert "<" not in data and ">" not in data and "&" not in data
    ld = json.loads(data)
    assert ld["headline"] == HOSTILE_TITLE and ld["author"][0]["name"] == HOSTILE_NAME
    assert ld["description"] == hostile.thesis
    reference = re.search(r'<p class="cite-reference" id="cite-apa">(.*?)</p>', html, re.S)
    text = html_lib.unescape(re.sub(r"</?i>", "", reference.group(1)))
    assert text == cite.apa(item_of(hostile))
    assert HOSTILE_TITLE in text and "d'Arc, Z. {. A. <. (2026)" not in text
