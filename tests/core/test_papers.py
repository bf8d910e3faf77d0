"""The papers app: markup, citations, APA references, import, pages, drafts and the admin."""

import io
import re

import pytest
from django.core.management import CommandError, call_command

from papers.apa import ReferenceSyntaxError, parse_reference, reference_html
from papers.citations import CitationIndex, citation_report, link_citations
from papers.importer import ImportProblem, import_paper
from papers.markup import render_markdown
from papers.models import Paper, Person, Reference, Section
from tests.factories import make_edition, make_paper, make_person, make_stream, make_user

REFS = [
    {
        "authors": "Naslund, J. A., Aschbrenner, K. A., Marsch, L. A., & Bartels, S. J.",
        "year": "2016",
        "title": "The future of care",
        "container": "Journal A",
        "volume": "25",
        "issue": "2",
        "pages": "113–122",
        "doi": "10.1017/S2045796015001067",
    },
    {
        "authors": "Gavrila, V., Garrity, A., Hirschfeld, E., Edwards, B., & Lee, J. M.",
        "year": "2019",
        "title": "Peer support",
        "container": "Journal B",
        "volume": "13",
    },
    {
        "authors": "Niela-Vilén, H., Axelin, A., Salanterä, S., & Melender, H.-L.",
        "year": "2014",
        "title": "Internet-based peer support",
        "container": "Journal C",
        "volume": "51",
    },
    {
        "authors": "Mercieca, B., & Kelly, N.",
        "year": "2018",
        "title": "Early career",
        "container": "Journal D",
        "volume": "46",
    },
    {
        "authors": "Tan, Y. T.",
        "year": "2021",
        "title": "Never cited",
        "container": "Journal E",
        "volume": "1",
    },
]


class Ref:
    def __init__(self, parts):
        self.__dict__.update(parts)
        self.anchor = "ref-" + parts["authors"].split(",")[0].lower() + "-" + parts["year"]


def linked(text):
    return link_citations(text, CitationIndex([Ref(r) for r in REFS]))


# Markup


def test_markup_neutralises_hostile_html_and_links():
    for text in (
        "<script>alert(1)</script>",
        "[x](javascript:alert(1))",
        '<img src=x onerror="alert(1)">',
        "[d](data:text/html,<b>x</b>)",
        '<a href="https://example.org" onclick="x()">y</a>',
    ):
        for trusted in (True, False):
            html = render_markdown(text, trusted=trusted)
            assert not re.search(r"<script|javascript:|<img|href=\"data:|<a[^>]*onclick", html)


def test_untrusted_markup_links_bare_urls_and_keeps_raw_html_as_text():
    html = render_markdown("see https://example.org/x\n\n# not a heading <b>bold</b>")
    assert '<a href="https://example.org/x" rel="nofollow ugc noopener">' in html
    assert "<h1>" not in html and "&lt;b&gt;bold&lt;/b&gt;" in html
    assert render_markdown("[m](mailto:a@example.org)").count('href="mailto:a@example.org"') == 1


def test_trusted_markup_keeps_structure_and_fragment_links():
    html = render_markdown("### Part\n\n[c](#ref-x) [e](https://e.example.org)", trusted=True)
    assert "<h3>Part</h3>" in html
    assert '<a href="#ref-x">c</a>' in html
    assert 'rel="noopener"' in html


# Citations


@pytest.mark.parametrize(
    ("text", "anchor", "cited"),
    [
        (
            "as shown (Naslund et al., 2016, p. 114).",
            "ref-naslund-2016",
            "Naslund et al., 2016, p. 114",
        ),
        (
            "(Gavrila et al., 2019, pp. 495-497)",
            "ref-gavrila-2019",
            "Gavrila et al., 2019, pp. 495-497",
        ),
        (
            "(Mercieca & Kelly, 2018, p. 64)",
            "ref-mercieca-2018",
            "Mercieca &amp; Kelly, 2018, p. 64",
        ),
        (
            "(Mercieca & Kelly, 2018, pp. 71–72)",
            "ref-mercieca-2018",
            "Mercieca &amp; Kelly, 2018, pp. 71–72",
        ),
        (
            "Niela-Vilén et al. argue that it helps (2014, pp. 1534-1535).",
            "ref-niela-vilén-2014",
            "2014, pp. 1534-1535",
        ),
        ("Niela-Vilen et al. argue so (2014, p. 3).", "ref-niela-vilén-2014", "2014, p. 3"),
    ],
)
def test_each_citation_form_is_linked(text, anchor, cited):
    assert f'<a class="citation" href="#{anchor}">{cited}</a>' in linked(text)


