"""The authors' edit page through HTTP: Preview writes nothing, Save makes a revision only
when something changed, organisers' keys stay the organisers', errors keep the text."""

import pytest

from papers.document import paper_document
from papers.models import Paper, PaperRevision
from tests.factories import make_person, make_user
from tests.revisions.documents import document, imported

pytestmark = pytest.mark.django_db


def _edit_url(paper):
    return f"{paper.get_absolute_url()}edit/"


def _author(paper):
    """Signs in as the paper's author (the account import_paper made) and returns them."""
    return paper.authorships.get().person.user


@pytest.fixture
def paper():
    return imported()


@pytest.fixture
def author_client(client, paper):
    client.force_login(_author(paper))
    return client


def _post(client, paper, text, *, button="save", note="", based_on=""):
    data = {"document": text, "note": note, "based_on": based_on, button: "1"}
    return client.post(_edit_url(paper), data)


def test_the_edit_page_holds_the_paper_as_one_document(author_client, paper):
    html = author_client.get(_edit_url(paper)).content.decode()
    assert "## Methods" in html and "title: Maintainers and their care" in html
    assert 'name="preview"' in html and 'name="save"' in html


def test_saving_a_change_makes_a_revision_and_the_first_keeps_the_paper_as_it_was(
    author_client, paper
):
    text = paper_document(paper).replace("forty maintainers", "fifty maintainers")
    response = _post(author_client, paper, text, note="Fifty, not forty")
    assert response.status_code == 302 and response["Location"] == paper.get_absolute_url()
    first, second = PaperRevision.objects.filter(paper=paper)
    assert "forty maintainers" in first.document and first.created_by is None
    assert "fifty maintainers" in second.document
    assert (second.created_by, second.note) == (_author(paper), "Fifty, not forty")
    page = author_client.get(paper.get_absolute_url()).content.decode()
    assert "We asked fifty maintainers" in page and "Saved as revision 2." in page
    assert "Revised on" in page


def test_saving_the_same_document_makes_no_revision(author_client, paper):
    _post(author_client, paper, paper_document(paper).replace("forty", "fifty"))
    response = _post(author_client, paper, paper_document(Paper.objects.get(pk=paper.pk)))
    assert response.status_code == 302
    assert PaperRevision.objects.filter(paper=paper).count() == 2
    page = author_client.get(paper.get_absolute_url()).content.decode()
    assert "Nothing changed: no new revision was made." in page


def test_preview_shows_the_page_as_it_will_be_and_writes_nothing(author_client, paper):
    text = paper_document(paper).replace("## Methods", "## Methods and data")
    response = _post(author_client, paper, text, button="preview")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<h2 id="methods-and-data">Methods and data</h2>' in html
    assert '<span id="methods"></span>' in html  # the old anchor, as the page will have it
    assert "Methods and data" in html and "## Methods and data" in html  # text kept
    assert not PaperRevision.objects.filter(paper=paper).exists()
    assert list(paper.sections.values_list("heading", flat=True)) == ["Introduction", "Methods"]


def test_a_refused_document_keeps_the_text_and_names_the_line(author_client, paper):
    text = paper_document(paper).replace("## Methods\n\nWe asked", "## Methods\n\n## Empty\n\nWe")
    for button in ("save", "preview"):
        response = _post(author_client, paper, text, button=button)
        html = response.content.decode()
        assert response.status_code == 200
        assert "Line 18: section &#x27;Methods&#x27; is empty" in html
        assert "## Empty" in html
    assert not PaperRevision.objects.filter(paper=paper).exists()


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ("status: published", "status: draft", "status"),
        ("slug: maintainers", "slug: elsewhere", "slug"),
        ("date: 2026-04-21", "date: 2025-01-01", "date"),
        ("comments: open", "comments: closed", "comments"),
    ],
)
def test_an_author_cannot_change_what_the_organisers_decide(author_client, paper, old, new, key):
    text = paper_document(paper).replace(old, new)
    assert text != paper_document(paper)
    html = _post(author_client, paper, text).content.decode()
    assert f"only the organisers change a paper&#x27;s {key}" in html
    assert new in html
    assert not PaperRevision.objects.filter(paper=paper).exists()
    assert Paper.objects.get(pk=paper.pk).slug == "maintainers"


