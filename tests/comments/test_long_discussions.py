"""Long discussions: pages of whole threads, permalinks that find their page, the page cache."""

import re

import pytest
from django.urls import reverse

from comments.models import Comment
from comments.services import comment_set_status
from papers.models import Section
from papers.services import paper_render
from tests.factories import make_comment, make_paper, make_user
from tests.pages import without_form_token

pytestmark = pytest.mark.django_db


def _threads(paper, count):
    """count top-level comments, each with one reply; returns the top-level ones."""
    tops = []
    for _ in range(count):
        top = make_comment(paper)
        make_comment(paper, parent=top)
        tops.append(top)
    return tops


def _page_url(paper, number):
    return reverse(
        "comments:page",
        kwargs={"edition": paper.edition.slug, "slug": paper.slug, "page": number},
    )


def test_discussion_pages_hold_whole_threads_oldest_first(client, settings):
    settings.COLLOQUY_THREADS_PER_PAGE = 2
    paper = make_paper()
    tops = _threads(paper, 5)
    first = client.get(paper.get_absolute_url()).content.decode()
    second = client.get(_page_url(paper, 2)).content.decode()
    third = client.get(_page_url(paper, 3)).content.decode()
    assert [f'id="comment-{t.pk}"' in first for t in tops] == [True, True, False, False, False]
    assert [f'id="comment-{t.pk}"' in second for t in tops] == [False, False, True, True, False]
    assert f'id="comment-{tops[4].pk}"' in third
    reply = Comment.objects.get(parent=tops[2])
    assert f'id="comment-{reply.pk}"' in second
    assert "10 thoughts on" in second  # the count is the whole discussion's


def test_discussion_page_links_are_older_and_newer(client, settings):
    settings.COLLOQUY_THREADS_PER_PAGE = 2
    paper = make_paper()
    _threads(paper, 5)
    first = client.get(paper.get_absolute_url()).content.decode()
    second = client.get(_page_url(paper, 2)).content.decode()
    assert "Older comments" not in first
    assert f'href="{_page_url(paper, 2)}#comments">Newer comments' in first
    assert f'href="{paper.get_absolute_url()}#comments">← Older comments' in second
    assert f'href="{_page_url(paper, 3)}#comments">Newer comments' in second


def test_discussion_page_urls_are_canonical(client, settings):
    settings.COLLOQUY_THREADS_PER_PAGE = 2
    paper = make_paper()
    _threads(paper, 3)
    page_one = client.get(_page_url(paper, 1))
    assert page_one.status_code == 301
    assert page_one["Location"] == paper.get_absolute_url()
    assert client.get(_page_url(paper, 3)).status_code == 404
    second = client.get(_page_url(paper, 2)).content.decode()
    canonical = re.search(r'<link rel="canonical" href="([^"]+)"', second)[1]
    assert canonical == f"{settings.COLLOQUY_SITE_URL}{_page_url(paper, 2)}"
    for other_spelling in ("0", "02", "002", "-1"):
        address = _page_url(paper, 2).replace("-2/", f"-{other_spelling}/")
        assert client.get(address).status_code == 404, address
    assert 'name="robots"' not in second


def test_no_pagination_when_threads_per_page_is_zero(client, settings):
    settings.COLLOQUY_THREADS_PER_PAGE = 0
    paper = make_paper()
    tops = _threads(paper, 4)
    html = client.get(paper.get_absolute_url()).content.decode()
    assert all(f'id="comment-{t.pk}"' in html for t in tops)
    assert "Newer comments" not in html
    assert client.get(_page_url(paper, 2)).status_code == 404


