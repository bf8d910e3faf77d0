"""Search through the results page, on whichever database the suite runs on (CI runs it on
SQLite's FTS5 and PostgreSQL's full-text search): what is found, in what order, what is
never found, and the index following every change at once."""

import datetime
import io
import re
import time
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from comments.models import Comment
from comments.services import comment_delete, comment_edit, comment_set_status
from papers.models import Paper, Section
from papers.services import paper_render
from search.models import Entry
from tests.factories import (
    make_comment,
    make_edition,
    make_paper,
    make_person,
    make_stream,
    make_user,
)

pytestmark = pytest.mark.django_db

RESULT = re.compile(
    r'<li class="result result-(?P<kind>paper|comment)">.*?<a href="(?P<url>[^"]+)">(?P<title>.*?)</a>'
    r'.*?(?:<p class="snippet">(?P<snippet>.*?)</p>)?\s*</li>',
    re.S,
)


def search(client, q, **params):
    response = client.get(reverse("search:search"), {"q": q, **params})
    assert response.status_code == 200, response.status_code
    return response


def found(client, q, **params):
    """[(kind, url)] of the results page, in order."""
    page = search(client, q, **params).content.decode()
    return [(m["kind"], unescape(m["url"])) for m in RESULT.finditer(page)]


def urls(client, q, **params):
    return [url for _, url in found(client, q, **params)]


def comment_url(comment):
    return comment.get_absolute_url()


@pytest.fixture
def paper():
    return make_paper(
        title="Lighthouse keepers and the archive",
        thesis="Logbooks of lighthouse keepers are an overlooked archive of coastal weather.",
        abstract="Reading four hundred logbooks kept between 1880 and 1950.",
        authors=[make_person("Jörg Ødegård")],
        sections=[
            ("Introduction", "Keepers wrote twice a day about fog, wind and passing ships."),
            ("Method", "We transcribed the entries by hand and compared barometric notes."),
        ],
    )


# What a paper is found by


@pytest.mark.parametrize(
    "query",
    [
        "lighthouse",  # title
        "overlooked",  # thesis
        "hundred logbooks",  # abstract
        "barometric",  # a section's body
        "transcribed",  # another section
        "Odegard",  # an author, without the accents
    ],
)
def test_a_paper_is_found_by_each_part_of_it(client, paper, query):
    assert urls(client, query) == [paper.get_absolute_url()]


def test_a_paper_is_found_by_its_stream_name(client):
    stream = make_stream(name="Maritime histories")
    paper = make_paper(stream=stream, title="Something else entirely")
    assert urls(client, "maritime") == [paper.get_absolute_url()]


@pytest.mark.parametrize(
    ("query", "written"),
    [
        ("Jorg", "Jörg"),
        ("jörg", "Jorg"),
        ("JÖRG", "jorg"),
        ("odegard", "Ødegård"),
        ("Sao Paulo", "São Paulo"),
        ("strasse", "Straße"),
        ("creme brulee", "crème brûlée"),
        ("Lodz", "Łódź"),
    ],
)
def test_accents_and_case_do_not_matter(client, query, written):
    paper = make_paper(sections=[("Introduction", f"A note on {written} and its people.")])
    assert urls(client, query) == [paper.get_absolute_url()]


def test_words_are_found_in_their_other_forms(client):
    paper = make_paper(sections=[("Introduction", "The keeper logged storms.")])
    assert urls(client, "keepers logging storm") == [paper.get_absolute_url()]


def test_every_word_must_be_there(client, paper):
    assert urls(client, "lighthouse fog") == [paper.get_absolute_url()]
    assert urls(client, "lighthouse volcano") == []


def test_a_phrase_in_quotes_matches_those_words_in_that_order(client):
    together = make_paper(sections=[("Introduction", "We studied open science in schools.")])
    apart = make_paper(sections=[("Introduction", "Science should stay open to schools.")])
    assert set(urls(client, "open science")) == {
        together.get_absolute_url(),
        apart.get_absolute_url(),
    }
    assert urls(client, '"open science"') == [together.get_absolute_url()]
    assert urls(client, '"science open"') == []


