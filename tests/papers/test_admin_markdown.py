"""The admin's Markdown page of a paper: the paper as one document, previewed as readers will
see it (nothing written), saved into the same paper, uploaded as a file; the citation check
next to the preview and when a paper is saved published."""

import html
import re

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from comments.models import Comment
from papers.document import paper_document
from papers.models import Authorship, Paper, PaperRevision, Person, Reference, Section
from tests.factories import (
    make_comment,
    make_edition,
    make_paper,
    make_person,
    make_stream,
    make_user,
)
from tests.papers.references import NASLUND, TAN
from tests.papers.test_admin import form_data

pytestmark = pytest.mark.django_db

MODELS = (Paper, Person, Authorship, Section, Reference, PaperRevision, Comment)


@pytest.fixture
def paper():
    stream = make_stream(make_edition(slug="ed-md"), slug="groups")
    paper = make_paper(
        stream=stream,
        title="Small groups keep people",
        slug="small-groups",
        authors=[make_person("Ana Lima")],
        sections=[
            ("Introduction", "Groups help (Naslund et al., 2016, p. 114)."),
            ("Findings", "Members notice each other."),
        ],
        references=[NASLUND],
    )
    make_comment(paper)
    return paper


def markdown_url(paper=None):
    return (
        f"/admin/papers/paper/{paper.pk}/markdown/"
        if paper
        else "/admin/papers/paper/add/markdown/"
    )


def textarea(page):
    """The document as the page's textarea holds it (a browser drops the first newline)."""
    found = re.search(r'<textarea name="document"[^>]*>(.*?)</textarea>', page, re.S)
    return html.unescape(found[1]).removeprefix("\n")


def preview_article(page):
    """The <article> the preview draws, inside its shadow root."""
    found = re.search(
        r'<div class="paper-preview"><template shadowrootmode="open">(.*?)</template>', page, re.S
    )
    return article_of(found[1])


def article_of(page):
    """The page's <article>; the instant of its revision (the preview's is when Preview was
    pressed, the page's when Save was) left out: the day shown stays."""
    article = re.search(r"<article .*?</article>", page, re.S)[0]
    return re.sub(r'(Revised on <time datetime=")[^"]*', r"\1", article)


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def errors_of(page):
    return [
        html.unescape(e)
        for e in re.findall(r'<ul class="errorlist[^"]*"[^>]*><li>(.*?)</li>', page, re.S)
    ]


def test_markdown_page_holds_the_paper_as_one_document(admin_client, paper):
    response = admin_client.get(markdown_url(paper))
    assert response.status_code == 200
    page = response.content.decode()
    assert textarea(page) == paper_document(paper)
    assert "Every citation matches a reference, and every reference is cited." in page
    assert 'name="_preview"' in page and 'name="_save"' in page
    assert 'name="upload"' in page and 'name="note"' in page


def test_change_form_and_list_link_to_the_markdown_pages(admin_client, paper):
    change = admin_client.get(f"/admin/papers/paper/{paper.pk}/change/").content.decode()
    assert f'href="{markdown_url(paper)}" class="markdownlink">Write as Markdown</a>' in change
    add = admin_client.get("/admin/papers/paper/add/").content.decode()
    assert f'href="{markdown_url()}" class="markdownlink">Add as Markdown</a>' in add
    listing = admin_client.get("/admin/papers/paper/").content.decode()
    assert f'href="{markdown_url()}" class="addlink">Add paper as Markdown</a>' in listing