def test_two_citations_in_one_parenthesis():
    out = linked("(Naslund et al., 2016, p. 3; Mercieca & Kelly, 2018, p. 9)")
    assert out.count('class="citation"') == 2
    assert out.startswith('(<a class="citation" href="#ref-naslund-2016">')


def test_unmatched_citations_stay_text_and_are_reported():
    text = "(Okafor, 2015, p. 7) and (Naslund et al., 2017, p. 1) (e.g. mental health) (COVID-19)"
    assert 'class="citation"' not in linked(text)
    section = Section(heading="Body", body=text)
    report = citation_report([section], [Ref(r) for r in REFS])
    assert report.unmatched == [
        ("Body", "Okafor, 2015, p. 7"),
        ("Body", "Naslund et al., 2017, p. 1"),
    ]
    assert len(report.uncited) == len(REFS)
    assert not report.ok


@pytest.mark.django_db
def test_paper_render_links_citations_and_reports_uncited():
    paper = make_paper(
        sections=[("Introduction", "Support helps (Naslund et al., 2016, p. 114).")],
        references=REFS[:1] + REFS[4:],
    )
    section = paper.sections.get()
    assert section.anchor == "introduction"
    assert '<a class="citation" href="#ref-naslund-2016">' in section.body_html
    report = citation_report(paper.sections.all(), paper.references.all())
    assert [r.year for r in report.uncited] == ["2021"]


# APA


def test_parse_journal_article_with_doi():
    parts = parse_reference(
        "Mercieca, B., & Kelly, N. (2018). Early career teacher peer support through private "
        "groups in social media. Asia-Pacific Journal of Teacher Education, 46(1), 61–77. "
        "https://doi.org/10.1080/1359866X.2017.1312282"
    )
    assert parts == {
        "authors": "Mercieca, B., & Kelly, N.",
        "year": "2018",
        "title": "Early career teacher peer support through private groups in social media",
        "container": "Asia-Pacific Journal of Teacher Education",
        "volume": "46",
        "issue": "1",
        "pages": "61–77",
        "doi": "10.1080/1359866X.2017.1312282",
        "url": "",
    }


def test_parse_article_without_issue_book_and_url():
    article = parse_reference("Tan, Y. (2021). A title: With a colon. Journal Z, 281, 661–672.")
    assert (article["volume"], article["issue"], article["pages"]) == ("281", "", "661–672")
    book = parse_reference(
        "Ortiz, M. (2020). A book about groups. Example Press. https://example.org/b"
    )
    assert (book["title"], book["container"], book["url"]) == (
        "A book about groups",
        "Example Press",
        "https://example.org/b",
    )
    with pytest.raises(ReferenceSyntaxError):
        parse_reference("Not a reference at all")


def test_reference_html_is_apa_with_doi_link_and_escaped():
    ref = Reference(**{**REFS[0], "title": "Care <b>now</b>"})
    html = str(reference_html(ref))
    assert html.startswith(
        "Naslund, J. A., Aschbrenner, K. A., Marsch, L. A., &amp; Bartels, S. J. (2016). "
    )
    assert "Care &lt;b&gt;now&lt;/b&gt;. <i>Journal A</i>, <i>25</i>(2), 113–122." in html
    assert '<a href="https://doi.org/10.1017/S2045796015001067">' in html


# Import

PAPER = """---
title: Small groups keep people
authors: Ana Lima; Ben Okoro
edition: {edition}
stream: {stream}
thesis: Small groups keep people because they notice them.
date: 2026-04-21
---

## Introduction

Groups help (Naslund et al., 2016, p. 114).

## Conclusion

They do.

## References

Naslund, J. A., Aschbrenner, K. A., Marsch, L. A., & Bartels, S. J. (2016). The future of mental health care. Epidemiology and Psychiatric Sciences, 25(2), 113–122. https://doi.org/10.1017/S2045796015001067
"""