def test_a_minus_leaves_out_what_holds_a_word_or_a_phrase(client):
    tides = make_paper(sections=[("Introduction", "Harbour tides and harbour cranes.")])
    cranes = make_paper(sections=[("Introduction", "Harbour cranes and their crews.")])
    assert set(urls(client, "harbour")) == {tides.get_absolute_url(), cranes.get_absolute_url()}
    assert urls(client, "harbour -tides") == [cranes.get_absolute_url()]
    assert urls(client, 'harbour -"their crews"') == [tides.get_absolute_url()]
    assert urls(client, "harbour -cranes") == []


# Ranking


def test_a_match_in_the_title_or_thesis_ranks_above_one_in_the_body(client):
    body = make_paper(
        title="Notes from the coast",
        sections=[("Introduction", "Among other things, a word on seaweed.")],
    )
    thesis = make_paper(title="Coastal notes", thesis="Seaweed farming feeds a village.")
    title = make_paper(title="Seaweed harvests", thesis="Harvests feed a village.")
    ranked = urls(client, "seaweed")
    assert ranked.index(title.get_absolute_url()) < ranked.index(body.get_absolute_url())
    assert ranked.index(thesis.get_absolute_url()) < ranked.index(body.get_absolute_url())


def test_a_paper_ranks_above_a_comment_at_equal_relevance(client):
    text = "Tidal mills ground grain for centuries."
    host = make_paper(title="Unrelated title", sections=[("Introduction", "Nothing here.")])
    comment = make_comment(host, body=text)
    paper = make_paper(title="Another title", sections=[("Introduction", text)])
    assert found(client, "tidal mills") == [
        ("paper", paper.get_absolute_url()),
        ("comment", comment_url(comment)),
    ]


# Comments


def test_an_approved_comment_is_found_and_names_its_paper(client, paper):
    comment = make_comment(paper, name="Wilhelmina Reader", body="What about **foghorns**?")
    page = search(client, "foghorn").content.decode()
    assert found(client, "foghorn") == [("comment", comment_url(comment))]
    assert "Wilhelmina Reader" in page
    assert "Lighthouse keepers and the archive" in page
    assert "<mark>foghorns</mark>" in page


def test_a_comment_result_leads_to_the_comment_in_its_discussion(client, paper):
    comment = make_comment(paper, body="A question about semaphore flags.")
    [(_, url)] = found(client, "semaphore")
    response = client.get(url, follow=True)
    assert response.status_code == 200
    final_url, _ = response.redirect_chain[-1]
    assert final_url.endswith(f"#comment-{comment.pk}")
    assert f'id="comment-{comment.pk}"' in response.content.decode()


@pytest.mark.parametrize(
    "status", [Comment.Status.PENDING, Comment.Status.SPAM, Comment.Status.TRASH]
)
def test_a_comment_that_is_not_approved_is_never_found(client, paper, status):
    make_comment(paper, body="Whispers about the quartermaster.", status=status)
    assert found(client, "quartermaster") == []


def test_drafts_and_scheduled_papers_are_never_found_nor_their_comments(client):
    draft = make_paper(title="Draft about albatrosses", status=Paper.Status.DRAFT)
    scheduled = make_paper(
        title="Scheduled albatrosses", published_on=timezone.now() + datetime.timedelta(days=2)
    )
    make_comment(draft, body="An albatross comment on a draft.")
    make_comment(scheduled, body="An albatross comment on a scheduled paper.")
    assert found(client, "albatross") == []
    assert found(client, "albatross", kind="comment") == []


def test_a_scheduled_paper_is_found_once_its_time_comes(client):
    soon = make_paper(
        title="Cormorant colonies", published_on=timezone.now() + datetime.timedelta(days=1)
    )
    make_comment(soon, body="Cormorant numbers fell.")
    assert found(client, "cormorant") == []
    Paper.objects.filter(pk=soon.pk).update(
        published_on=timezone.now() - datetime.timedelta(days=1)
    )
    Entry.objects.filter(paper=soon).update(
        visible_from=timezone.now() - datetime.timedelta(days=1)
    )
    assert [kind for kind, _ in found(client, "cormorant")] == ["paper", "comment"]


