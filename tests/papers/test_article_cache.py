"""The paper's article (title, authors, sections, references) is kept as drawn under the
paper's version, for every reader, signed in or not, even with the page cache off; any
change that shows on it draws it anew (papers/receivers.py)."""

import pytest

from papers.services import paper_render
from tests.factories import make_comment, make_paper, make_person, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_page_cache(settings):
    settings.COLLOQUY_PAGE_CACHE_SECONDS = 0


def _read(client, paper):
    response = client.get(paper.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_a_kept_article_costs_the_paper_and_its_discussion_only(
    client, no_page_cache, django_assert_num_queries
):
    paper = make_paper(sections=[("Introduction", "First words.")])
    make_comment(paper, body="A thought kept below the article.")
    # paper, authors, sections, references, its revisions ("Revised on", and the comments'
    # versions: one query for both), the page's top-level comments, their threads, and the
    # pages the navigation lists (then kept: pages/navigation.py)
    with django_assert_num_queries(8):
        first = _read(client, paper)
    # paper, its revisions (the comments' versions), the top-level comments, their threads
    with django_assert_num_queries(4):
        again = _read(client, paper)
    assert "First words." in again and "A thought kept below the article." in again
    assert again.count('class="paper-section"') == first.count('class="paper-section"') == 1


def test_an_edited_section_shows_at_once_to_a_signed_in_reader(client, no_page_cache):
    client.force_login(make_user())
    paper = make_paper(sections=[("Introduction", "The old wording.")])
    assert "The old wording." in _read(client, paper)
    section = paper.sections.get()
    section.body = "The new wording."
    section.save()
    paper_render(paper)
    html = _read(client, paper)
    assert "The new wording." in html and "The old wording." not in html


def test_an_author_renamed_elsewhere_shows_on_the_article(client, no_page_cache):
    person = make_person(display_name="Ada Lindqvist")
    paper = make_paper(authors=[person])
    assert "Ada Lindqvist" in _read(client, paper)
    person.display_name = "Ada Lindqvist-Holm"
    person.save()
    assert "Ada Lindqvist-Holm" in _read(client, paper)


def test_a_new_comment_is_drawn_below_a_kept_article(client, no_page_cache):
    paper = make_paper()
    _read(client, paper)
    make_comment(paper, body="Posted after the article was kept.")
    assert "Posted after the article was kept." in _read(client, paper)


def test_with_the_article_cache_off_every_request_draws_it(
    client, no_page_cache, settings, django_assert_num_queries
):
    settings.COLLOQUY_ARTICLE_CACHE_SECONDS = 0
    paper = make_paper(sections=[("Introduction", "Drawn every time.")])
    # paper, authors, sections, references, its revisions ("Revised on"), the page's
    # top-level comments (none), and the first time the pages the navigation lists (then
    # kept: pages/navigation.py)
    for queries in (7, 6):
        with django_assert_num_queries(queries):
            assert "Drawn every time." in _read(client, paper)