def test_an_author_cannot_move_the_paper_to_another_stream_or_edition(author_client, paper):
    from tests.factories import make_stream

    other = make_stream(edition=paper.edition, slug="elsewhere")
    text = paper_document(paper).replace(f"stream: {paper.stream.slug}", "stream: elsewhere")
    html = _post(author_client, paper, text).content.decode()
    assert "only the organisers change a paper&#x27;s stream" in html
    assert Paper.objects.get(pk=paper.pk).stream == paper.stream != other
    elsewhere = make_stream(slug=paper.stream.slug)
    text = paper_document(paper).replace(
        f"edition: {paper.edition.slug}", f"edition: {elsewhere.edition.slug}"
    )
    assert (
        "only the organisers change a paper&#x27;s edition"
        in _post(author_client, paper, text).content.decode()
    )


def test_staff_may_change_what_the_organisers_decide(client, paper):
    client.force_login(make_user(staff=True))
    text = paper_document(paper).replace("status: published", "status: draft")
    assert _post(client, paper, text).status_code == 302
    assert Paper.objects.get(pk=paper.pk).status == "draft"
    assert PaperRevision.objects.filter(paper=paper).count() == 2


def test_someone_who_is_not_an_author_is_refused(client, paper):
    client.force_login(make_user())
    assert client.get(_edit_url(paper)).status_code == 403
    text = paper_document(paper).replace("forty", "fifty")
    assert _post(client, paper, text).status_code == 403
    make_person("Someone Else", user=make_user())  # another paper's author is no author here
    assert "forty" in Paper.objects.get(pk=paper.pk).sections.get(position=1).body


def test_a_visitor_is_sent_to_sign_in(client, paper):
    response = client.get(_edit_url(paper))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert _post(client, paper, document(paper.stream)).status_code == 302
    assert not PaperRevision.objects.exists()


def test_a_drafts_edit_page_is_not_found_for_its_author(client):
    paper = imported(status="draft")
    client.force_login(_author(paper))
    assert client.get(_edit_url(paper)).status_code == 404


def test_the_revisions_list_offers_the_edit_page_to_authors_only(client, paper):
    url = f"{paper.get_absolute_url()}revisions/"
    assert "Edit this paper" not in client.get(url).content.decode()
    client.force_login(_author(paper))
    assert "Edit this paper" in client.get(url).content.decode()


def test_saving_over_a_revision_made_since_the_page_was_opened_is_refused_once(
    author_client, paper
):
    html = author_client.get(_edit_url(paper)).content.decode()
    assert 'name="based_on" value="0"' in html
    original = paper_document(paper)
    _post(author_client, paper, original.replace("forty", "fifty"), based_on="0")
    mine = original.replace("forty", "sixty")
    html = _post(author_client, paper, mine, based_on="0").content.decode()
    assert "Someone saved revision 2 of this paper after this page was opened." in html
    assert "sixty" in html and 'name="based_on" value="2"' in html
    assert PaperRevision.objects.filter(paper=paper).count() == 2
    assert _post(author_client, paper, mine, based_on="2").status_code == 302
    assert "sixty" in PaperRevision.objects.filter(paper=paper).last().document


def test_an_author_cannot_change_the_byline_nor_reach_anyones_account_through_it(
    author_client, paper
):
    """A name or address typed in `authors:` would link someone's account to the paper (or,
    for an account without an address, give it the typed one): only organisers change it."""
    from papers.accounts import author_person

    grace = author_person("Grace Hopper")  # an author whose account has no address yet
    text = paper_document(paper).replace(
        "- Farah Siddiqui\n",
        "- Farah Siddiqui\n- name: Grace Hopper\n  email: mallory@example.org\n",
    )
    assert "mallory" in text
    html = _post(author_client, paper, text).content.decode()
    assert "only the organisers change a paper&#x27;s authors" in html
    grace.user.refresh_from_db()
    assert grace.user.email == ""
    assert not paper.authorships.filter(person=grace).exists()
    assert not PaperRevision.objects.filter(paper=paper).exists()