def test_no_email_address_is_found_or_shown(client, paper):
    make_comment(
        paper,
        name="Quiet Person",
        email="quiet.person@example.net",
        body="Write to me at other.address@example.com about buoys.",
    )
    page = search(client, "buoys").content.decode()
    assert "@" not in page.split('id="results-heading"')[1]
    assert found(client, "quiet.person@example.net") == []
    assert found(client, "example.net") == []
    assert found(client, "other.address@example.com") == []


def test_the_page_says_which_words_were_too_common_to_search_for(client):
    paper = make_paper(title="Keepers of the light", sections=[("Introduction", "Lamps.")])
    page = search(client, "the keepers of <b> The").content.decode()
    assert "Left out as too common to search for: “the”, “of”." in page
    assert found(client, "the keepers of") == [("paper", paper.get_absolute_url())]
    assert "Left out as too common" not in search(client, "keepers").content.decode()


def test_hostile_text_is_shown_as_text(client):
    paper = make_paper(
        title="Harmless <script>alert('t')</script> title",
        sections=[("Introduction", "Plain words about kelp.")],
    )
    make_comment(paper, body="kelp <img src=x onerror=alert(1)> &lt;b&gt;bold&lt;/b&gt;")
    page = search(client, "kelp <script>").content.decode()
    assert "<script>alert" not in page
    assert "<img" not in page
    assert "&lt;script&gt;" in page


# The index follows every change, at once


def test_a_comment_approved_appears_and_unapproved_or_trashed_disappears(client, paper):
    moderator = make_user(staff=True)
    comment = make_comment(paper, body="Barnacles on the hull.", status=Comment.Status.PENDING)
    assert found(client, "barnacles") == []
    comment_set_status(comment, Comment.Status.APPROVED, actor=moderator)
    assert found(client, "barnacles") == [("comment", comment_url(comment))]
    comment_set_status(comment, Comment.Status.PENDING, actor=moderator)
    assert found(client, "barnacles") == []
    comment_set_status(comment, Comment.Status.APPROVED, actor=moderator)
    comment_set_status(comment, Comment.Status.TRASH, actor=moderator)
    assert found(client, "barnacles") == []
    comment_set_status(comment, Comment.Status.SPAM, actor=moderator)
    assert found(client, "barnacles") == []


def test_a_comment_approved_in_the_admin_appears_at_once(client, paper):
    comment = make_comment(paper, body="Anchors and chains.", status=Comment.Status.PENDING)
    moderator = make_user(staff=True, superuser=True)
    admin = type(client)()
    admin.force_login(moderator)
    response = admin.post(
        reverse("admin:comments_comment_changelist"),
        {"action": "approve", "_selected_action": [comment.pk]},
    )
    assert response.status_code == 302
    assert found(client, "anchors") == [("comment", comment_url(comment))]


def test_a_deleted_comment_disappears_and_its_replies_stay(client, paper):
    parent = make_comment(paper, body="Gulls steal chips.")
    reply = make_comment(paper, parent=parent, body="Gulls also steal sandwiches.")
    comment_delete(parent)
    assert found(client, "gulls") == [("comment", comment_url(reply))]


def test_replies_of_a_trashed_comment_purged_are_found_again(client, paper):
    """Deleting a trashed comment moves its replies up: they start threads of their own,
    shown, and found."""
    parent = make_comment(paper, body="Cormorants dry their wings.")
    reply = make_comment(paper, parent=parent, body="Cormorants fish in pairs.")
    comment_set_status(parent, Comment.Status.TRASH, actor=make_user(staff=True))
    assert found(client, "cormorants") == []
    comment_delete(parent)
    assert found(client, "cormorants") == [("comment", comment_url(reply))]


