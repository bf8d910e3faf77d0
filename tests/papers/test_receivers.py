"""papers/receivers.py, a test per trigger: each change to what a paper's page shows, made the
way people make it (the admin, the comment form, import_paper, loaddata, the ORM), shows at
once on the page a visitor had cached, and a change to one paper leaves the cached page of
another served from the cache (no query at all).

The cache's own behaviour (headers, fresh form tokens, visitors who bring cookies) is tested
in tests/comments/test_long_discussions.py and tests/comments/test_form_tokens.py, which also
save papers, render sections and approve comments through the models and services.
"""

import datetime
import io

import pytest
from django.core import serializers
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image

from comments.models import Comment
from comments.services import comment_set_status
from comments.tokens import new_form_token
from papers.figures import figure_image_store
from papers.importer import import_paper
from papers.models import Authorship, FigureImage, Paper, Person, Reference
from tests.comments.test_admin import (
    comment_change_form,
    confirm_delete_permanently,
    run_action,
)
from tests.factories import make_comment, make_edition, make_paper, make_person, make_stream
from tests.papers.test_admin import change_url, form_data

pytestmark = pytest.mark.django_db
Status = Comment.Status
REFERENCE = {"authors": "Tan, Y.", "year": "2021", "title": "A reference on the page"}


class Reader:
    """An anonymous visitor: no cookie, so every page of theirs is a shared one."""

    def __init__(self, client, assert_num_queries):
        self.client, self.assert_num_queries = client, assert_num_queries

    def html(self, where, status=200):
        """The page at where (a paper or an address), which must answer with status."""
        url = where if isinstance(where, str) else where.get_absolute_url()
        response = self.client.get(url)
        assert response.status_code == status, url
        return response.content.decode()

    def from_cache(self, where):
        """The page, which must come from the shared-page cache: not one query."""
        with self.assert_num_queries(0):
            return self.html(where)

    def cache(self, *pages):
        """Read each page, and make sure the next read of it is served from the cache."""
        for where in pages:
            self.html(where)
            self.from_cache(where)


@pytest.fixture
def reader(client, settings, django_assert_num_queries):
    settings.COLLOQUY_PAGE_CACHE_SECONDS = 300
    return Reader(client, django_assert_num_queries)


@pytest.fixture
def other():
    """Another paper, whose cached page a change to one paper must leave alone."""
    return make_paper(title="Another paper, left alone")


def admin_save(admin_client, obj, **changes):
    """Send obj's admin change form as its page fills it in, with these fields changed (None:
    left out, as an unticked box is)."""
    url = change_url(obj)
    data = form_data(admin_client.get(url).content.decode())
    data.update(changes)
    data = {name: value for name, value in data.items() if value is not None}
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]


# The paper itself


def test_paper_edited_in_the_admin(reader, admin_client, other):
    paper = make_paper(title="A title before the edit", thesis="A thesis before the edit.")
    reader.cache(paper, other)
    admin_save(
        admin_client,
        paper,
        title="A title after the edit",
        thesis="A thesis after the edit.",
        comments_open=None,
    )
    html = reader.html(paper)
    assert "A title after the edit" in html and "A thesis after the edit." in html
    assert "before the edit" not in html
    assert "Comments are closed." in html
    reader.from_cache(other)


def test_paper_given_a_new_slug_in_the_admin(reader, admin_client, other):
    paper = make_paper(title="A paper that moves to a new address")
    old_address = paper.get_absolute_url()
    reader.cache(paper, other)
    admin_save(admin_client, paper, slug="a-new-address")
    reader.html(old_address, status=404)
    paper.refresh_from_db()
    assert paper.get_absolute_url().endswith("/papers/a-new-address/")
    assert "A paper that moves to a new address" in reader.html(paper)
    reader.from_cache(other)


def test_paper_given_a_new_slug_in_a_save_of_that_field_alone(reader, other):
    """A save of some fields looks the paper's old address up only when they can move it."""
    paper = make_paper()
    old_address = paper.get_absolute_url()
    reader.cache(paper, other)
    paper.slug = "moved-by-update-fields"
    paper.save(update_fields=["slug"])
    reader.html(old_address, status=404)
    reader.html(paper)
    reader.from_cache(other)


def test_paper_moved_to_another_edition_in_the_admin(reader, admin_client, other):
    paper = make_paper(title="A paper that changes edition")
    old_address = paper.get_absolute_url()
    stream = make_stream(make_edition(name="The Later Edition"), name="The Later Stream")
    reader.cache(paper, other)
    admin_save(admin_client, paper, edition=str(stream.edition.pk), stream=str(stream.pk))
    reader.html(old_address, status=404)
    paper.refresh_from_db()
    html = reader.html(paper)
    assert "The Later Edition" in html and "The Later Stream" in html
    reader.from_cache(other)