def test_permalink_lands_on_the_page_holding_the_comment(client, settings):
    settings.COLLOQUY_THREADS_PER_PAGE = 2
    paper = make_paper()
    tops = _threads(paper, 5)
    reply = Comment.objects.get(parent=tops[3])
    response = client.get(reply.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"] == f"{_page_url(paper, 2)}#comment-{reply.pk}"
    response = client.get(tops[0].get_absolute_url())
    assert response["Location"] == f"{paper.get_absolute_url()}#comment-{tops[0].pk}"
    page = client.get(response["Location"].split("#")[0]).content.decode()
    assert f'id="comment-{tops[0].pk}"' in page


def test_moderators_permalink_counts_the_pending_threads_their_pages_show(
    client, settings, moderation
):
    settings.COLLOQUY_THREADS_PER_PAGE = 2
    paper = make_paper()
    make_comment(paper, status=Comment.Status.PENDING)
    make_comment(paper, status=Comment.Status.PENDING)
    latest = make_comment(paper, status=Comment.Status.PENDING)
    client.force_login(make_user(superuser=True))
    location = client.get(latest.get_absolute_url())["Location"]
    assert location == f"{_page_url(paper, 2)}#comment-{latest.pk}"
    assert f'id="comment-{latest.pk}"' in client.get(location).content.decode()


def test_invalid_reply_on_a_later_page_is_shown_again_on_that_page(client, settings, post):
    settings.COLLOQUY_THREADS_PER_PAGE = 2
    paper = make_paper()
    tops = _threads(paper, 5)
    response = post(paper, parent=tops[4].pk, email="not-an-address", body="Kept reply text")
    html = response.content.decode()
    assert response.status_code == 400
    assert "Comments page 3" in html
    assert f'id="comment-{tops[4].pk}"' in html
    assert "Leave a Reply to" in html and "Kept reply text" in html
    canonical = re.search(r'<link rel="canonical" href="([^"]+)"', html)[1]
    assert canonical == f"{settings.COLLOQUY_SITE_URL}{_page_url(paper, 3)}"
    assert f'href="{_page_url(paper, 3)}#respond">Cancel reply' in html


@pytest.mark.parametrize("status", [Comment.Status.PENDING, Comment.Status.SPAM])
def test_permalink_of_a_comment_not_shown_leads_to_its_paper_only(client, status):
    paper = make_paper()
    comment = make_comment(paper, status=status)
    response = client.get(comment.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"] == paper.get_absolute_url()


def test_permalink_of_a_reply_in_a_removed_thread_leads_to_its_paper_only(client):
    paper = make_paper()
    top = make_comment(paper)
    reply = make_comment(paper, parent=top)
    comment_set_status(top, Comment.Status.TRASH, actor=None)
    response = client.get(reply.get_absolute_url())
    assert response["Location"] == paper.get_absolute_url()


def test_permalink_of_a_comment_on_a_draft_or_of_none_is_not_found(client):
    comment = make_comment(make_paper(status="draft"))
    assert client.get(comment.get_absolute_url()).status_code == 404
    assert client.get("/comments/999999/").status_code == 404


def test_paginated_page_costs_the_same_queries_for_short_and_long_discussions(
    client, settings, django_assert_num_queries
):
    settings.COLLOQUY_THREADS_PER_PAGE = 3
    settings.COLLOQUY_PAGE_CACHE_SECONDS = 0
    short, long = make_paper(), make_paper()
    _threads(short, 4)
    _threads(long, 40)
    # paper, authors, sections, references, the paper's revisions (papers.selectors.
    # revision_times, for "Revised on" and the comments' versions), the page's top-level
    # ids, their threads (and the first time the pages the navigation lists, then kept:
    # pages/navigation.py)
    with django_assert_num_queries(8):
        client.get(short.get_absolute_url())
    with django_assert_num_queries(7):
        client.get(long.get_absolute_url())
    # Then the paper's article is kept (papers/templates/papers/paper_detail.html): paper,
    # top-level ids, threads, revisions; a later page also counts the pages, to 404 past
    # the end.
    with django_assert_num_queries(4):
        client.get(short.get_absolute_url())
    with django_assert_num_queries(5):
        client.get(_page_url(long, 5))


def test_unpaged_discussion_costs_the_same_queries_for_5_and_300_comments(
    client, settings, django_assert_num_queries
):
    settings.COLLOQUY_PAGE_CACHE_SECONDS = 0
    settings.COLLOQUY_THREADS_PER_PAGE = 0
    small, large = make_paper(), make_paper()
    for paper, count in ((small, 5), (large, 300)):
        parents = [None]
        for n in range(count):
            comment = make_comment(paper, parent=parents[n % len(parents)])
            if comment.depth < 4:
                parents.append(comment)
    # paper, authors, sections, references, the paper's revisions, the discussion's
    # comments (and the first time the pages the navigation lists, then kept:
    # pages/navigation.py)
    with django_assert_num_queries(7):
        small_html = client.get(small.get_absolute_url()).content.decode()
    with django_assert_num_queries(6):
        large_html = client.get(large.get_absolute_url()).content.decode()
    assert small_html.count('class="comment depth-') == 5
    assert large_html.count('class="comment depth-') == 300


def test_cached_page_is_served_without_rendering(client, settings, django_assert_num_queries):
    settings.COLLOQUY_PAGE_CACHE_SECONDS = 300
    paper = make_paper()
    make_comment(paper, body="A first thought.")
    first = client.get(paper.get_absolute_url())
    with django_assert_num_queries(0):
        again = client.get(paper.get_absolute_url())
    assert without_form_token(again.content.decode()) == without_form_token(first.content.decode())
    assert "A first thought." in again.content.decode()
    for header in ("Content-Security-Policy", "X-Frame-Options", "Content-Type"):
        assert again[header] == first[header], header


def test_cached_page_goes_stale_when_a_section_is_rendered_again(client, settings):
    settings.COLLOQUY_PAGE_CACHE_SECONDS = 300
    paper = make_paper(sections=[("Introduction", "The first words.")])
    assert "The first words." in client.get(paper.get_absolute_url()).content.decode()
    section = paper.sections.get()
    Section.objects.filter(pk=section.pk).update(body="Words written again.")
    paper_render(paper)
    assert "Words written again." in client.get(paper.get_absolute_url()).content.decode()


def test_cached_page_at_the_old_address_goes_when_the_paper_moves(client, settings):
    settings.COLLOQUY_PAGE_CACHE_SECONDS = 300
    paper = make_paper()
    old_address = paper.get_absolute_url()
    assert client.get(old_address).status_code == 200
    paper.slug = "a-new-address"
    paper.status = "draft"
    paper.save()
    assert client.get(old_address).status_code == 404


def test_cached_page_is_dropped_when_the_paper_becomes_a_draft(client, settings):
    settings.COLLOQUY_PAGE_CACHE_SECONDS = 300
    paper = make_paper()
    assert client.get(paper.get_absolute_url()).status_code == 200
    paper.status = "draft"
    paper.save()
    assert client.get(paper.get_absolute_url()).status_code == 404


def test_cached_page_goes_stale_when_a_comment_is_approved(client, settings):
    settings.COLLOQUY_PAGE_CACHE_SECONDS = 300
    paper = make_paper()
    held = make_comment(paper, status=Comment.Status.PENDING, body="Held for now, then shown.")
    assert "Held for now" not in client.get(paper.get_absolute_url()).content.decode()
    comment_set_status(held, Comment.Status.APPROVED, actor=None, reason="test")
    page = client.get(paper.get_absolute_url()).content.decode()
    assert "Held for now, then shown." in page
    comment_set_status(held, Comment.Status.TRASH, actor=None, reason="test")
    assert "Held for now" not in client.get(paper.get_absolute_url()).content.decode()


def test_cached_page_goes_stale_when_the_paper_changes(client, settings):
    settings.COLLOQUY_PAGE_CACHE_SECONDS = 300
    paper = make_paper(title="The old title of a paper")
    assert "The old title" in client.get(paper.get_absolute_url()).content.decode()
    paper.title = "The new title of a paper"
    paper.save()
    assert "The new title" in client.get(paper.get_absolute_url()).content.decode()


def test_people_with_their_own_state_never_get_the_shared_page(client, settings):
    settings.COLLOQUY_PAGE_CACHE_SECONDS = 300
    paper = make_paper()
    client.get(paper.get_absolute_url())  # fills the cache
    held = make_comment(paper, status=Comment.Status.PENDING, body="Only mine to see.")
    session = client.session
    session["colloquy_held_comments"] = [held.pk]
    session.save()
    mine = client.get(paper.get_absolute_url()).content.decode()
    assert "Only mine to see." in mine
    assert "Your comment is awaiting moderation." in mine
    stranger = client.__class__()
    assert "Only mine to see." not in stranger.get(paper.get_absolute_url()).content.decode()


def test_signed_in_reader_gets_a_fresh_page(client, settings):
    settings.COLLOQUY_PAGE_CACHE_SECONDS = 300
    paper = make_paper()
    client.get(paper.get_absolute_url())
    client.force_login(make_user(first_name="Wren", last_name="Okafor"))
    assert "Logged in as Wren Okafor." in client.get(paper.get_absolute_url()).content.decode()


def test_comment_count_covers_every_page(client, settings):
    settings.COLLOQUY_THREADS_PER_PAGE = 1
    paper = make_paper()
    _threads(paper, 3)
    second = client.get(_page_url(paper, 2)).content.decode()
    assert "6 thoughts on" in second