def test_a_deletion_indexes_again_only_the_replies_it_moved(client, paper):
    """Deleting one comment of a long discussion writes no entry but those of the replies
    that moved (an entry written again gets a new id)."""
    others = [make_comment(paper, body=f"Skuas chase terns {n}.") for n in range(5)]
    top = make_comment(paper, body="Petrels feed at night.")
    middle = make_comment(paper, parent=top, body="Petrels nest in burrows.")
    last = make_comment(paper, parent=middle, body="Petrels return in spring.")
    leaf = make_comment(paper, parent=top, body="Petrels are quiet by day.")
    entry_ids = dict(Entry.objects.values_list("comment_id", "pk"))
    comment_delete(leaf)  # moves nothing
    assert dict(Entry.objects.values_list("comment_id", "pk")) == {
        pk: entry for pk, entry in entry_ids.items() if pk != leaf.pk
    }
    comment_delete(middle)  # moves the last reply up, under the top
    after = dict(Entry.objects.values_list("comment_id", "pk"))
    assert after[last.pk] != entry_ids[last.pk]
    assert {pk: after[pk] for pk in [c.pk for c in others] + [top.pk]} == {
        pk: entry_ids[pk] for pk in [c.pk for c in others] + [top.pk]
    }
    assert urls(client, "petrels spring") == [comment_url(last)]


def test_replies_moved_under_a_held_comment_are_hidden_from_search(client, paper):
    """A > B > C, B held again: deleting A makes B the top of C's thread, and B being held,
    C is shown nowhere, so found nowhere."""
    top = make_comment(paper, body="Terns dive.")
    middle = make_comment(paper, parent=top, body="Terns hover first.")
    last = make_comment(paper, parent=middle, body="Terns migrate furthest.")
    comment_set_status(middle, Comment.Status.PENDING, actor=make_user(staff=True))
    comment_delete(top)
    last.refresh_from_db()
    assert last.root_id == middle.pk
    assert found(client, "terns") == []


def test_an_edited_comment_is_found_by_its_new_words_only(client, paper):
    comment = make_comment(paper, body="Puffins nest in burrows.")
    comment_edit(comment, body="Guillemots nest on ledges.", actor=make_user(staff=True))
    assert found(client, "puffins") == []
    assert found(client, "guillemots") == [("comment", comment_url(comment))]


def test_a_paper_unpublished_takes_its_comments_with_it_and_brings_them_back(client, paper):
    comment = make_comment(paper, body="Lamps burned whale oil.")
    paper.status = Paper.Status.DRAFT
    paper.save()
    assert found(client, "lighthouse") == []
    assert found(client, "whale") == []
    paper.status = Paper.Status.PUBLISHED
    paper.save()
    assert found(client, "lighthouse") == [("paper", paper.get_absolute_url())]
    assert found(client, "whale") == [("comment", comment_url(comment))]


def test_a_paper_deleted_goes_with_its_comments(client, paper):
    make_comment(paper, body="Lamps burned whale oil.")
    paper.delete()
    assert found(client, "lighthouse") == [] == found(client, "whale")
    assert not Entry.objects.exists()


def test_a_paper_edited_is_found_by_its_new_words(client, paper):
    paper.title = "Keepers of the light"
    paper.save()
    section = paper.sections.get(heading="Method")
    section.body = "We photographed every page of the ledgers."
    section.save()
    paper_render(paper)
    assert urls(client, "ledgers keepers") == [paper.get_absolute_url()]
    assert urls(client, "barometric") == []
    Section.objects.filter(pk=section.pk).delete()
    assert urls(client, "ledgers") == []


def test_a_person_or_stream_renamed_is_found_by_the_new_name(client, paper):
    person = paper.authors.get()
    person.display_name = "Karoline Fjeld"
    person.save()
    assert urls(client, "Fjeld") == [paper.get_absolute_url()]
    assert urls(client, "Odegard") == []
    stream = paper.stream
    stream.name = "Coastal studies"
    stream.save()
    assert urls(client, "coastal studies") == [paper.get_absolute_url()]


