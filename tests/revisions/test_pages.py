"""The revision pages through HTTP: the list, each earlier version as it was, any two
compared, and the paper page's "Revised on"; drafts' revisions for staff only."""

import re

import pytest

from papers.importer import import_paper
from papers.revisions import paper_revised
from tests.factories import make_user
from tests.revisions.documents import document, imported

pytestmark = pytest.mark.django_db


def _revise(paper, *, user=None, note="", **options):
    paper, _created = import_paper(document(paper.stream, **options), paper=paper)
    return paper_revised(paper, user=user, note=note)


def _html(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


@pytest.fixture
def revised():
    """A paper in three revisions: as submitted, a new title, then Methods rewritten."""
    paper = imported()
    ada = make_user("ada", first_name="Ada", last_name="Lindqvist", email="ada@example.org")
    paper_revised(paper, user=ada, note="As submitted")
    _revise(paper, user=ada, note="A clearer title", title="Maintainers, and the care they give")
    sections = [
        ("Introduction", "Maintainers carry the load (Naslund et al., 2016)."),
        ("Methods", "We asked fifty maintainers what they did."),
    ]
    _revise(
        paper,
        note="Fifty, not forty",
        title="Maintainers, and the care they give",
        sections=sections,
    )
    paper.refresh_from_db()
    return paper


def test_the_revisions_are_listed_with_date_who_and_note(client, revised):
    html = _html(client, f"{revised.get_absolute_url()}revisions/")
    rows = re.findall(r"<tr>.*?</tr>", html, re.S)[1:]
    assert len(rows) == 3
    assert "Revision 3" in rows[0] and "Fifty, not forty" in rows[0] and "Latest" in rows[0]
    assert "Revision 1" in rows[2] and "Ada Lindqvist" in rows[2] and "As submitted" in rows[2]
    assert "ada@example.org" not in html
    assert 'href="' + f"{revised.get_absolute_url()}revisions/1/" + '"' in html
    assert "?from=2&amp;to=3" in html


def test_an_earlier_version_is_read_as_it_was(client, revised):
    html = _html(client, f"{revised.get_absolute_url()}revisions/1/")
    assert '<h1 id="paper-title">Maintainers and their care</h1>' in html
    assert "We asked forty maintainers what they do." in html
    assert "fifty" not in html
    # rendered as the paper page renders it: citations linked to the references
    assert '<a class="citation" href="#ref-naslund-2016">Naslund et al., 2016</a>' in html
    assert "You are reading revision 1" in html and "by Ada Lindqvist" in html
    assert "?from=1&amp;to=3" in html
    _html(client, f"{revised.get_absolute_url()}revisions/4/", status=404)
    _html(client, f"{revised.get_absolute_url()}revisions/99999999999/", status=404)


def test_reading_an_earlier_version_writes_nothing(client, revised, django_assert_max_num_queries):
    with django_assert_max_num_queries(8) as queries:
        _html(client, f"{revised.get_absolute_url()}revisions/1/")
    assert not [q for q in queries.captured_queries if not q["sql"].startswith("SELECT")]


def test_any_two_revisions_are_compared_with_the_changes_marked(client, revised):
    url = f"{revised.get_absolute_url()}revisions/compare/"
    html = _html(client, f"{url}?from=1&to=3")
    assert "<dt>Title</dt>" in html
    assert (
        "Maintainers<ins>,</ins> and <del>their</del><ins>the</ins> care<ins> they give</ins>"
        in html
    )
    assert "We asked <del>forty</del><ins>fifty</ins> maintainers what they <del>do</del>" in html
    methods = re.search(r'<section class="diff-section diff-changed".*?</section>', html, re.S)
    assert "<h2" in methods[0] and "Methods" in methods[0]
    assert html.count('class="diff-section diff-same"') == 2  # Introduction, References
    later = _html(client, f"{url}?from=2&to=3")
    assert "<dt>Title</dt>" not in later and "<ins>fifty</ins>" in later
    backwards = _html(client, f"{url}?from=3&to=1")
    assert "<del>fifty</del><ins>forty</ins>" in backwards
    assert "<ins>fifty</ins>" in _html(client, url)  # the latest against the one before


@pytest.mark.parametrize("query", ["?from=1&to=9", "?from=x&to=1", "?from=%C2%B2&to=1", "?to=0"])
def test_a_comparison_of_revisions_that_do_not_exist_is_not_found(client, revised, query):
    _html(client, f"{revised.get_absolute_url()}revisions/compare/{query}", status=404)


def test_sections_added_removed_and_renamed_are_shown(client):
    paper = imported()
    paper_revised(paper)
    background = ("Background", "Where maintainers came from, and why it matters now.")
    methods = ("How we asked", "We asked forty maintainers what they do.")
    intro = ("Introduction", "Maintainers carry the load (Naslund et al., 2016).")
    _revise(paper, sections=[background, intro, methods])
    _revise(paper, sections=[background, methods])
    url = f"{paper.get_absolute_url()}revisions/compare/"
    html = _html(client, f"{url}?from=1&to=2")
    kinds = re.findall(r'class="diff-section diff-(\w+)"', html)
    assert kinds == ["added", "same", "renamed", "same"]
    assert "<ins>Background</ins>" in html and "<del>Methods</del><ins>How we asked</ins>" in html
    html = _html(client, f"{url}?from=2&to=3")
    assert re.findall(r'class="diff-section diff-(\w+)"', html) == [
        "same",
        "removed",
        "same",
        "same",
    ]
    assert "<del>Introduction</del>" in html
    # A section renamed and rewritten in its place is renamed, not removed and added.
    _revise(paper, sections=[background, ("Our questions", "Fifty people, ten questions.")])
    html = _html(client, f"{url}?from=3&to=4")
    assert re.findall(r'class="diff-section diff-(\w+)"', html)[1] == "renamed"


def test_a_hostile_revision_is_escaped_in_the_comparison(client):
    paper = imported()
    paper_revised(paper)
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    sections = [("Introduction <b onmouseover=alert(2)>", hostile), ("Methods", "We asked.")]
    _revise(paper, sections=sections, thesis="Care <iframe src=//evil.example>")
    html = _html(client, f"{paper.get_absolute_url()}revisions/compare/?from=1&to=2")
    assert "<script>alert" not in html and "<img src=x" not in html and "<iframe" not in html
    assert "<b onmouseover" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "<ins>&lt;iframe src=//evil</ins>.<ins>example&gt;</ins>" in html
    assert "Introduction<ins> &lt;b onmouseover=alert(2)&gt;</ins>" in html


def test_the_paper_says_when_it_was_revised_with_a_link_to_its_revisions(client, revised):
    html = _html(client, revised.get_absolute_url())
    assert re.search(r'Revised on <time datetime="[^"]+">\d+ \w+ \d{4}</time>', html)
    assert f'href="{revised.get_absolute_url()}revisions/">Revisions</a>' in html


def test_a_paper_never_revised_does_not_say_so(client):
    paper = imported()
    paper_revised(paper)
    assert "Revised on" not in _html(client, paper.get_absolute_url())
    assert "Revision 1" in _html(client, f"{paper.get_absolute_url()}revisions/")


def test_a_renamed_sections_old_anchor_still_lands_on_it(client):
    paper = imported()
    paper_revised(paper)
    sections = [("Introduction", "Maintainers carry the load."), ("How we asked", "Forty.")]
    _revise(paper, sections=sections)
    html = _html(client, paper.get_absolute_url())
    section = re.search(
        r'<section class="paper-section" aria-labelledby="how-we-asked">.*?</section>', html, re.S
    )
    assert '<span id="methods"></span>' in section[0]
    assert html.count('id="methods"') == 1


def test_a_drafts_revisions_are_for_staff_only(client):
    paper = imported(status="draft")
    paper_revised(paper)
    _revise(paper, status="draft", title="A draft, retitled")
    base = f"{paper.get_absolute_url()}revisions/"
    pages = [base, f"{base}1/", f"{base}compare/?from=1&to=2"]
    for url in pages:
        _html(client, url, status=404)
    client.force_login(make_user(staff=True))
    for url in pages:
        assert "A draft, retitled" in _html(client, url)