@pytest.fixture
def stream(db):
    return make_stream(make_edition(slug="ed-2026"), slug="groups")


def text(**changes):
    return PAPER.format(edition="ed-2026", stream="groups").replace(*changes.get("swap", ("", "")))


@pytest.mark.django_db
def test_import_creates_the_paper_and_reimport_updates_it(stream, tmp_path):
    path = tmp_path / "paper.md"
    path.write_text(text(), encoding="utf-8")
    out = io.StringIO()
    call_command("import_paper", str(path), stdout=out)
    paper = Paper.objects.get()
    assert "Imported" in out.getvalue()
    assert [p.display_name for p in paper.author_list] == ["Ana Lima", "Ben Okoro"]
    assert [s.heading for s in paper.sections.all()] == ["Introduction", "Conclusion"]
    assert paper.references.get().doi == "10.1017/S2045796015001067"
    assert 'href="#ref-naslund-2016"' in paper.sections.first().body_html
    path.write_text(text(swap=("They do.", "They really do.")), encoding="utf-8")
    call_command("import_paper", str(path), stdout=out)
    assert Paper.objects.count() == 1 and Person.objects.count() == 2
    assert Paper.objects.get().sections.last().body == "They really do."


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("swap", "line", "problem"),
    [
        (("---\ntitle", "title"), 1, "must start with a '---'"),
        (("authors: Ana Lima; Ben Okoro\n", ""), 7, "missing: authors"),
        (("date: 2026-04-21", "date: 21/04/2026"), 7, "YYYY-MM-DD"),
        (("edition: ed-2026", "edition: nowhere"), 4, "no edition"),
        (("stream: groups", "stream: nowhere"), 5, "no stream"),
        (("thesis:", "colour: blue\nthesis:"), 6, "known key"),
        (("(2016). The future", "2016. The future"), 20, "APA reference"),
        (("They do.", ""), 14, "is empty"),
    ],
)
def test_malformed_import_names_the_line_and_changes_nothing(stream, swap, line, problem):
    import_paper(text())
    before = Paper.objects.get().title
    with pytest.raises(ImportProblem) as raised:
        import_paper(text(swap=swap).replace("Small groups keep people\n", "Changed\n"))
    assert raised.value.line == line
    assert problem in str(raised.value)
    assert Paper.objects.get().title == before
    assert Section.objects.count() == 2


@pytest.mark.django_db
def test_import_command_reports_problems_as_errors(stream, tmp_path):
    path = tmp_path / "bad.md"
    path.write_text("no front matter", encoding="utf-8")
    with pytest.raises(CommandError, match=r"line 1: .*nothing was changed"):
        call_command("import_paper", str(path))


# Pages