def test_a_paper_moved_to_another_stream_takes_its_comments_there(client, paper):
    comment = make_comment(paper, body="Fresnel lenses were a marvel.")
    other = make_stream(edition=paper.edition)
    paper.stream = other
    paper.save()
    assert found(client, "fresnel", stream=other.pk) == [("comment", comment_url(comment))]


def test_comments_imported_in_bulk_are_indexed(client, paper):
    from comments.services import Identity, comment_build, comments_import

    built = [
        comment_build(
            paper=paper,
            identity=Identity(f"Reader {n}", f"r{n}@example.net"),
            body=f"Ship {n} sank.",
        )
        for n in range(30)
    ]
    for comment in built:
        comment.status = Comment.Status.APPROVED
    comments_import(built, reason="a test")
    assert search(client, "sank").context["page_obj"].paginator.count == 30


def test_the_rebuild_command_makes_the_same_index(paper):
    from django.core.management import call_command

    make_comment(paper, body="Rebuilt words.")
    before = sorted(Entry.objects.values_list("kind", "paper_id", "comment_id", "text_terms"))
    Entry.objects.all().delete()
    call_command("rebuild_search_index", stdout=io.StringIO())
    assert (
        sorted(Entry.objects.values_list("kind", "paper_id", "comment_id", "text_terms")) == before
    )


# Filters and pages


def test_filters_by_edition_stream_and_kind(client):
    first_stream = make_stream(edition=make_edition(slug="first-year"))
    second_stream = make_stream(edition=make_edition(slug="second-year"))
    sister = make_stream(edition=second_stream.edition)
    first = make_paper(stream=first_stream, title="Estuaries one")
    second = make_paper(stream=second_stream, title="Estuaries two")
    third = make_paper(stream=sister, title="Estuaries three")
    comment = make_comment(second, body="Estuaries everywhere.")
    assert set(urls(client, "estuaries", edition="first-year")) == {first.get_absolute_url()}
    assert set(urls(client, "estuaries", edition="second-year")) == {
        second.get_absolute_url(),
        third.get_absolute_url(),
        comment_url(comment),
    }
    assert set(urls(client, "estuaries", stream=sister.pk)) == {third.get_absolute_url()}
    assert found(client, "estuaries", kind="comment") == [("comment", comment_url(comment))]
    assert {kind for kind, _ in found(client, "estuaries", kind="paper")} == {"paper"}


@pytest.mark.parametrize(
    "params",
    [
        {"stream": "99999999999999999999999"},
        {"stream": "-1"},
        {"stream": "1.5"},
        {"edition": "x" * 300},
        {"edition": "ü"},
        {"kind": "person"},
    ],
)
def test_a_filter_that_names_nothing_is_an_error_next_to_it(client, params):
    response = search(client, "kelp", **params)
    assert "Select a valid choice" in response.content.decode()
    assert not response.context["searched"]
    assert response.context["form"].data["q"] == "kelp"


def test_results_come_a_page_at_a_time_keeping_the_query(client, settings):
    settings.COLLOQUY_SEARCH_RESULTS_PER_PAGE = 10
    paper = make_paper(title="Oysters")
    for n in range(14):
        make_comment(paper, body=f"Oyster remark {n}.")
    first = search(client, "oyster", kind="comment")
    assert len(RESULT.findall(first.content.decode())) == 10
    assert first.context["page_obj"].paginator.count == 14
    assert 'href="?q=oyster&amp;kind=comment&amp;page=2"' in first.content.decode()
    second = search(client, "oyster", kind="comment", page=2)
    assert len(RESULT.findall(second.content.decode())) == 4
    seen = urls(client, "oyster", kind="comment") + urls(client, "oyster", kind="comment", page=2)
    assert len(set(seen)) == 14