def test_preview_is_the_article_readers_see_once_saved_and_writes_nothing(admin_client, paper):
    document = paper_document(paper)
    changed = document.replace(
        "Members notice each other.", "Members *notice* each other (Tan, 2021)."
    )
    changed = changed.replace("title: Small groups keep people", "title: Small groups, kept")
    changed += "\n" + "Tan, Y. (2021). A reference nobody cites.\n"
    before = counts()
    response = admin_client.post(
        markdown_url(paper), {"document": changed, "note": "A new finding", "_preview": "Preview"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert counts() == before
    paper.refresh_from_db()
    assert paper.title == "Small groups keep people"
    assert textarea(page) == changed  # what was typed stays
    preview = preview_article(page)
    assert "<em>notice</em>" in preview
    assert 'href="#ref-tan-2021"' in preview
    assert "Small groups, kept" in preview
    assert "Revised on" in preview  # as saving makes a revision
    assert "Every citation matches a reference, and every reference is cited." in page

    saved = admin_client.post(
        markdown_url(paper), {"document": changed, "note": "A new finding", "_save": "Save"}
    )
    assert saved.status_code == 302
    assert saved["Location"] == markdown_url(paper)
    paper.refresh_from_db()
    assert paper.title == "Small groups, kept"
    published = admin_client.get(paper.get_absolute_url()).content.decode()
    assert article_of(published) == preview
    anonymous = Client().get(paper.get_absolute_url()).content.decode()
    assert article_of(anonymous) == preview


def test_save_renames_the_same_paper(admin_client, paper):
    comment = paper.comments.get()
    document = paper_document(paper).replace("slug: small-groups", "slug: groups-that-last")
    document = document.replace("title: Small groups keep people", "title: Groups that last")
    response = admin_client.post(
        markdown_url(paper), {"document": document, "note": "Renamed", "_save": "Save"}
    )
    assert response.status_code == 302
    assert Paper.objects.count() == 1
    renamed = Paper.objects.get()
    assert (renamed.pk, renamed.title, renamed.slug) == (
        paper.pk,
        "Groups that last",
        "groups-that-last",
    )
    assert list(renamed.comments.all()) == [comment]
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("was saved" in m for m in messages)


def test_save_records_a_revision_with_its_note_and_author(admin_client, paper):
    document = paper_document(paper).replace("Members notice", "Members often notice")
    admin_client.post(markdown_url(paper), {"document": document, "note": "Often", "_save": "Save"})
    latest = paper.revisions.order_by("-number").first()
    assert latest.note == "Often"
    assert latest.created_by.username == "admin"
    assert latest.document == paper_document(Paper.objects.get(pk=paper.pk))


def test_import_problem_keeps_the_text_and_names_the_line(admin_client, paper):
    document = paper_document(paper).replace("Members notice each other.", "")
    line = document.splitlines().index("## Findings") + 1
    before = counts()
    for action in ("_save", "_preview"):
        response = admin_client.post(markdown_url(paper), {"document": document, action: "x"})
        assert response.status_code == 200
        page = response.content.decode()
        assert textarea(page) == document
        assert errors_of(page) == [f"Line {line}: section 'Findings' is empty"]
        assert "paper-preview" not in page
    assert counts() == before


def test_slug_of_another_paper_is_refused(admin_client, paper):
    make_paper(stream=paper.stream, slug="taken")
    document = paper_document(paper).replace("slug: small-groups", "slug: taken")
    page = admin_client.post(
        markdown_url(paper), {"document": document, "_save": "Save"}
    ).content.decode()
    line = document.splitlines().index("slug: taken") + 1
    assert errors_of(page) == [
        f"Line {line}: {paper.edition} has another paper at the slug 'taken'; choose another"
    ]
    assert Paper.objects.get(pk=paper.pk).slug == "small-groups"


def test_empty_document_is_refused(admin_client, paper):
    page = admin_client.post(
        markdown_url(paper), {"document": "  \n", "_save": "Save"}
    ).content.decode()
    assert errors_of(page) == ["Write the paper here, or upload its file."]


def test_staff_only(client, paper):
    response = client.get(markdown_url(paper))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    client.force_login(make_user())
    assert client.post(markdown_url(paper), {"document": "x", "_save": "Save"}).status_code == 302
    client.force_login(make_user(staff=True))  # staff without the permission to change papers
    assert client.get(markdown_url(paper)).status_code == 403
    assert client.get(markdown_url()).status_code == 403
    assert Paper.objects.get(pk=paper.pk).title == "Small groups keep people"


def test_upload_of_a_markdown_file_replaces_the_text(admin_client, paper):
    document = paper_document(paper).replace("Members notice", "Members — all of them — notice")
    upload = SimpleUploadedFile("paper.md", ("\ufeff" + document).encode("utf-8"), "text/markdown")
    response = admin_client.post(
        markdown_url(paper), {"document": "ignored", "upload": upload, "_preview": "Preview"}
    )
    page = response.content.decode()
    assert textarea(page) == document  # the file's text, to read and change
    assert "Members — all of them — notice" in preview_article(page)
    upload = SimpleUploadedFile("paper.md", document.encode("utf-8"), "text/markdown")
    response = admin_client.post(
        markdown_url(paper), {"document": "", "upload": upload, "_save": "Save"}
    )
    assert response.status_code == 302
    assert paper.sections.get(heading="Findings").body.startswith("Members — all of them")


def test_upload_that_is_not_utf8_is_refused(admin_client, paper):
    typed = paper_document(paper)
    data = typed.encode().replace(b"Members", "Membres très".encode("latin-1"))
    upload = SimpleUploadedFile("paper.md", data, "text/markdown")
    before = counts()
    page = admin_client.post(
        markdown_url(paper), {"document": typed, "upload": upload, "_save": "Save"}
    ).content.decode()
    line = typed.splitlines().index("Members notice each other.") + 1
    [error] = errors_of(page)
    assert error.startswith(
        f"This file cannot be used: line {line}: the file is not UTF-8 text (byte 0xE8"
    )
    assert textarea(page) == typed
    assert counts() == before


def test_upload_too_large_or_with_a_nul_byte_is_refused(admin_client, paper, monkeypatch):
    nul = SimpleUploadedFile("paper.md", b"---\ntitle: x\x00\n", "text/markdown")
    page = admin_client.post(markdown_url(paper), {"upload": nul, "_save": "Save"}).content.decode()
    assert errors_of(page) == ["This file cannot be used: line 2 holds a NUL byte."]
    monkeypatch.setattr("papers.admin.DOCUMENT_MAX_BYTES", 10)
    big = SimpleUploadedFile("paper.md", b"x" * 11, "text/markdown")
    page = admin_client.post(markdown_url(paper), {"upload": big, "_save": "Save"}).content.decode()
    assert errors_of(page) == ["This file is larger than 1 kB."]


def test_add_as_markdown_makes_a_new_paper(admin_client, paper):
    page = admin_client.get(markdown_url()).content.decode()
    blank = textarea(page)
    assert "edition: ed-md\nstream: groups\n" in blank
    assert "status: draft\n" in blank
    preview = admin_client.post(
        markdown_url(), {"document": blank, "_preview": "Preview"}
    ).content.decode()
    assert "The title of the paper" in preview_article(preview)
    assert Paper.objects.count() == 1
    document = blank.replace("The title of the paper", "A new paper")
    response = admin_client.post(
        markdown_url(), {"document": document, "note": "First", "_save": "Save"}
    )
    new = Paper.objects.get(title="A new paper")
    assert response["Location"] == markdown_url(new)
    assert new.status == Paper.Status.DRAFT
    assert new.revisions.get().note == "First"
    # the same again is refused: its slug is taken now
    page = admin_client.post(
        markdown_url(), {"document": document, "_save": "Save"}
    ).content.decode()
    assert "has another paper at the slug 'a-new-paper'" in errors_of(page)[0]


def test_preview_shows_the_citation_check(admin_client, paper):
    document = paper_document(paper).replace(
        "Members notice each other.", "As Okafor found (Okafor, 2015, p. 7)."
    )
    page = admin_client.post(
        markdown_url(paper), {"document": document, "_preview": "Preview"}
    ).content.decode()
    problems = re.search(r'<ul class="citation-problems">(.*?)</ul>', page, re.S)[1]
    assert "<li>Citation matches no reference, in “Findings”: (Okafor, 2015, p. 7)</li>" in problems


def test_publishing_with_an_unmatched_citation_warns_from_the_markdown_page(admin_client, paper):
    document = paper_document(paper).replace(
        "Members notice each other.", "As Okafor found (Okafor, 2015, p. 7)."
    )
    response = admin_client.post(
        markdown_url(paper), {"document": document, "_save": "Save"}, follow=True
    )
    warnings = [str(m) for m in response.context["messages"] if m.level_tag == "warning"]
    assert warnings == [
        "“Small groups keep people” is published with citation problems: "
        "(Okafor, 2015, p. 7) in “Findings” matches no reference."
    ]
    assert "Okafor, 2015" in response.content.decode()  # shown on the page
    assert "Okafor" in paper.sections.get(heading="Findings").body  # saved all the same
    draft = document.replace("status: published", "status: draft")
    response = admin_client.post(
        markdown_url(paper), {"document": draft, "_save": "Save"}, follow=True
    )
    assert not [m for m in response.context["messages"] if m.level_tag == "warning"]


def test_publishing_from_the_change_form_warns_of_citation_problems(admin_client, paper):
    paper.sections.filter(heading="Findings").update(body="(Okafor, 2015) and (Tan, 2021).")
    paper.references.create(position=1, **TAN)
    url = f"/admin/papers/paper/{paper.pk}/change/"
    data = form_data(admin_client.get(url).content.decode())
    data["status"] = "published"
    response = admin_client.post(url, data, follow=True)
    warnings = [str(m) for m in response.context["messages"] if m.level_tag == "warning"]
    assert warnings == [
        "“Small groups keep people” is published with citation problems: "
        "(Okafor, 2015) in “Findings” matches no reference."
    ]
    data["status"] = "draft"
    response = admin_client.post(url, data, follow=True)
    assert not [m for m in response.context["messages"] if m.level_tag == "warning"]


def test_publishing_fieldset_has_keep_comments_open(admin_client, paper):
    url = f"/admin/papers/paper/{paper.pk}/change/"
    data = form_data(admin_client.get(url).content.decode())
    assert "keep_comments_open" not in data  # an unticked box
    data["keep_comments_open"] = "on"
    assert admin_client.post(url, data).status_code == 302
    assert Paper.objects.get(pk=paper.pk).keep_comments_open is True


def test_page_says_what_the_document_cannot_say(admin_client, paper):
    paper.references.create(position=1, text="Kept as written, 2020")
    page = admin_client.get(markdown_url(paper)).content.decode()
    assert "Reference 2 is kept as written" in page


def based_on(page):
    return html.unescape(
        re.search(r'<input type="hidden" name="based_on" value="([^"]*)"', page)[1]
    )


def test_save_does_not_silently_replace_what_someone_saved_since(admin_client, paper):
    page = admin_client.get(markdown_url(paper)).content.decode()
    mine = textarea(page).replace("Members notice each other.", "Mine.")
    seen = based_on(page)
    theirs = paper_document(paper).replace("Members notice each other.", "Theirs.")
    other = Client()
    other.force_login(make_user(superuser=True))
    assert other.post(markdown_url(paper), {"document": theirs, "_save": "Save"}).status_code == 302
    data = {"document": mine, "based_on": seen, "_save": "Save"}
    response = admin_client.post(markdown_url(paper), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert errors_of(page)[0].startswith("Someone saved revision 2 of this paper after this page")
    assert textarea(page) == mine
    assert paper.sections.get(heading="Findings").body == "Theirs."
    data["based_on"] = based_on(page)  # Save pressed again: mine replaces theirs
    assert data["based_on"] != seen
    assert admin_client.post(markdown_url(paper), data).status_code == 302
    assert paper.sections.get(heading="Findings").body == "Mine."