@pytest.mark.parametrize("bare", [False, True], ids=["with its parts", "bare"])
def test_paper_deleted_in_the_admin(reader, admin_client, other, bare):
    """The parts deleted with a paper let its pages go too; a bare paper's own receiver must."""
    if bare:
        paper = make_paper(sections=[])
    else:
        paper = make_paper(authors=[make_person()], references=[REFERENCE])
        make_comment(paper)
    reader.cache(paper, other)
    response = admin_client.post(f"/admin/papers/paper/{paper.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Paper.objects.filter(pk=paper.pk).exists()
    reader.html(paper, status=404)
    reader.from_cache(other)


@pytest.mark.parametrize(
    "unpublish",
    [
        {"status": Paper.Status.DRAFT},
        {"published_on_0": str(timezone.localdate() + datetime.timedelta(days=30))},
    ],
    ids=["made a draft", "scheduled for later"],
)
def test_paper_unpublished_in_the_admin(reader, admin_client, other, unpublish):
    paper = make_paper()
    reader.cache(paper, other)
    admin_save(admin_client, paper, **unpublish)
    reader.html(paper, status=404)
    reader.from_cache(other)


def test_paper_imported_again(reader, other):
    """import_paper stores sections with bulk_create, which sends no signal: paper_render's
    save of the paper lets its pages go."""
    stream = make_stream(make_edition(slug="ed-receivers"), slug="talks")
    text = """\
---
title: A paper that is imported twice
authors: Ana Lima
edition: ed-receivers
stream: talks
date: 2026-04-21
thesis: Importing again replaces the paper.
---

## Introduction

{words}
"""
    paper, _ = import_paper(text.format(words="The words of the first import."))
    reader.cache(paper, other)
    again, created = import_paper(text.format(words="The words of the second import."))
    assert (again.pk, created, again.stream) == (paper.pk, False, stream)
    html = reader.html(paper)
    assert "The words of the second import." in html and "first import" not in html
    reader.from_cache(other)


# Its parts: sections, references, authors, figures' images


def test_sections_edited_and_deleted_in_the_admin(reader, admin_client, other):
    paper = make_paper(
        sections=[("Introduction", "Words before the edit."), ("Aside", "Words to delete.")]
    )
    reader.cache(paper, other)
    admin_save(
        admin_client,
        paper,
        **{
            "sections-0-body": "Words after the edit.",
            "sections-0-heading": "Opening",
            "sections-1-DELETE": "on",
        },
    )
    html = reader.html(paper)
    assert "Words after the edit." in html and 'id="opening"' in html
    assert "Words before the edit." not in html and "Words to delete." not in html
    reader.from_cache(other)


def test_reference_added_in_the_admin(reader, admin_client, other):
    paper = make_paper(sections=[("Introduction", "As Okafor found (Okafor, 2015, p. 7).")])
    reader.cache(paper, other)
    assert 'id="bibliography"' not in reader.from_cache(paper)
    admin_save(
        admin_client,
        paper,
        **{
            "references-TOTAL_FORMS": "1",
            "references-0-position": "0",
            "references-0-authors": "Okafor, C.",
            "references-0-year": "2015",
            "references-0-title": "A reference added in the admin",
            "references-0-paper": str(paper.pk),
        },
    )
    html = reader.html(paper)
    assert "A reference added in the admin" in html
    assert '<a class="citation" href="#ref-okafor-2015">' in html
    reader.from_cache(other)


def test_authorship_added_and_removed_in_the_admin(reader, admin_client, other):
    paper = make_paper(authors=[make_person("Ana Lima")])
    added = make_person("Ben Okoro")
    reader.cache(paper, other)
    admin_save(
        admin_client,
        paper,
        **{
            "authorships-TOTAL_FORMS": "2",
            "authorships-1-person": str(added.pk),
            "authorships-1-position": "1",
            "authorships-1-paper": str(paper.pk),
        },
    )
    html = reader.html(paper)
    assert "Ana Lima" in html and "Ben Okoro" in html
    reader.from_cache(other)
    reader.cache(paper)
    admin_save(admin_client, paper, **{"authorships-0-DELETE": "on"})
    html = reader.html(paper)
    assert "Ben Okoro" in html and "Ana Lima" not in html
    reader.from_cache(other)


def _rename_section(paper):
    section = paper.sections.get(heading="Shown heading")
    section.heading = "Heading saved alone"
    section.save()


@pytest.mark.parametrize(
    ("change", "text", "shown_after"),
    [
        (_rename_section, "Heading saved alone", True),
        (
            lambda paper: paper.sections.get(heading="Shown heading").delete(),
            "Shown heading",
            False,
        ),
        (
            lambda paper: Reference.objects.create(
                paper=paper, authors="Ng, P.", year="2020", title="A reference made alone"
            ),
            "A reference made alone",
            True,
        ),
        (lambda paper: paper.references.get().delete(), "A reference on the page", False),
        (
            lambda paper: Authorship.objects.create(
                paper=paper, person=Person.objects.get(display_name="Gus Added"), position=1
            ),
            "Gus Added",
            True,
        ),
        (lambda paper: paper.authorships.get().delete(), "Fay Shown", False),
    ],
    ids=[
        "section saved",
        "section deleted",
        "reference saved",
        "reference deleted",
        "authorship saved",
        "authorship deleted",
    ],
)
def test_part_changed_through_its_model_alone(reader, other, change, text, shown_after):
    """Saved or deleted in the shell, or by code that does not call paper_render."""
    paper = make_paper(
        authors=[make_person("Fay Shown")],
        sections=[("Shown heading", "Words."), ("Second heading", "More words.")],
        references=[REFERENCE],
    )
    make_person("Gus Added")  # before the pages are cached: people's changes reach every page
    reader.cache(paper, other)
    assert (text in reader.from_cache(paper)) is not shown_after
    change(paper)
    assert (text in reader.html(paper)) is shown_after
    reader.from_cache(other)


def test_authors_added_and_removed_through_the_relation(reader, other):
    """paper.authors.add() and .remove() save no Authorship one by one (m2m_changed)."""
    paper = make_paper()
    person = make_person("Cleo Mbeki")
    reader.cache(paper, other)
    paper.authors.add(person, through_defaults={"position": 1})
    assert "Cleo Mbeki" in reader.html(paper)
    reader.from_cache(other)
    reader.cache(paper)
    paper.authors.remove(person)
    assert "Cleo Mbeki" not in reader.html(paper)
    reader.from_cache(other)
    reader.cache(paper)
    person.papers.add(paper, through_defaults={"position": 2})  # the person's side: every page
    assert "Cleo Mbeki" in reader.html(paper)
    assert Authorship.objects.filter(paper=paper, person=person).exists()


def png():
    out = io.BytesIO()
    Image.new("RGB", (20, 10), (30, 90, 160)).save(out, format="PNG")
    return out.getvalue()


def test_figure_image_uploaded_in_the_admin(reader, admin_client, other, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    paper = make_paper(sections=[("Results", '![A chart](chart.png "Sales")')])
    reader.cache(paper, other)
    assert "<img" not in reader.from_cache(paper).split('id="results"')[1]
    admin_save(
        admin_client,
        paper,
        **{
            "figure_images-TOTAL_FORMS": "1",
            "figure_images-0-paper": str(paper.pk),
            "figure_images-0-image": SimpleUploadedFile("chart.png", png()),
        },
    )
    url = paper.figure_images.get().image.url
    assert f'<img src="{url}" alt="A chart"' in reader.html(paper)
    reader.from_cache(other)


@pytest.mark.parametrize(
    "change",
    [
        lambda image: FigureImage.objects.create(paper=image.paper, name="b.png", image="x.png"),
        lambda image: image.delete(),
    ],
    ids=["figure image saved", "figure image deleted"],
)
def test_figure_image_changed_through_its_model_alone(reader, other, settings, tmp_path, change):
    """Saved or deleted in the shell: the page is drawn anew, as for a section (its sections
    show the file once paper_render draws them again)."""
    settings.MEDIA_ROOT = tmp_path
    paper = make_paper(sections=[("Results", "![A chart](chart.png)")])
    image = figure_image_store(paper, "chart.png", png())
    reader.cache(paper, other)
    change(image)
    with CaptureQueriesContext(connection) as drawn:
        reader.html(paper)
    assert drawn.captured_queries, "the page was served from the cache"
    reader.from_cache(other)


# What many papers' pages show: their edition, stream and authors' names


@pytest.mark.parametrize(
    ("part", "field"),
    [("person", "display_name"), ("stream", "name"), ("edition", "name")],
)
def test_renamed_in_the_admin_shows_on_every_paper_page(reader, admin_client, part, field):
    person = make_person("Dana Old-Name")
    paper = make_paper(authors=[person])
    sibling = make_paper(stream=paper.stream, authors=[person])
    renamed = {"person": person, "stream": paper.stream, "edition": paper.edition}[part]
    reader.cache(paper, sibling)
    admin_save(admin_client, renamed, **{field: "A Name Given Later"})
    for each in (paper, sibling):
        html = reader.html(each)
        assert "A Name Given Later" in html, each
        assert getattr(renamed, field) not in html, each


# Its discussion: every change goes through comments/services.py, which saves the paper


@pytest.mark.parametrize(
    ("action", "start", "shown_after"),
    [
        ("approve", Status.PENDING, True),
        ("unapprove", Status.APPROVED, False),
        ("mark_as_spam", Status.APPROVED, False),
        ("not_spam", Status.SPAM, True),
        ("move_to_trash", Status.APPROVED, False),
        ("restore", Status.TRASH, True),
    ],
)
def test_comment_moderated_in_the_admin(reader, admin_client, other, action, start, shown_after):
    paper = make_paper()
    comment = make_comment(paper, body="Words whose status changes.")
    if start != Status.APPROVED:
        comment_set_status(comment, start, actor=None)  # spam and trash remember "approved"
    reader.cache(paper, other)
    assert ("Words whose status changes." in reader.from_cache(paper)) is not shown_after
    assert run_action(admin_client, action, [comment]).status_code == 302
    html = reader.html(paper)
    assert ("Words whose status changes." in html) is shown_after
    assert ("One thought on" in html, "No comments yet" in html) == (shown_after, not shown_after)
    reader.from_cache(other)


def test_comment_edited_by_a_moderator(reader, admin_client, other):
    paper = make_paper()
    comment = make_comment(paper, body="Words with a typpo.")
    reader.cache(paper, other)
    response = admin_client.post(
        f"/admin/comments/comment/{comment.pk}/change/",
        comment_change_form(comment, body="Words set right by a moderator."),
    )
    assert response.status_code == 302
    html = reader.html(paper)
    assert "Words set right by a moderator." in html and "typpo" not in html
    reader.from_cache(other)


def test_comment_deleted_permanently_in_the_admin(reader, admin_client, other):
    paper = make_paper()
    top = make_comment(paper, body="Words deleted for good.")
    make_comment(paper, parent=top, body="A reply that stays.")
    reader.cache(paper, other)
    confirm_delete_permanently(admin_client, "/admin/comments/comment/", [top])
    html = reader.html(paper)
    assert "Words deleted for good." not in html
    assert "A reply that stays." in html and "One thought on" in html
    reader.from_cache(other)


def test_comment_posted_and_shown_at_once(reader, admin_client, other):
    """A moderator's comment is approved as it is posted."""
    paper = make_paper()
    reader.cache(paper, other)
    response = admin_client.post(
        f"/comments/post/{paper.pk}/",
        {"body": "A moderator joins the discussion.", "parent": "", "token": new_form_token()},
    )
    assert response.status_code == 302
    assert Comment.objects.get(paper=paper).status == Status.APPROVED
    assert "A moderator joins the discussion." in reader.html(paper)
    reader.from_cache(other)


def test_later_discussion_pages_go_too(reader, admin_client, settings, other):
    settings.COLLOQUY_THREADS_PER_PAGE = 1
    paper = make_paper()
    make_comment(paper, body="The oldest thread.")
    newest = make_comment(paper, body="The newest thread.")
    reply = make_comment(
        paper, parent=newest, status=Status.PENDING, body="A late reply, approved later."
    )
    page_2 = paper.get_absolute_url() + "comments-page-2/"
    reader.cache(paper, page_2, other)
    assert "The newest thread." in reader.from_cache(page_2)  # page 1 holds the oldest
    assert run_action(admin_client, "approve", [reply]).status_code == 302
    assert "A late reply, approved later." in reader.html(page_2)
    assert "3 thoughts on" in reader.html(paper)
    reader.from_cache(other)


# Fixtures


def test_loaddata_over_a_cached_paper_shows_what_it_loaded(reader, tmp_path, other):
    """loaddata saves raw: nothing is looked up then, and every shared page goes."""
    person = make_person("Eli Raw")
    paper = make_paper(authors=[person], references=[REFERENCE])
    reader.cache(paper, other)
    section = paper.sections.get()
    paper.title, section.body_html = "A title loaded from a fixture", "<p>Loaded words.</p>"
    fixture = tmp_path / "paper.json"
    parts = [paper.edition, paper.stream, person, paper, section]
    parts += [*paper.references.all(), *paper.authorships.all()]
    fixture.write_text(serializers.serialize("json", parts))
    call_command("loaddata", str(fixture), verbosity=0)
    html = reader.html(paper)
    assert "A title loaded from a fixture" in html and "Loaded words." in html


def test_loaddata_of_rows_that_name_rows_loaded_after_them(reader, tmp_path):
    """A paper comes before its edition and stream, a section before its paper."""
    paper = make_paper(title="A paper loaded again", authors=[make_person()])
    parts = [*paper.sections.all(), *paper.authorships.all(), paper, paper.stream, paper.edition]
    fixture = tmp_path / "backwards.json"
    fixture.write_text(serializers.serialize("json", parts))
    address = paper.get_absolute_url()
    paper.delete()
    paper.stream.delete()
    paper.edition.delete()
    reader.html(address, status=404)
    call_command("loaddata", str(fixture), verbosity=0)
    assert "A paper loaded again" in reader.html(address)