def test_the_number_of_queries_does_not_grow_with_the_results(client):
    paper = make_paper(title="Sextants", authors=[make_person(), make_person()])
    make_comment(paper, body="Sextant one.")

    def queries():
        search(client, "sextant")  # the layout's navigation, cached from the first page on
        with CaptureQueriesContext(connection) as captured:
            search(client, "sextant")
        return len(captured)

    few = queries()
    for n in range(10):
        other = make_paper(title=f"Sextant {n}", authors=[make_person()])
        make_comment(other, body=f"Sextant comment {n}.")
    assert queries() == few


# The form


def test_every_page_has_a_search_box(client, paper):
    for url in ("/", paper.get_absolute_url(), reverse("papers:editions")):
        page = client.get(url).content.decode()
        assert f'action="{reverse("search:search")}"' in page
        assert 'role="search"' in page and 'name="q"' in page


def test_an_empty_search_shows_the_form_without_results_or_errors(client):
    response = search(client, "")
    assert "results-heading" not in response.content.decode()
    assert not response.context["form"].errors


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("x" * 201, "at most 200 characters"),
        ("the of and", "too common to search for"),
        ("-lighthouse", "not only words to leave out"),
        (" ".join(f"word{n}" for n in range(13)), "at most 12 words"),
    ],
)
def test_a_query_that_cannot_be_asked_says_why_next_to_the_field_and_is_kept(
    client, query, message
):
    page = search(client, query).content.decode()
    field = page[page.index('id="div_id_q"') :]
    field = field[: field.index("</div>", field.index("invalid-feedback"))]
    assert message in field
    assert "results-heading" not in page
    assert 'value="' + query[:50] in page


def test_searches_are_limited_per_client_address(client, settings, paper):
    settings.COLLOQUY_SEARCHES_PER_MINUTE = 3
    for _ in range(3):
        search(client, "lighthouse")
    response = client.get(reverse("search:search"), {"q": "lighthouse"})
    assert response.status_code == 429
    assert "Wait a minute" in response.content.decode()
    assert 'value="lighthouse"' in response.content.decode()
    other = client.get(reverse("search:search"), {"q": "lighthouse"}, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200


def test_a_client_may_search_again_once_the_minute_is_over(client, settings, paper, monkeypatch):
    """The count lives in Django's cache with the minute as its timeout (common.rates)."""
    if "locmem" not in settings.CACHES["default"]["BACKEND"].lower():
        pytest.skip("moves the clock the local-memory cache expires keys by")
    settings.COLLOQUY_SEARCHES_PER_MINUTE = 1
    search(client, "lighthouse")
    assert client.get(reverse("search:search"), {"q": "lighthouse"}).status_code == 429
    started = time.time()
    monkeypatch.setattr(time, "time", lambda: started + 59)
    assert client.get(reverse("search:search"), {"q": "lighthouse"}).status_code == 429
    monkeypatch.setattr(time, "time", lambda: started + 61)
    assert client.get(reverse("search:search"), {"q": "lighthouse"}).status_code == 200


@pytest.mark.parametrize("page", ["0", "-3", "x", "²", "9" * 30, str(2**64), "501"])
def test_any_page_number_gives_a_page(client, page):
    make_paper(title="Walruses")
    response = client.get(reverse("search:search"), {"q": "walrus", "page": page})
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == 1


def test_replies_are_found_only_while_their_thread_is_shown(client, paper):
    moderator = make_user(staff=True)
    top = make_comment(paper, body="Top-level words about jetsam.")
    reply = make_comment(paper, parent=top, body="A reply about flotsam.")
    assert found(client, "flotsam") == [("comment", comment_url(reply))]
    comment_set_status(top, Comment.Status.TRASH, actor=moderator)
    assert found(client, "flotsam") == [] == found(client, "jetsam")
    comment_set_status(top, Comment.Status.APPROVED, actor=moderator)
    assert found(client, "flotsam") == [("comment", comment_url(reply))]
    from comments.services import comment_remove

    comment_remove(top, reason="erased")  # its place stays, and the thread with it
    assert found(client, "flotsam") == [("comment", comment_url(reply))]
    assert found(client, "jetsam") == []