@pytest.mark.django_db
def test_paper_page_shows_the_paper_in_the_seeds_shape(client):
    author = make_person("Ana Lima")
    paper = make_paper(
        title="Groups keep people",
        thesis="Because they notice them.",
        authors=[author],
        sections=[
            ("Introduction", "Groups help (Naslund et al., 2016, p. 114)."),
            ("Conclusion", "Yes."),
        ],
        references=REFS[:1],
    )
    html = client.get(paper.get_absolute_url()).content.decode()
    assert html.count("<h1") == 1 and "Groups keep people</h1>" in html
    assert '<a class="skip-link" href="#content">' in html and '<main id="content"' in html
    assert f'<a href="{author.get_absolute_url()}">Ana Lima</a>' in html
    assert paper.stream.name in html
    assert re.search(
        r'<aside class="thesis"[^>]*>\s*<h2>Thesis</h2>\s*<p>Because they notice them.</p>', html
    )
    assert '<li><a href="#introduction">Introduction</a></li>' in html
    assert '<h2 id="introduction">Introduction</h2>' in html
    assert '<li id="ref-naslund-2016">' in html
    assert 'href="https://doi.org/10.1017/S2045796015001067"' in html
    assert "<script>" not in html and " style=" not in html
    csp = client.get(paper.get_absolute_url())["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp


@pytest.mark.django_db
def test_lists_and_pages(client, settings):
    settings.COLLOQUY_PAPERS_PER_PAGE = 2
    stream = make_stream(make_edition(name="Colloquy Test 2026"), name="Groups stream")
    author = make_person("Ana Lima")
    papers = [make_paper(stream=stream, authors=[author]) for _ in range(3)]
    home = client.get("/").content.decode()
    assert "Colloquy Test 2026" in home and "Groups stream" in home
    for url in (
        stream.edition.get_absolute_url(),
        stream.get_absolute_url(),
        author.get_absolute_url(),
    ):
        first = client.get(url).content.decode()
        second = client.get(url + "?page=2").content.decode()
        assert "Page 1 of 2" in first and "Page 2 of 2" in second
        assert (
            sum(p.title in first for p in papers) == 2
            and sum(p.title in second for p in papers) == 1
        )


@pytest.mark.django_db
def test_drafts_are_for_staff_only(client):
    draft = make_paper(status=Paper.Status.DRAFT, title="Secret draft")
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert "Secret draft" not in client.get(draft.stream.get_absolute_url()).content.decode()
    client.force_login(make_user())
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(make_user(staff=True))
    assert client.get(draft.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_unknown_pages_get_the_sites_404(client):
    response = client.get("/editions/nothing/papers/nothing/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


@pytest.mark.django_db
def test_paper_page_query_count_is_pinned(client, django_assert_num_queries):
    many = make_paper(
        authors=[make_person() for _ in range(3)],
        sections=[(f"Part {n}", "Text.") for n in range(5)],
        references=REFS,
    )
    one = make_paper(authors=[make_person()], sections=[("Only", "Text.")])
    # paper (with edition and stream), authors, sections, references, discussion
    for paper in (one, many):
        with django_assert_num_queries(5):
            assert client.get(paper.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_admin_pages_load_and_show_citation_problems(admin_client):
    paper = make_paper(sections=[("Body", "As said (Okafor, 2015, p. 7).")], references=REFS[4:])
    for url in (
        "/admin/",
        "/admin/papers/edition/",
        "/admin/papers/stream/",
        "/admin/papers/person/",
        "/admin/papers/paper/",
        "/admin/papers/paper/add/",
        "/admin/comments/comment/",
        "/admin/comments/pendingcomment/",
        "/admin/comments/moderationword/",
    ):
        assert admin_client.get(url).status_code == 200, url
    html = admin_client.get(f"/admin/papers/paper/{paper.pk}/change/").content.decode()
    assert "Citation matches no reference, in “Body”: (Okafor, 2015, p. 7)" in html
    assert "Reference never cited: Tan, Y. T. (2021). Never cited" in html
    assert f'href="{paper.get_absolute_url()}"' in html or "View on site" in html


@pytest.mark.django_db
def test_check_citations_command():
    make_paper(sections=[("Body", "As said (Okafor, 2015, p. 7).")])
    out = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("check_citations", stdout=out)
    assert "unmatched citation in 'Body': (Okafor, 2015, p. 7)" in out.getvalue()
    Paper.objects.all().delete()
    make_paper(sections=[("Body", "(Naslund et al., 2016, p. 1)")], references=REFS[:1])
    out = io.StringIO()
    call_command("check_citations", stdout=out)
    assert "0 citation problem(s) found." in out.getvalue()


@pytest.mark.django_db
def test_demo_loads_once_with_discussions():
    call_command("load_demo", stdout=io.StringIO())
    papers = Paper.objects.all()
    assert papers.count() >= 3 and len({p.stream_id for p in papers}) >= 2
    counts = (Paper.objects.count(), Section.objects.count())
    call_command("load_demo", stdout=io.StringIO())
    call_command("load_demo", "--if-empty", stdout=io.StringIO())
    assert (Paper.objects.count(), Section.objects.count()) == counts
    for paper in papers:
        comments = list(paper.comments.all())
        assert any(c.by_paper_author for c in comments)
        assert max(c.depth for c in comments) >= 3
        assert any(
            'href="' in s.body_html and "citation" in s.body_html for s in paper.sections.all()
        )
